import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addComment, createRecord, updateRecord } from '#lib/board/board-doc.ts';
import { setRating } from '#lib/board/history.ts';
import { recordMap, registerMap } from '#lib/board/layout.ts';
import { itemRemovalRefused } from '#lib/board/protected.ts';
import type { Principal } from '../auth/principal.ts';
import { checkBoardUpdate } from './update-check.ts';

const ann: Principal = { id: 'person:ann', kind: 'person', name: 'Ann', role: 'editor', departmentId: 'a' };
const me = { name: ann.name, id: ann.id };

/** A server document and a client synced with it; `change` runs on the client and returns its update. */
function pair() {
	const server = new Y.Doc();
	const client = new Y.Doc();
	const change = (edit: (doc: Y.Doc) => void): Uint8Array => {
		const captured: Uint8Array[] = [];
		const capture = (update: Uint8Array) => captured.push(update);
		client.on('update', capture);
		edit(client);
		client.off('update', capture);
		return Y.mergeUpdates(captured);
	};
	const accept = (update: Uint8Array) => {
		expect(checkBoardUpdate(server, update, ann)).toBeUndefined();
		Y.applyUpdate(server, update);
	};
	/** A change by a throwaway copy of the server's document: what the check says of it. */
	const attempt = (edit: (doc: Y.Doc) => void) => {
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(server));
		const captured: Uint8Array[] = [];
		copy.on('update', (update: Uint8Array) => captured.push(update));
		edit(copy);
		return checkBoardUpdate(server, Y.mergeUpdates(captured), ann)?.reason;
	};
	return { server, client, change, accept, attempt };
}

