import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { LedgerEntry } from '../protocol/ledger.ts';
import type { BoardRecord } from '../protocol/records.ts';
import { createRecord, listRecords } from './board-doc.ts';
import { notificationCandidates, notificationTriggers } from './notification-triggers.ts';

const priya = { id: 'person:priya', name: 'Priya Shah' };
const omar = { id: 'person:omar', name: 'Omar Ali' };
const lee = { id: 'person:lee', name: 'Lee Chan' };
const directory = [priya, omar, lee, { id: 'person:sam1', name: 'Sam Jones' }, { id: 'person:sam2', name: 'Sam Jones' }];
const by = { id: omar.id, name: omar.name, department: 'dft' };

function world() {
	const doc = new Y.Doc();
	const dep = createRecord(doc, 'dependencies', { title: 'Pupil data', providerDepartment: 'dfe', providerOwner: priya, receiverDepartment: 'dft', receiverOwner: omar, owner: lee, deliverable: 'x' }, omar);
	const blocker = createRecord(doc, 'blockers', { title: 'Funding', owner: omar, unblocker: 'priya shah', raisedOn: '2026-05-01' }, omar);
	const ambiguous = createRecord(doc, 'blockers', { title: 'Which Sam', owner: omar, unblocker: 'Sam Jones', raisedOn: '2026-05-01' }, omar);
	const records = new Map<string, BoardRecord>();
	for (const register of ['dependencies', 'blockers'] as const) for (const result of listRecords(doc, register)) if (result.ok) records.set(result.id, result.record);
	return { dep, blocker, ambiguous, records };
}

const entry = (recordId: string, ref: string, register: LedgerEntry['register'], changes: LedgerEntry['changes'], seq = 7): LedgerEntry => ({ seq, at: 1_790_000_000_000, by, register, recordId, ref, changes });
const summary = (drafts: ReturnType<typeof notificationTriggers>) => drafts.map((draft) => `${draft.kind}:${draft.recipient}`).sort();

