import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addComment, createRecord, listRecords } from './board-doc.ts';
import { workCountsOf, workOnBoard } from './my-work.ts';

const me = { id: 'person:priya', name: 'Priya Shah', department: { id: 'dfe', name: 'Department for Education', code: 'DfE' } };
const other = { name: 'Omar Ali', id: 'person:omar' };
const today = '2026-05-10';

function records(doc: Y.Doc) {
	return (['dependencies', 'blockers', 'actions', 'decisions'] as const).flatMap((register) => listRecords(doc, register).flatMap((result) => (result.ok ? [result.record] : [])));
}

describe('workOnBoard', () => {
	it('finds what a person owns, what their department provides or receives, what waits on them, what is due, and mentions', () => {
		const doc = new Y.Doc();
		createRecord(doc, 'dependencies', { title: 'Pupil data', providerDepartment: 'dfe', providerOwner: { name: 'Priya Shah', id: me.id }, receiverDepartment: 'dft', receiverOwner: other, deliverable: 'x' }, other);
		createRecord(doc, 'dependencies', { title: 'Rail data', providerDepartment: 'dft', providerOwner: other, receiverDepartment: 'dfe', receiverOwner: other, deliverable: 'x' }, other);
		createRecord(doc, 'dependencies', { title: 'Done already', providerDepartment: 'dfe', providerOwner: { name: 'Priya Shah', id: me.id }, receiverDepartment: 'dft', receiverOwner: other, deliverable: 'x', status: 'delivered' }, other);
		createRecord(doc, 'blockers', { title: 'Funding', owner: other, unblocker: 'DfE', raisedOn: '2026-05-01' }, other);
		createRecord(doc, 'blockers', { title: 'Not mine', owner: other, unblocker: 'HMT', raisedOn: '2026-05-01' }, other);
		createRecord(doc, 'actions', { text: 'Late one', owner: { name: 'Priya Shah', id: me.id }, due: '2026-05-01' }, other);
		createRecord(doc, 'actions', { text: 'Soon', owner: { name: 'Priya Shah', id: me.id }, due: '2026-05-15' }, other);
		createRecord(doc, 'actions', { text: 'Far off', owner: { name: 'Priya Shah', id: me.id }, due: '2026-09-01' }, other);
		createRecord(doc, 'actions', { text: 'Same name, not her', owner: { name: 'Priya Shah' }, due: '2026-05-01' }, other);
		const { id } = createRecord(doc, 'actions', { text: 'Discuss', owner: other, due: '2026-09-01' }, other);
		addComment(doc, 'actions', id, { text: 'What do you think @Priya Shah?' }, other);

		const items = workOnBoard({ id: 'board1', title: 'Growth' }, records(doc), me, today, [{ id: me.id, name: me.name }]);
		const by = (reason: string) => items.filter((item) => item.reason === reason).map((item) => item.title).sort();
		expect(by('owner')).toEqual(['Far off', 'Late one', 'Pupil data', 'Soon']);
		expect(by('provides')).toEqual(['Pupil data']);
		expect(by('receives')).toEqual(['Rail data']);
		expect(by('waiting_on_you')).toEqual(['Funding']);
		expect(by('overdue')).toEqual(['Late one']);
		expect(by('due')).toEqual(['Soon']);
		expect(by('mentioned')).toEqual(['Discuss']);
		expect(items.find((item) => item.title === 'Soon')).toMatchObject({ boardId: 'board1', register: 'actions', date: '2026-05-15', path: expect.stringMatching(/^\/boards\/board1\?ref=ACT-/) });
		expect(workCountsOf(items)).toEqual({ owned: 4, department: 2, waitingOnYou: 1, due: 1, overdue: 1, mentioned: 1 });
	});
});
