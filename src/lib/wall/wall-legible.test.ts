import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createRecord, listRecords, validRecords } from '../board/board-doc.ts';
import { addLink } from '../board/comments.ts';
import { focusedRecord, linkedRecords } from './focus-record.ts';
import { dateFormat } from '../date-format.ts';
import { reconcileConfidence } from '../board/confidence-reading.ts';
import { actionSections, confidenceWords, riskSections, type MissionRecords } from './wall-data.ts';

const actor = { name: 'Priya Shah', id: 'person:priya' };
const today = '2026-12-02'; // a Wednesday

function recordsOf(boardId: string, doc: Y.Doc): MissionRecords {
	const on = <T>(list: T[]) => list.map((record) => ({ ...record, boardId }));
	return {
		dependencies: on(validRecords(listRecords(doc, 'dependencies'))),
		blockers: on(validRecords(listRecords(doc, 'blockers'))),
		actions: on(validRecords(listRecords(doc, 'actions'))),
		decisions: on(validRecords(listRecords(doc, 'decisions'))),
		risks: on(validRecords(listRecords(doc, 'risks'))),
		assumptions: on(validRecords(listRecords(doc, 'assumptions')))
	};
}

describe('the wall, read from five metres', () => {
	it('shows the year on every date that is not in this year', () => {
		const dates = dateFormat('en-GB');
		expect(dates.near('2026-12-05', today)).toBe('5 Dec');
		expect(dates.near('2027-01-03', today)).toBe('3 Jan 2027');
		expect(dates.near('2025-11-30', today)).toBe('30 Nov 2025');
		expect(dates.weekdayNear('2026-12-04', today)).toBe('Fri 4 Dec');
		expect(dates.weekdayNear('2025-12-04', today)).toMatch(/^Thu,? 4 Dec 2025$/);
	});

	it('writes its dates in the workspace’s locale', () => {
		const dates = dateFormat('fr-FR');
		expect(dates.near('2026-12-05', today)).toBe('5 déc.');
		expect(dates.near('2027-01-03', today)).toBe('3 janv. 2027');
		expect(dates.weekdayNear('2026-12-04', today)).toBe('ven. 4 déc.');
	});

	it('splits open actions into overdue (most overdue first) and due later this week', () => {
		const doc = new Y.Doc();
		const action = (title: string, due: string, status: 'open' | 'done' = 'open') => createRecord(doc, 'actions', { title, text: title, owner: actor, due, status, meeting: null }, actor);
		action('Due Sunday', '2026-12-06');
		action('Overdue two days', '2026-11-30');
		action('Due today', '2026-12-02');
		action('Overdue a week', '2026-11-25');
		action('Done, overdue', '2026-11-20', 'done');
		action('Next week', '2026-12-07');
		const sections = actionSections(recordsOf('b', doc), today);
		expect(sections.overdue.map((row) => [row.record.title, row.overdueDays])).toEqual([
			['Overdue a week', 7],
			['Overdue two days', 2]
		]);
		expect(sections.dueThisWeek.map((row) => row.record.title)).toEqual(['Due today', 'Due Sunday']);
	});

	it('lists open risks by likelihood × impact, then assumptions due for validation within two weeks, most overdue first', () => {
		const doc = new Y.Doc();
		type Level = 'very_low' | 'low' | 'medium' | 'high' | 'very_high';
		const risk = (title: string, likelihood: Level, impact: Level, proximity: string | null, status: 'open' | 'mitigating' | 'accepted' | 'closed' = 'open') =>
			createRecord(doc, 'risks', { title, owner: actor, likelihood, impact, proximity, status }, actor);
		const assumption = (title: string, validationDate: string | null, status: 'unvalidated' | 'validated' | 'invalid' = 'unvalidated') =>
			createRecord(doc, 'assumptions', { title, statement: title, owner: actor, validationDate, status }, actor);
		risk('Medium × medium', 'medium', 'medium', '2026-12-20');
		risk('High × very high, mitigating', 'high', 'very_high', '2027-01-10', 'mitigating');
		risk('Very high × high, sooner', 'very_high', 'high', '2026-11-30');
		risk('Very high × very high, accepted', 'very_high', 'very_high', null, 'accepted');
		risk('Closed', 'very_high', 'very_high', null, 'closed');
		risk('Medium × medium, no date', 'medium', 'medium', null);
		assumption('Due in two weeks', '2026-12-16');
		assumption('Due in fifteen days', '2026-12-17');
		assumption('Overdue a month', '2026-11-02');
		assumption('Validated, overdue', '2026-11-01', 'validated');
		assumption('Due today', '2026-12-02');
		assumption('No date', null);
		const sections = riskSections(recordsOf('b', doc), today);
		expect(sections.risks.map((row) => [row.record.title, row.score, row.proximityPast])).toEqual([
			['Very high × high, sooner', 20, true],
			['High × very high, mitigating', 20, false],
			['Medium × medium', 9, false],
			['Medium × medium, no date', 9, false]
		]);
		expect(sections.assumptions.map((row) => [row.record.title, row.overdueDays])).toEqual([
			['Overdue a month', 30],
			['Due today', 0],
			['Due in two weeks', 0]
		]);
	});

	it('finds the record in focus and the records it is linked to, on the same board', () => {
		const doc = new Y.Doc();
		const dependency = createRecord(doc, 'dependencies', { title: 'Data share', providerDepartment: 'a', providerOwner: actor, receiverDepartment: 'b', receiverOwner: actor, deliverable: 'x' }, actor);
		const blocker = createRecord(doc, 'blockers', { title: 'No DPIA', owner: actor, unblocker: 'DWP DPO', ask: 'Sign the DPIA', severity: 'high', raisedOn: '2026-11-01' }, actor);
		const action = createRecord(doc, 'actions', { title: 'Chase the DPO', text: 'Chase the DPO', owner: actor, due: '2026-12-04' }, actor);
		addLink(doc, 'blockers', blocker.id, dependency.id, actor, { field: 'blocks' });
		addLink(doc, 'blockers', blocker.id, action.id, actor);
		const records = recordsOf('b', doc);
		const found = focusedRecord(records, { boardId: 'b', register: 'blockers', recordId: blocker.id });
		expect(found?.title).toBe('No DPIA');
		expect(linkedRecords(records, found!).map((record) => record.title).sort()).toEqual(['Chase the DPO', 'Data share']);
		expect(focusedRecord(records, { boardId: 'other', register: 'blockers', recordId: blocker.id })).toBeNull();
		expect(focusedRecord(records, { boardId: 'b', register: 'risks', recordId: blocker.id })).toBeNull();
		const risk = createRecord(doc, 'risks', { title: 'Supplier leaves', owner: actor, likelihood: 'high', impact: 'high' }, actor);
		expect(focusedRecord(recordsOf('b', doc), { boardId: 'b', register: 'risks', recordId: risk.id })?.title).toBe('Supplier leaves');
	});
});

