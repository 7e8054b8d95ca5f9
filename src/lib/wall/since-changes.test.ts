import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { toBase64 } from 'lib0/buffer';
import { createRecord, readBoard, updateRecord } from '../board/board-doc.ts';
import { readingOf, type BoardChange } from '../board/diff.ts';
import { escalateBlocker, setRating } from '../board/history.ts';
import { dateFormat } from '../date-format.ts';
import { asAtLabel, baselineReading, baselineReadings, changeCounts, groupChanges, historyPath, missionChanges, sinceHeading } from './since-changes.ts';

const actor = { name: 'Priya Shah', id: 'person:priya' };

const dependency = (doc: Y.Doc, title: string) =>
	createRecord(doc, 'dependencies', { title, providerDepartment: 'dept-hmt', providerOwner: actor, receiverDepartment: 'dept-dfe', receiverOwner: actor, deliverable: 'x', neededBy: '2027-03-01', forecast: '2027-02-01', status: 'agreed', rating: 'amber' }, actor);

const change = (kind: BoardChange['kind'], ref: string): BoardChange => ({ kind, ref, register: 'dependencies', recordId: ref, title: ref, summary: '' });

describe('since the last meeting, for people', () => {
	it('groups changes by kind in the meeting order and counts them in words', () => {
		const changes = [change('decided', 'DEC-1'), change('new_red', 'DEP-2'), change('slipped', 'DEP-2'), change('new_red', 'DEP-1'), change('slipped', 'DEP-3')];
		expect(groupChanges(changes).map((group) => [group.heading, group.changes.map((c) => c.ref)])).toEqual([
			['New reds', ['DEP-2', 'DEP-1']],
			['Dates slipped', ['DEP-2', 'DEP-3']],
			['Decisions made', ['DEC-1']]
		]);
		expect(changeCounts(changes)).toBe('2 new reds · 2 slips · 1 decision');
		expect(changeCounts([])).toBe('No changes');
	});

	it('names what it compares with', () => {
		const mark = { kind: 'meeting' as const, meetingId: 'm1', title: 'Missions Board, 12 Nov', forum: 'Missions Board', date: '2026-11-12' };
		expect(sinceHeading(mark)).toBe('Since the last Missions Board');
		expect(sinceHeading({ kind: 'week' })).toBe('In the last 7 days');
		expect(asAtLabel(mark, Date.parse('2026-11-12T16:05:00Z'), dateFormat('en-GB'))).toBe('Compared with the boards as at 16:05, Thu 12 Nov, when Missions Board, 12 Nov ended');
		expect(historyPath({ path: '/boards/b1?ref=DEP-1' })).toBe('/boards/b1?ref=DEP-1#history');
	});

	it('compares a baseline (a Yjs update in base64) with the live boards, board by board', () => {
		const one = new Y.Doc();
		const two = new Y.Doc();
		const dep = dependency(one, 'Skills data share');
		const blocker = createRecord(two, 'blockers', { title: 'No agreement', unblocker: 'DfE legal', ask: 'Sign it', raisedOn: '2026-11-01', owner: actor }, actor);
		const baseline = {
			missionId: 'mission1',
			since: { kind: 'week' as const },
			from: 0,
			boards: [
				{ boardId: 'b1', state: toBase64(Y.encodeStateAsUpdate(one)) },
				{ boardId: 'b2', state: toBase64(Y.encodeStateAsUpdate(two)) },
				{ boardId: 'b3', state: null, note: 'not kept' }
			]
		};
		setRating(one, dep.id, { rating: 'red', narrative: 'Not signed' }, actor);
		updateRecord(one, 'dependencies', dep.id, { forecast: '2027-02-15' }, actor);
		escalateBlocker(two, blocker.id, { level: 'ministers', on: '2026-12-01', forum: 'Stocktake' }, actor);
		const live = new Map([
			['b1', readingOf(readBoard(one, { includeArchived: true }))],
			['b2', readingOf(readBoard(two, { includeArchived: true }))],
			['b3', readingOf(readBoard(new Y.Doc(), { includeArchived: true }))]
		]);
		const before = baselineReadings(baseline);
		expect([...before.keys()]).toEqual(['b1', 'b2']);
		const changes = missionChanges(['b1', 'b2', 'b3'], before, live, { fromDay: '2026-11-12', toDay: '2026-12-02' });
		expect(changes.map((c) => [c.kind, c.boardId, c.ref, c.path])).toEqual([
			['new_red', 'b1', 'DEP-1', '/boards/b1?ref=DEP-1'],
			['slipped', 'b1', 'DEP-1', '/boards/b1?ref=DEP-1'],
			['escalated', 'b2', 'BLK-1', '/boards/b2?ref=BLK-1'],
			['status_changed', 'b2', 'BLK-1', '/boards/b2?ref=BLK-1']
		]);
		expect(baselineReading(null)).toBeNull();
	});
});
