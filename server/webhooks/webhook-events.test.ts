import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createRecord, listRecords } from '#lib/board/board-doc.ts';
import type { LedgerEntry } from '#lib/protocol/ledger.ts';
import { registerNames, type BoardRecord } from '#lib/protocol/records.ts';
import { recordEvents } from './webhook-events.ts';

const omar = { id: 'person:omar', name: 'Omar Ali' };
const by = { id: omar.id, name: omar.name, department: 'dft' };

function world() {
	const doc = new Y.Doc();
	const dep = createRecord(doc, 'dependencies', { title: 'Pupil data', providerDepartment: 'dfe', providerOwner: omar, receiverDepartment: 'dft', receiverOwner: omar, deliverable: 'x' }, omar);
	const blocker = createRecord(doc, 'blockers', { title: 'Funding', owner: omar, unblocker: 'Treasury', raisedOn: '2026-05-01' }, omar);
	const decision = createRecord(doc, 'decisions', { title: 'Go ahead', text: 'We go ahead', owner: omar, decidedOn: '2026-05-01', forum: 'Missions Board', rationale: 'because' }, omar);
	const records = new Map<string, BoardRecord>();
	for (const register of registerNames) for (const result of listRecords(doc, register)) if (result.ok) records.set(result.id, result.record);
	return { dep, blocker, decision, records };
}

const entry = (record: { id: string; ref: string }, register: LedgerEntry['register'], changes: LedgerEntry['changes'], seq = 7): LedgerEntry => ({ seq, at: 1_790_000_000_000, by, register, recordId: record.id, ref: record.ref, changes });
const types = (events: ReturnType<typeof recordEvents>) => events.map((event) => `${event.type}:${event.record.ref}`);

describe('webhook events from the ledger', () => {
	it('a new record is record.created; a new decision is also decision.recorded', () => {
		const { dep, decision, records } = world();
		const events = recordEvents('b1', [entry(dep, 'dependencies', [{ field: 'created', before: null, after: 'Pupil data' }]), entry(decision, 'decisions', [{ field: 'created', before: null, after: 'Go ahead' }])], records);
		expect(types(events)).toEqual([`record.created:${dep.ref}`, `record.created:${decision.ref}`, `decision.recorded:${decision.ref}`]);
	});

	it('a change is record.changed; closing, a rating and an escalation add their own events with only their fields', () => {
		const { dep, blocker, records } = world();
		const events = recordEvents('b1', [
			entry(dep, 'dependencies', [{ field: 'status', before: 'late', after: 'delivered' }, { field: 'rating', before: 'amber', after: 'red' }, { field: 'ratingHistory', before: null, after: [{ rating: 'red' }] }]),
			entry(blocker, 'blockers', [{ field: 'escalations', before: null, after: [{ level: 'ministers' }] }, { field: 'title', before: 'Funding', after: 'Funding gap' }])
		], records);
		expect(types(events)).toEqual([`record.changed:${dep.ref}`, `record.closed:${dep.ref}`, `rating.changed:${dep.ref}`, `record.changed:${blocker.ref}`, `blocker.escalated:${blocker.ref}`]);
		expect(events[1]?.changes.map((change) => change.field)).toEqual(['status']);
		expect(events[2]?.changes.map((change) => change.field)).toEqual(['rating', 'ratingHistory']);
		expect(events[4]?.changes.map((change) => change.field)).toEqual(['escalations']);
	});

	it('moving between closed states, or reopening, does not close; archiving does', () => {
		const { dep, blocker, records } = world();
		const events = recordEvents('b1', [entry(dep, 'dependencies', [{ field: 'status', before: 'delivered', after: 'cancelled' }]), entry(blocker, 'blockers', [{ field: 'archived', before: false, after: true }])], records);
		expect(types(events)).toEqual([`record.changed:${dep.ref}`, `record.changed:${blocker.ref}`, `record.closed:${blocker.ref}`]);
	});

	it('gives the same change the same event ids (delivered once), and another update other ids', () => {
		const { dep, records } = world();
		const change = [{ field: 'title', before: 'a', after: 'b' }];
		const first = recordEvents('b1', [entry(dep, 'dependencies', change)], records);
		expect(recordEvents('b1', [entry(dep, 'dependencies', change)], records).map((event) => event.id)).toEqual(first.map((event) => event.id));
		expect(recordEvents('b1', [entry(dep, 'dependencies', change, 8)], records)[0]?.id).not.toBe(first[0]?.id);
		expect(recordEvents('b1', [entry({ id: 'gone', ref: 'DEP-99' }, 'dependencies', change)], records)).toEqual([]);
	});
});
