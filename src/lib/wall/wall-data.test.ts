import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createRecord, listRecords, validRecords } from '../board/board-doc.ts';
import { fillSampleBoard } from '../board/sample.ts';
import { dateFormat } from '../date-format.ts';
import { actionsDue, asAtLabel, dayStartAt, escalatedBlockers, latestDecisions, missionSummary, overallConfidence, redAndLateDependencies, visibleRows, weekOf, type MissionRecords } from './wall-data.ts';

const actor = { name: 'Priya Shah', id: 'person:priya' };
const today = '2026-06-10'; // a Wednesday

function recordsOf(...docs: Array<[string, Y.Doc]>): MissionRecords {
	const records: MissionRecords = { dependencies: [], blockers: [], actions: [], decisions: [], risks: [], assumptions: [] };
	for (const [boardId, doc] of docs) {
		records.dependencies.push(...validRecords(listRecords(doc, 'dependencies')).map((r) => ({ ...r, boardId })));
		records.blockers.push(...validRecords(listRecords(doc, 'blockers')).map((r) => ({ ...r, boardId })));
		records.actions.push(...validRecords(listRecords(doc, 'actions')).map((r) => ({ ...r, boardId })));
		records.decisions.push(...validRecords(listRecords(doc, 'decisions')).map((r) => ({ ...r, boardId })));
	}
	return records;
}

const dependency = (doc: Y.Doc, input: { title: string; neededBy: string | null; forecast: string | null; status?: 'agreed' | 'late' | 'delivered' | 'at_risk'; rating?: 'green' | 'amber' | 'red' | null }) =>
	createRecord(doc, 'dependencies', {
		title: input.title,
		providerDepartment: 'dept-hmt',
		providerOwner: actor,
		receiverDepartment: 'dept-dfe',
		receiverOwner: actor,
		deliverable: 'x',
		neededBy: input.neededBy,
		forecast: input.forecast,
		status: input.status ?? 'agreed',
		rating: input.rating ?? null
	}, actor);

