import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createRecord, readRecordsById } from '#lib/board/board-doc.ts';
import { registerMap } from '#lib/board/layout.ts';
import type { LedgerEntry } from '#lib/protocol/ledger.ts';
import type { RegisterName } from '#lib/protocol/records.ts';
import { notificationTriggers } from '#lib/board/notification-triggers.ts';
import { readNotifiedRecords } from './notified-records.ts';

const priya = { id: 'person:priya', name: 'Priya Shah' };
const omar = { id: 'person:omar', name: 'Omar Ali' };
const lee = { id: 'person:lee', name: 'Lee Chan' };

const entry = (register: RegisterName, recordId: string): LedgerEntry => ({ seq: 3, at: 1, by: { ...omar, department: null }, register, recordId, ref: 'x', changes: [{ field: 'status', before: 'a', after: 'b' }] });

function board() {
	const doc = new Y.Doc();
	const dep = createRecord(doc, 'dependencies', { title: 'Pupil data', providerDepartment: 'dfe', providerOwner: priya, receiverDepartment: 'dft', receiverOwner: omar, owner: lee, deliverable: 'x' }, omar);
	const blocker = createRecord(doc, 'blockers', { title: 'Funding', owner: omar, unblocker: 'Priya Shah', raisedOn: '2026-05-01' }, omar);
	const action = createRecord(doc, 'actions', { title: 'Send the schedule', text: 'Send the schedule to HMT', owner: priya, due: '2026-06-01' }, omar);
	return { doc, dep, blocker, action };
}

describe('readNotifiedRecords', () => {
	it('reads what the full read gives for the fields the triggers use, and only the records asked for', () => {
		const { doc, dep, blocker, action } = board();
		const entries = [entry('dependencies', dep.id), entry('blockers', blocker.id), entry('actions', action.id)];
		const found = readNotifiedRecords(doc, entries, new Set([dep.id, blocker.id]));
		expect([...found.keys()].sort()).toEqual([dep.id, blocker.id].sort());
		const [fullDep] = readRecordsById(doc, 'dependencies', [dep.id]);
		const [fullBlocker] = readRecordsById(doc, 'blockers', [blocker.id]);
		if (!fullDep?.ok || !fullBlocker?.ok) throw new Error('the records should read');
		const { id, register, ref, title, owner, providerOwner, receiverOwner } = fullDep.record;
		expect(found.get(dep.id)).toEqual({ id, register, ref, title, owner, providerOwner, receiverOwner });
		expect(found.get(blocker.id)).toEqual({ id: blocker.id, register: 'blockers', ref: fullBlocker.record.ref, title: 'Funding', owner: fullBlocker.record.owner, unblocker: 'Priya Shah' });
	});

	it('skips a record whose read fields are malformed or that is gone; a malformed field it does not read does not matter', () => {
		const { doc, dep, blocker, action } = board();
		(registerMap(doc, 'dependencies').get(dep.id) as Y.Map<unknown>).set('owner', { name: '' });
		(registerMap(doc, 'actions').get(action.id) as Y.Map<unknown>).set('due', 'not a date');
		registerMap(doc, 'blockers').delete(blocker.id);
		const entries = [entry('dependencies', dep.id), entry('blockers', blocker.id), entry('actions', action.id)];
		expect(readRecordsById(doc, 'actions', [action.id])[0]?.ok).toBe(false);
		const found = readNotifiedRecords(doc, entries, new Set([dep.id, blocker.id, action.id]));
		expect([...found.keys()]).toEqual([action.id]);
		expect(found.get(action.id)).toMatchObject({ title: 'Send the schedule', owner: priya });
	});

	it('does not read a record whose change can only tell its owners when they are all the writer; the triggers agree nobody is told', () => {
		const doc = new Y.Doc();
		const own = createRecord(doc, 'dependencies', { title: 'Mine', providerDepartment: 'dfe', providerOwner: omar, receiverDepartment: 'dft', receiverOwner: omar, owner: omar, deliverable: 'x' }, omar);
		const shared = createRecord(doc, 'dependencies', { title: 'Shared', providerDepartment: 'dfe', providerOwner: omar, receiverDepartment: 'dft', receiverOwner: priya, owner: omar, deliverable: 'x' }, omar);
		const late = (recordId: string, by = omar): LedgerEntry => ({ seq: 4, at: 1, by: { ...by, department: null }, register: 'dependencies', recordId, ref: 'x', changes: [{ field: 'status', before: 'agreed', after: 'late' }] });
		const mention = (recordId: string): LedgerEntry => ({ ...late(recordId), changes: [{ field: 'comments', before: [], after: [{ id: 'c1', text: 'over to @Priya Shah', author: omar, at: 1 }] }] });
		const ids = new Set([own.id, shared.id]);
		const all = (entries: LedgerEntry[]) => [...readNotifiedRecords(doc, entries, ids).keys()].sort();
		// Omar's own dependency turned late: nobody else owns it, nothing is read.
		expect(all([late(own.id), late(shared.id)])).toEqual([shared.id]);
		const drafts = (entries: LedgerEntry[]) => notificationTriggers('b1', entries, readNotifiedRecords(doc, entries, ids), []).map((draft) => [draft.recordId, draft.recipient]);
		expect(drafts([late(own.id), late(shared.id)])).toEqual([[shared.id, priya.id]]);
		// Someone else's change, or a change that can tell someone other than the owners: read.
		expect(all([late(own.id, lee)])).toEqual([own.id]);
		expect(drafts([late(own.id, lee)])).toEqual([[own.id, omar.id]]);
		expect(all([mention(own.id)])).toEqual([own.id]);
		expect(all([late(own.id), late(own.id, lee)])).toEqual([own.id]);
	});
});