describe('notificationTriggers', () => {
	it('tells the owners of a new record, but not the person who made it', () => {
		const { dep, records } = world();
		expect(summary(notificationTriggers('b1', [entry(dep.id, dep.ref, 'dependencies', [{ field: 'created', before: null, after: 'Pupil data' }])], records, directory))).toEqual(['owner:person:lee', 'owner:person:priya']);
	});

	it('tells a person made owner, not when the owner stays the same person or is free text', () => {
		const { dep, records } = world();
		const drafts = notificationTriggers('b1', [entry(dep.id, dep.ref, 'dependencies', [
			{ field: 'providerOwner', before: { name: 'Someone' }, after: priya },
			{ field: 'owner', before: lee, after: { name: 'Lee C.', id: lee.id } },
			{ field: 'receiverOwner', before: omar, after: { name: 'Outsider' } }
		])], records, directory);
		expect(summary(drafts)).toEqual(['owner:person:priya']);
		expect(drafts[0]).toMatchObject({ boardId: 'b1', register: 'dependencies', recordId: dep.id, ref: dep.ref, title: 'Pupil data', by: { id: omar.id }, seq: 7 });
	});

	it('tells people @mentioned in appended comments, once per comment, never the author', () => {
		const { dep, records } = world();
		const drafts = notificationTriggers('b1', [entry(dep.id, dep.ref, 'dependencies', [{ field: 'comments', before: null, after: [
			{ id: 'c1', author: { name: 'Omar Ali', id: omar.id }, at: 1, text: '@Priya Shah and @Omar Ali please look' },
			{ id: 'c2', author: { name: 'Omar Ali', id: omar.id }, at: 2, text: 'again @priya shah' }
		] }])], records, directory);
		expect(summary(drafts)).toEqual(['mention:person:priya', 'mention:person:priya']);
		expect(drafts.map((draft) => draft.detail)).toEqual(['c1', 'c2']);
	});

	it('tells a dependency’s owners when it turns red or late, not when it was already', () => {
		const { dep, records } = world();
		const red = notificationTriggers('b1', [entry(dep.id, dep.ref, 'dependencies', [{ field: 'rating', before: 'amber', after: 'red' }])], records, directory);
		expect(summary(red)).toEqual(['dependency_red:person:lee', 'dependency_red:person:priya']);
		const amberRed = notificationTriggers('b1', [entry(dep.id, dep.ref, 'dependencies', [{ field: 'rating', before: 'green', after: 'amber_red' }])], records, directory);
		expect(amberRed).toHaveLength(2);
		expect(notificationTriggers('b1', [entry(dep.id, dep.ref, 'dependencies', [{ field: 'rating', before: 'amber_red', after: 'red' }])], records, directory)).toEqual([]);
		const late = notificationTriggers('b1', [entry(dep.id, dep.ref, 'dependencies', [{ field: 'status', before: 'at_risk', after: 'late' }])], records, directory);
		expect(summary(late)).toEqual(['dependency_late:person:lee', 'dependency_late:person:priya']);
	});

	it('tells the unblocker when a blocker is escalated (once per update), and nobody when the name is ambiguous', () => {
		const { blocker, ambiguous, records } = world();
		const drafts = notificationTriggers('b1', [entry(blocker.id, blocker.ref, 'blockers', [
			{ field: 'escalations', before: null, after: [{ level: 'missions_unit_lead', on: '2026-05-02', forum: 'MU', note: '', by: omar, at: 1 }] },
			{ field: 'status', before: 'open', after: 'escalated' }
		])], records, directory);
		expect(summary(drafts)).toEqual(['escalated:person:priya']);
		expect(notificationTriggers('b1', [entry(ambiguous.id, ambiguous.ref, 'blockers', [{ field: 'status', before: 'open', after: 'escalated' }])], records, directory)).toEqual([]);
	});

	it('ignores records it does not have and fields that notify nobody', () => {
		const { dep, records } = world();
		expect(notificationTriggers('b1', [entry('gone', 'DEP-99', 'dependencies', [{ field: 'created', before: null, after: 'x' }]), entry(dep.id, dep.ref, 'dependencies', [{ field: 'title', before: 'a', after: 'b' }])], records, directory)).toEqual([]);
	});

	it('names exactly the records that can notify, and asks for the directory only for mentions and escalations', () => {
		const { dep, blocker, ambiguous, records } = world();
		const comment = (text: string) => ({ id: `c-${text.length}`, author: { name: 'Omar Ali', id: omar.id }, at: 1, text });
		const cases: LedgerEntry[][] = [
			[entry(dep.id, dep.ref, 'dependencies', [{ field: 'created', before: null, after: 'Pupil data' }])],
			[entry(dep.id, dep.ref, 'dependencies', [{ field: 'status', before: 'agreed', after: 'at_risk' }, { field: 'updatedAt', before: 1, after: 2 }])],
			[entry(dep.id, dep.ref, 'dependencies', [{ field: 'status', before: 'at_risk', after: 'late' }])],
			[entry(dep.id, dep.ref, 'dependencies', [{ field: 'rating', before: 'amber', after: 'red' }])],
			[entry(dep.id, dep.ref, 'dependencies', [{ field: 'comments', before: null, after: [comment('Checked at the meeting'), null] }])],
			[entry(dep.id, dep.ref, 'dependencies', [{ field: 'comments', before: null, after: [comment('over to @Priya Shah')] }])],
			[entry(dep.id, dep.ref, 'dependencies', [{ field: 'owner', before: lee, after: { name: 'Lee C.', id: lee.id } }])],
			[entry(dep.id, dep.ref, 'dependencies', [{ field: 'providerOwner', before: { name: 'Someone' }, after: priya }])],
			[entry(blocker.id, blocker.ref, 'blockers', [{ field: 'status', before: 'open', after: 'escalated' }]), entry(ambiguous.id, ambiguous.ref, 'blockers', [{ field: 'title', before: 'a', after: 'b' }])]
		];
		const expected = [
			{ ids: [dep.id], directory: false },
			{ ids: [], directory: false },
			{ ids: [dep.id], directory: false },
			{ ids: [dep.id], directory: false },
			{ ids: [], directory: false },
			{ ids: [dep.id], directory: true },
			{ ids: [], directory: false },
			{ ids: [dep.id], directory: false },
			{ ids: [blocker.id], directory: true }
		];
		cases.forEach((entries, index) => {
			const { recordIds, needsDirectory } = notificationCandidates(entries);
			expect({ ids: [...recordIds], directory: needsDirectory }).toEqual(expected[index]);
			// Reading only those records (and the directory only when asked for) tells the same people.
			const candidates = new Map([...records].filter(([id]) => recordIds.has(id)));
			expect(notificationTriggers('b1', entries, candidates, needsDirectory ? directory : [])).toEqual(notificationTriggers('b1', entries, records, directory));
		});
	});
});
