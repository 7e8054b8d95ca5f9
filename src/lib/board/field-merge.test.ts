import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createRecord, readRecord } from './board-doc.ts';
import type { RegisterName } from '../protocol/registers.ts';
import { registerMap } from './layout.ts';
import { mergeDuplicateFields } from './field-merge.ts';

const priya = { name: 'Priya Shah' };
const lee = { name: 'Lee Jones' };

describe('one field per idea (migration)', () => {
	it('makes a dependency owner its provider owner and a title the first line of its text, once', () => {
		const doc = new Y.Doc();
		const dependency = createRecord(doc, 'dependencies', { title: 'Pupil data', providerDepartment: 'dfe', providerOwner: priya, receiverDepartment: 'dft', receiverOwner: lee, owner: lee, deliverable: 'x' }, priya);
		const action = createRecord(doc, 'actions', { text: 'Send the note to the DPO\nwith the annex', title: 'Old title', owner: priya, due: '2030-01-01' }, priya);
		const decision = createRecord(doc, 'decisions', { text: 'Agree one demand scenario', title: 'Something else', decidedOn: '2030-01-01', forum: 'Board' }, priya);
		const assumption = createRecord(doc, 'assumptions', { statement: 'Funding holds', title: 'Funding', owner: priya }, priya);
		const before = (registerMap(doc, 'actions').get(action.id) as Y.Map<unknown>).get('updatedAt');

		expect(mergeDuplicateFields(doc)).toBe(4);
		const read = (register: RegisterName, id: string) => {
			const result = readRecord(doc, register, id) as { ok: true; record: Record<string, unknown> } | { ok: false } | undefined;
			if (!result?.ok) throw new Error(`${id} is not a valid record`);
			return result.record;
		};
		expect(read('dependencies', dependency.id).owner).toEqual(priya);
		expect(read('actions', action.id).title).toBe('Send the note to the DPO');
		expect(read('decisions', decision.id).title).toBe('Agree one demand scenario');
		expect(read('assumptions', assumption.id).title).toBe('Funding holds');
		expect((registerMap(doc, 'actions').get(action.id) as Y.Map<unknown>).get('updatedAt')).toBe(before);
		expect(mergeDuplicateFields(doc)).toBe(0);
	});
});