describe('checkBoardUpdate', () => {
	it('accepts what the board model writes: records, edits, comments and ratings in your own name, a correction', () => {
		const { change, accept } = pair();
		const dep = { id: '' };
		accept(change((doc) => (dep.id = createRecord(doc, 'dependencies', { title: 'Data', providerDepartment: 'a', receiverDepartment: 'b', providerOwner: me, receiverOwner: me, deliverable: 'x' }, me).id)));
		accept(change((doc) => updateRecord(doc, 'dependencies', dep.id, { status: 'agreed', description: 'More detail' }, me)));
		accept(change((doc) => addComment(doc, 'dependencies', dep.id, { text: 'Agreed' }, me)));
		accept(change((doc) => setRating(doc, dep.id, { rating: 'red', narrative: 'Late' }, me)));
		accept(change((doc) => createRecord(doc, 'decisions', { text: 'Go', decidedOn: '2026-12-01', forum: 'Board', decisionMakers: [me] }, me)));
	});

	it('lets an empty record be removed (undo of a creation) but not one with comments, nor any decision', () => {
		const { change, accept, attempt } = pair();
		const ids = { empty: '', commented: '', decision: '' };
		accept(change((doc) => (ids.empty = createRecord(doc, 'actions', { text: 'Call', owner: me, due: '2027-01-01' }, me).id)));
		accept(change((doc) => (ids.commented = createRecord(doc, 'actions', { text: 'Write', owner: me, due: '2027-01-01' }, me).id)));
		accept(change((doc) => addComment(doc, 'actions', ids.commented, { text: 'Started' }, me)));
		accept(change((doc) => (ids.decision = createRecord(doc, 'decisions', { text: 'Go', decidedOn: '2026-12-01', forum: 'Board', decisionMakers: [me] }, me).id)));
		accept(change((doc) => registerMap(doc, 'actions').delete(ids.empty)));
		expect(attempt((doc) => registerMap(doc, 'actions').delete(ids.commented))).toBe('log_entry_removed');
		expect(attempt((doc) => registerMap(doc, 'decisions').delete(ids.decision))).toBe('decision_removed');
		expect(attempt((doc) => (recordMap(doc, 'decisions', ids.decision)!.get('rationale') as Y.Text).insert(0, 'Because'))).toBe('decision_recorded');
		expect(attempt((doc) => (recordMap(doc, 'decisions', ids.decision)!.get('text') as Y.Text).delete(0, 1))).toBe('decision_recorded');
		expect(attempt((doc) => (recordMap(doc, 'actions', ids.commented)!.get('comments') as Y.Array<unknown>).delete(0, 1))).toBe('log_entry_removed');
		expect(attempt((doc) => doc.getMap('stamps').set(ids.empty, {}))).toBe('server_only');
	});

	it('keeps a RAID import key as the import wrote it: a client can neither rewrite nor remove it', () => {
		const { change, accept, attempt } = pair();
		const ids = { imported: '', other: '' };
		accept(change((doc) => (ids.imported = createRecord(doc, 'risks', { title: 'Staff shortage', owner: me }, me).id)));
		accept(change((doc) => (ids.other = createRecord(doc, 'risks', { title: 'Funding late', owner: me }, me).id)));
		// The import writes the key once (here in the same way a first write from a client would).
		accept(change((doc) => recordMap(doc, 'risks', ids.imported)!.set('importKey', 'R-1')));
		// The attack: move the key to another record, so the next re-import of row R-1 overwrites it.
		expect(attempt((doc) => recordMap(doc, 'risks', ids.imported)!.set('importKey', 'R-9'))).toBe('write_once');
		expect(attempt((doc) => recordMap(doc, 'risks', ids.imported)!.delete('importKey'))).toBe('write_once');
		expect(attempt((doc) => doc.transact(() => {
			recordMap(doc, 'risks', ids.imported)!.delete('importKey');
			recordMap(doc, 'risks', ids.other)!.set('importKey', 'R-1');
		}))).toBe('write_once');
		// Editing the record's other fields is fine; undo never tries to remove the key.
		accept(change((doc) => updateRecord(doc, 'risks', ids.imported, { title: 'Staff shortage in the North' }, me)));
	});

	it('refuses a comment or rating entry in someone else\'s name', () => {
		const { change, accept, attempt } = pair();
		const dep = { id: '' };
		accept(change((doc) => (dep.id = createRecord(doc, 'dependencies', { title: 'Data', providerDepartment: 'a', receiverDepartment: 'b', providerOwner: me, receiverOwner: me, deliverable: 'x' }, me).id)));
		const bob = { name: 'Bob', id: 'person:bob' };
		expect(attempt((doc) => addComment(doc, 'dependencies', dep.id, { text: 'Fine by me' }, bob))).toBe('forged_author');
		expect(attempt((doc) => setRating(doc, dep.id, { rating: 'green', narrative: '' }, { name: 'Ann', id: 'person:bob' }))).toBe('forged_author');
	});

	it('refuses what it cannot check: an update that depends on items the server never saw, or deletes them', () => {
		const { server } = pair();
		const other = new Y.Doc();
		other.getMap('dependencies').set('x', new Y.Map());
		const first = Y.encodeStateAsUpdate(other);
		const captured: Uint8Array[] = [];
		other.on('update', (update: Uint8Array) => captured.push(update));
		(other.getMap('dependencies').get('x') as Y.Map<unknown>).set('title', 'later');
		expect(checkBoardUpdate(server, captured[0]!, ann)?.reason).toBe('unverifiable');
		// A delete set naming clocks the server has not seen (a future comment of someone else's, say).
		const ds = new Y.Doc();
		ds.clientID = other.clientID;
		Y.applyUpdate(ds, first);
		const deletes: Uint8Array[] = [];
		ds.on('update', (update: Uint8Array) => deletes.push(update));
		ds.getMap('dependencies').delete('x');
		expect(checkBoardUpdate(server, deletes[0]!, ann)?.reason).toBe('unverifiable');
	});

	it('refuses an update held back behind a hole: what Yjs would keep pending and apply later unchecked', () => {
		const { server, accept, change } = pair();
		const risk = { id: '' };
		accept(change((doc) => (risk.id = createRecord(doc, 'risks', { title: 'Staff shortage', owner: me }, me).id)));
		// The attacker's copy: two changes in a row, the first never sent.
		const attacker = new Y.Doc();
		Y.applyUpdate(attacker, Y.encodeStateAsUpdate(server));
		const sent: Uint8Array[] = [];
		attacker.on('update', (update: Uint8Array) => sent.push(update));
		updateRecord(attacker, 'risks', risk.id, { title: 'Staff shortage in the North' }, me);
		// The held-back change writes the import key while it is still empty: harmless now, but applied
		// later (once the hole fills) it would overwrite the key an import has written meanwhile.
		recordMap(attacker, 'risks', risk.id)!.set('importKey', 'R-9');
		expect(checkBoardUpdate(server, sent[1]!, ann)?.reason).toBe('unverifiable');
		// The same hole inside one merged update (a skip between the client's changes).
		recordMap(attacker, 'risks', risk.id)!.set('importKey', 'R-10');
		const merged = Y.mergeUpdates([sent[0]!, sent[2]!]);
		expect(checkBoardUpdate(server, merged, ann)?.reason).toBe('unverifiable');
		// Sent in order, nothing is held back and both are checked on arrival.
		accept(sent[0]!);
		accept(sent[1]!);
		expect(server.store.pendingStructs).toBeNull();
	});

	it("the page's undo never tries to remove a comment, a rating entry or a decision", () => {
		const { server, client, change, accept } = pair();
		const origin = { page: true };
		const undo = new Y.UndoManager([registerMap(client, 'dependencies'), registerMap(client, 'decisions')], { trackedOrigins: new Set([origin]), captureTimeout: 0, deleteFilter: (item) => !itemRemovalRefused(item) });
		const dep = { id: '' };
		accept(change((doc) => (dep.id = createRecord(doc, 'dependencies', { title: 'Data', providerDepartment: 'a', receiverDepartment: 'b', providerOwner: me, receiverOwner: me, deliverable: 'x' }, me).id)));
		accept(change((doc) => setRating(doc, dep.id, { rating: 'red', narrative: 'Late' }, me, { origin })));
		accept(change((doc) => addComment(doc, 'dependencies', dep.id, { text: 'Noted' }, me, { origin })));
		accept(change(() => undo.undo()));
		accept(change(() => undo.undo()));
		const record = recordMap(server, 'dependencies', dep.id)!;
		expect((record.get('comments') as Y.Array<unknown>).length).toBe(1);
		expect((record.get('ratingHistory') as Y.Array<unknown>).length).toBe(1);
		expect(record.get('rating')).toBe(null);
	});
});
