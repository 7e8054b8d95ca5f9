import { describe, expect, it } from 'vitest';
import { dateFormat } from '../../date-format.ts';
import type { HistoryItem } from '../../protocol/ledger.ts';
import { actorLabel, describeChange, fieldName, groupHistory, type HistoryContext } from './history-words.ts';

const context: HistoryContext = {
	departmentCode: (id) => ({ 'dept-dfe': 'DfE', 'dept-hmt': 'HMT' })[id],
	thisYear: '2026',
	dates: dateFormat('en-GB')
};
const priya = { id: 'person:p1', name: 'Priya Shah', department: 'dept-dfe' };
const item = (field: string, before: unknown, after: unknown, extra: Partial<HistoryItem> = {}): HistoryItem => ({
	at: 1_700_000_000_000,
	by: priya,
	recordId: 'r1',
	ref: 'DEP-4',
	register: 'dependencies',
	field,
	before,
	after,
	...extra
});

describe('the ledger in words', () => {
	it('names the person with their department’s short name, never its id', () => {
		expect(actorLabel(priya, context)).toBe('Priya Shah (DfE)');
		expect(actorLabel({ id: 'admin', name: 'Administrator', department: null }, context)).toBe('Administrator');
		expect(actorLabel({ ...priya, department: 'dept-gone' }, context)).toBe('Priya Shah');
	});

	it('writes dates, statuses, ratings and departments as people say them', () => {
		expect(describeChange(item('forecast', '2026-03-12', '2026-04-30'), context).text).toBe('changed forecast 12 Mar → 30 Apr');
		expect(describeChange(item('forecast', '2026-03-12', '2027-01-05'), context).text).toBe('changed forecast 12 Mar → 5 Jan 2027');
		expect(describeChange(item('status', 'agreed', 'at_risk'), context).text).toBe('changed status Agreed → At risk');
		expect(describeChange(item('rating', 'amber', 'red'), context).text).toBe('changed confidence Amber → Red');
		expect(describeChange(item('providerDepartment', 'dept-dfe', 'dept-hmt'), context).text).toBe('changed provider DfE → HMT');
		expect(describeChange(item('owner', { name: 'Ann', id: 'a' }, { name: 'Bo' }), context).text).toBe('changed owner Ann → Bo');
		expect(describeChange(item('neededBy', null, '2026-05-01'), context).text).toBe('set needed-by date to 1 May');
		expect(describeChange(item('committed', '2026-05-01', null), context).text).toBe('cleared committed date (was 1 May)');
	});

	it('shows text changes as before and after excerpts', () => {
		const words = describeChange(item('deliverable', 'Monthly extract', 'Weekly extract', { inserted: 6, deleted: 7 }), context);
		expect(words).toEqual({ field: 'deliverable', text: 'changed deliverable', excerpt: { before: 'Monthly extract', after: 'Weekly extract' } });
	});

	it('says what a log append added, in words', () => {
		expect(describeChange(item('comments', null, [{ id: 'c', author: priya, at: 1, text: 'Signed off by legal' }]), context).text).toBe('commented: “Signed off by legal”');
		expect(describeChange(item('ratingHistory', null, [{ rating: 'red', narrative: 'Agreement not signed', by: priya, at: 1 }]), context).text).toBe('rated it Red: “Agreement not signed”');
		expect(describeChange(item('escalations', null, [{ level: 'ministers', on: '2026-12-01', forum: 'Ministerial stocktake', by: priya, at: 1 }], { register: 'blockers' }), context).text).toBe(
			'escalated it to Ministers (Ministerial stocktake)'
		);
		expect(describeChange(item('replans', null, [{ from: '2026-01-15', to: '2026-02-01', reason: 'Legal review', by: priya, at: 1 }], { register: 'actions' }), context).text).toBe(
			're-planned it 15 Jan → 1 Feb: “Legal review”'
		);
		expect(describeChange(item('archived', false, true), context).text).toBe('archived it');
	});

	it('describes a value it does not know without trusting its shape', () => {
		expect(describeChange(item('comments', null, [42]), context).text).toBe('added to comments');
		expect(describeChange(item('ratingHistory', null, [{ rating: 'purple' }]), context).text).toBe('rated it unrated');
		const mark = { by: priya, at: 1, note: 'Fund it from the reserve?' };
		expect(describeChange(item('forDecision', null, mark), context).text).toBe('put it to the Missions Board for a decision: “Fund it from the reserve?”');
		expect(describeChange(item('forDecision', mark, { ...mark, note: 'Or delay?' }), context).text).toBe('changed the question for the Missions Board for a decision: “Or delay?”');
		expect(describeChange(item('forDecision', mark, null), context).text).toBe('took it off the Missions Board’s list for decision');
		expect(fieldName('someNewField')).toBe('some new field');
	});

	it('keeps one update’s changes together, and a creation as one line', () => {
		const created = [item('created', null, 'Skills data share', { at: 1 }), item('status', null, 'proposed', { at: 1 }), item('forecast', null, '2026-04-30', { at: 1 })];
		const later = [item('status', 'proposed', 'agreed', { at: 5 }), item('forecast', '2026-04-30', '2026-05-30', { at: 5 })];
		const groups = groupHistory([...later, ...created], context);
		expect(groups.map((group) => group.changes.map((change) => change.text))).toEqual([
			['changed status Proposed → Agreed', 'changed forecast 30 Apr → 30 May'],
			['created this dependency as “Skills data share”']
		]);
		expect(groups[1]!.changes[0]!.created).toBe(true);
	});

	it('leaves out what a log entry already says (a rating’s level and narrative)', () => {
		const rated = [item('rating', 'amber', 'red', { at: 7 }), item('narrative', 'On track', 'Unsigned', { at: 7, inserted: 8, deleted: 8 }), item('ratingHistory', null, [{ rating: 'red', narrative: 'Unsigned', by: priya, at: 7 }], { at: 7 })];
		expect(groupHistory(rated, context)[0]!.changes.map((change) => change.text)).toEqual(['rated it Red: “Unsigned”']);
	});
});