describe('wall views from records', () => {
	it('lists red and late dependencies, most slipped first, and leaves out delivered and on-track ones', () => {
		const doc = new Y.Doc();
		dependency(doc, { title: 'On track', neededBy: '2026-07-01', forecast: '2026-06-20', rating: 'green' });
		dependency(doc, { title: 'Slips 5 days', neededBy: '2026-07-01', forecast: '2026-07-06' });
		dependency(doc, { title: 'Slips 20 days', neededBy: '2026-07-01', forecast: '2026-07-21' });
		dependency(doc, { title: 'Red but on time', neededBy: '2026-07-01', forecast: '2026-07-01', rating: 'red' });
		dependency(doc, { title: 'Delivered late', neededBy: '2026-05-01', forecast: '2026-05-30', status: 'delivered', rating: 'red' });
		dependency(doc, { title: 'Past needed-by', neededBy: '2026-06-01', forecast: null });
		const rows = redAndLateDependencies(recordsOf(['b1', doc]), today);
		expect(rows.map((row) => row.record.title)).toEqual(['Slips 20 days', 'Slips 5 days', 'Red but on time', 'Past needed-by']);
		expect(rows[0]).toMatchObject({ slipDays: 20, late: true, red: false });
		expect(rows[2]).toMatchObject({ slipDays: 0, late: false, red: true });
	});

	it('finds escalated blockers, actions due this week or overdue, and the latest meeting decisions on a sample board', () => {
		const doc = new Y.Doc();
		fillSampleBoard(doc, { today, actor });
		const records = recordsOf(['b1', doc]);
		const blockers = escalatedBlockers(records, today);
		expect(blockers.length).toBeGreaterThan(0);
		for (const row of blockers) expect(row.record.status).toBe('escalated');
		const levels = blockers.map((row) => row.level);
		expect(levels[0]).not.toBeNull();

		const { end } = weekOf(today);
		const due = actionsDue(records, today);
		expect(due.length).toBeGreaterThan(0);
		for (const row of due) {
			expect(row.record.status).toBe('open');
			expect(row.record.due <= end).toBe(true);
		}
		expect(due.map((row) => row.record.due)).toEqual([...due.map((row) => row.record.due)].sort());

		const latest = latestDecisions(records, null);
		expect(latest).not.toBeNull();
		for (const decision of latest!.decisions) expect(decision.decidedOn).toBe(latest!.date);
		const all = records.decisions.filter((d) => !d.archived).map((d) => d.decidedOn).sort();
		expect(latest!.date).toBe(all.at(-1));
	});

	it('picks a named meeting\'s decisions by forum and date, whatever the case of the forum', () => {
		const doc = new Y.Doc();
		createRecord(doc, 'decisions', { text: 'Older decision', forum: 'Missions Board', decidedOn: '2026-06-01' }, actor);
		createRecord(doc, 'decisions', { text: 'Stocktake call', forum: 'Stocktake', decidedOn: '2026-06-09' }, actor);
		createRecord(doc, 'decisions', { text: 'Fund the pilot', forum: 'Missions Board', decidedOn: '2026-06-01' }, actor);
		const records = recordsOf(['b1', doc]);
		expect(latestDecisions(records, { forum: 'missions board', date: '2026-06-01' })?.decisions.map((d) => d.text)).toEqual(['Older decision', 'Fund the pilot']);
		expect(latestDecisions(records, null)?.decisions.map((d) => d.text)).toEqual(['Stocktake call']);
		// A meeting that recorded nothing falls back to the latest day anything was decided.
		expect(latestDecisions(records, { forum: 'Missions Board', date: '2026-06-10' })?.forum).toBe('Stocktake');
	});

	it('counts by rating on the workspace scale and rates overall confidence from open rated dependencies', () => {
		const doc = new Y.Doc();
		dependency(doc, { title: 'a', neededBy: null, forecast: null, rating: 'green' });
		dependency(doc, { title: 'b', neededBy: null, forecast: null, rating: 'red' });
		dependency(doc, { title: 'c', neededBy: null, forecast: null, rating: 'red' });
		dependency(doc, { title: 'd', neededBy: null, forecast: null, rating: null });
		dependency(doc, { title: 'e', neededBy: null, forecast: null, rating: 'green', status: 'delivered' });
		const records = recordsOf(['b1', doc]);
		const summary = missionSummary(records, { today, dayStart: 0, scale: 'three' });
		expect(summary.dependencies.ratings).toEqual([
			{ level: 'green', count: 1 },
			{ level: 'amber', count: 0 },
			{ level: 'red', count: 2 },
			{ level: null, count: 1 }
		]);
		// Mean severity (0 + 4 + 4) / 3 ≈ 2.7: nearer amber (2) than red (4)? No: |2.7-2| = 0.7 < |2.7-4| = 1.3.
		expect(summary.confidence).toEqual({ level: 'amber', basis: 3 });
		expect(overallConfidence(records.dependencies.filter((d) => d.title === 'b'), 'five')).toEqual({ level: 'red', basis: 1 });
		expect(overallConfidence([], 'three')).toBeNull();
		expect(summary.changedToday.count).toBe(5);
	});

	it('always shows the record in focus, in place of the last row', () => {
		const rows = Array.from({ length: 12 }, (_, i) => ({ record: { id: `r${i}`, boardId: 'b' } }));
		expect(visibleRows(rows, 5, null)).toMatchObject({ hidden: 7 });
		const focused = visibleRows(rows, 5, { boardId: 'b', recordId: 'r9' });
		expect(focused.shown.map((row) => row.record.id)).toEqual(['r0', 'r1', 'r2', 'r3', 'r9']);
		expect(visibleRows(rows, 5, { boardId: 'other', recordId: 'r9' }).shown.map((row) => row.record.id)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
	});

	it('works out the week and midnight in UK time', () => {
		expect(weekOf('2026-06-10')).toEqual({ start: '2026-06-08', end: '2026-06-14' });
		expect(weekOf('2026-06-14')).toEqual({ start: '2026-06-08', end: '2026-06-14' });
		// Summer time: midnight in London is 23:00 UTC the day before.
		expect(new Date(dayStartAt(Date.parse('2026-06-10T12:00:00Z'))).toISOString()).toBe('2026-06-09T23:00:00.000Z');
		expect(new Date(dayStartAt(Date.parse('2026-01-10T00:30:00Z'))).toISOString()).toBe('2026-01-10T00:00:00.000Z');
	});
});

describe('asAtLabel', () => {
	it('names the moment in UK time, with the day, month and year', () => {
		expect(asAtLabel(Date.parse('2026-11-12T14:00:00Z'), dateFormat('en-GB'))).toBe('14:00, 12 November 2026');
		// British Summer Time: an hour ahead of UTC.
		expect(asAtLabel(Date.parse('2026-06-10T08:30:00Z'), dateFormat('en-GB'))).toBe('09:30, 10 June 2026');
		expect(asAtLabel(Date.parse('2026-11-12T14:00:00Z'), dateFormat('fr-FR'))).toBe('14:00, 12 novembre 2026');
	});
});