describe('the wall’s confidence in words', () => {
	const dates = dateFormat('en-GB');
	const header = (level: 'green' | 'amber' | 'red' | null) => ({ confidence: level && { level, basis: 12 }, counts: { red: 3, review: 1, late: 2, escalated: 0, overdueActions: 0, openDependencies: 14, openBlockers: 2 }, scale: 'three' as const });
	const judged = (level: 'green' | 'amber' | 'red') => ({ level, byName: 'Sam Lee', at: Date.parse('2026-12-02T10:00:00Z') });

	it('heads with the judgement and explains it with the evidence, flagging a kinder judgement', () => {
		expect(confidenceWords(reconcileConfidence(judged('green'), header('amber')), true, dates, today)).toEqual({ who: 'Judged by Sam Lee, 2 Dec', evidence: 'To check: Rated Green but the evidence reads Amber' });
		expect(confidenceWords(reconcileConfidence(judged('red'), header('amber')), true, dates, today)).toEqual({ who: 'Judged by Sam Lee, 2 Dec', evidence: 'Rated Red but the evidence reads Amber' });
		expect(confidenceWords(reconcileConfidence(judged('amber'), header('amber')), true, dates, today).evidence).toBe('The evidence agrees (12 rated open dependencies)');
	});

	it('reads the evidence alone without a judgement, saying so once the wall has heard', () => {
		expect(confidenceWords(reconcileConfidence(null, header('red')), true, dates, today)).toEqual({ who: null, evidence: 'Read from 12 rated open dependencies; not judged yet' });
		expect(confidenceWords(reconcileConfidence(null, header('red')), false, dates, today).evidence).toBe('Read from 12 rated open dependencies');
		expect(confidenceWords(reconcileConfidence(null, header(null)), true, dates, today).evidence).toBe('No open dependency is rated yet');
	});
});
