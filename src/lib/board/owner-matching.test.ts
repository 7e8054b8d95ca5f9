import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createRecord, readRecord } from './board-doc.ts';
import { matchOwners } from './owner-matching.ts';

const directory = [
	{ id: 'person:priya', name: 'Priya Shah', department: 'DfE' },
	{ id: 'person:sam1', name: 'Sam Jones', department: 'DfT' },
	{ id: 'person:sam2', name: 'Sam Jones', department: 'HMT' },
	{ id: 'person:omar', name: 'Omar Ali', department: 'MU' }
];
const me = { name: 'Importer' };

function board() {
	const doc = new Y.Doc();
	const dependency = createRecord(doc, 'dependencies', { title: 'Data share', providerDepartment: 'dfe', providerOwner: { name: ' priya  SHAH ' }, receiverDepartment: 'dft', receiverOwner: { name: 'Sam Jones' }, deliverable: 'x' }, me);
	const action = createRecord(doc, 'actions', { text: 'Send the model', owner: { name: 'Omar Ali', id: 'someone-else' }, due: '2026-05-01' }, me);
	const decision = createRecord(doc, 'decisions', { text: 'Go ahead', decidedOn: '2026-04-01', forum: 'Board', decisionMakers: [{ name: 'Omar Ali' }, { name: 'A Minister' }] }, me);
	return { doc, dependency, action, decision };
}

describe('matchOwners', () => {
	it('ties unambiguous free-text names to people, leaves ambiguous, unknown and already tied ones alone', () => {
		const { doc, dependency, action, decision } = board();
		const before = readRecord(doc, 'dependencies', dependency.id);
		const report = matchOwners(doc, directory);
		const dep = readRecord(doc, 'dependencies', dependency.id);
		if (!dep?.ok || !before?.ok) throw new Error('unreadable');
		expect(dep.record.providerOwner).toEqual({ name: ' priya  SHAH '.trim(), id: 'person:priya' });
		expect(dep.record.owner).toEqual({ name: 'priya  SHAH', id: 'person:priya' });
		expect(dep.record.receiverOwner).toEqual({ name: 'Sam Jones' });
		expect(dep.record.updatedAt).toBe(before.record.updatedAt);
		const act = readRecord(doc, 'actions', action.id);
		expect(act?.ok && act.record.owner).toEqual({ name: 'Omar Ali', id: 'someone-else' });
		const dec = readRecord(doc, 'decisions', decision.id);
		expect(dec?.ok && dec.record.decisionMakers).toEqual([{ name: 'Omar Ali', id: 'person:omar' }, { name: 'A Minister' }]);
		expect(report.ambiguous).toEqual(['Sam Jones']);
		expect(report.matched).toBe(3);
	});

	it('changes nothing when run again', () => {
		const { doc } = board();
		matchOwners(doc, directory);
		const state = Y.encodeStateVector(doc);
		const again = matchOwners(doc, directory);
		expect(again.matched).toBe(0);
		expect(Y.encodeStateVector(doc)).toEqual(state);
	});
});
