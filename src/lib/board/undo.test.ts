import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { registerNames } from '../protocol/registers.ts';
import { createRecord, readRecord, reconcileRefs, updateRecord } from './board-doc.ts';
import { registerMap } from './layout.ts';

const alice = { name: 'Alice', id: 'a' };
const bob = { name: 'Bob', id: 'b' };

/** Two replicas kept in sync by relaying every update, as a hub would. */
function connectedPair() {
	const a = new Y.Doc();
	const b = new Y.Doc();
	const relay = 'relay';
	a.on('update', (update: Uint8Array, origin: unknown) => origin !== relay && Y.applyUpdate(b, update, relay));
	b.on('update', (update: Uint8Array, origin: unknown) => origin !== relay && Y.applyUpdate(a, update, relay));
	return { a, b };
}

/** An UndoManager over the board's registers that tracks only this client's own origin. */
function undoManager(doc: Y.Doc, origin: object) {
	const scope = registerNames.map((register) => registerMap(doc, register));
	return new Y.UndoManager(scope, { trackedOrigins: new Set([origin]), captureTimeout: 0 });
}

function dependency(doc: Y.Doc, id: string) {
	const result = readRecord(doc, 'dependencies', id);
	if (!result?.ok) throw new Error('expected a valid dependency');
	return result.record;
}

describe('undo with Y.UndoManager tracking a local origin', () => {
	it('each client undoes only its own change', () => {
		const { a, b } = connectedPair();
		const originA = { client: 'a' };
		const originB = { client: 'b' };
		const { id } = createRecord(
			a,
			'dependencies',
			{
				title: 'Childcare data share',
				providerDepartment: 'dwp',
				providerOwner: bob,
				receiverDepartment: 'dfe',
				receiverOwner: alice,
				deliverable: 'Signed agreement',
				description: 'Needed for eligibility checks.'
			},
			alice
		);
		const undoA = undoManager(a, originA);
		const undoB = undoManager(b, originB);

		updateRecord(a, 'dependencies', id, { status: 'agreed' }, alice, { origin: originA });
		updateRecord(b, 'dependencies', id, { title: 'Childcare eligibility data share' }, bob, { origin: originB });
		updateRecord(b, 'dependencies', id, { description: 'Needed for eligibility checks in September.' }, bob, {
			origin: originB
		});
		expect(dependency(a, id)).toMatchObject({ status: 'agreed', title: 'Childcare eligibility data share' });

		undoA.undo();
		for (const doc of [a, b]) {
			expect(dependency(doc, id)).toMatchObject({
				status: 'proposed',
				title: 'Childcare eligibility data share',
				description: 'Needed for eligibility checks in September.'
			});
		}

		undoB.undo(); // the description splice
		undoB.undo(); // the title
		for (const doc of [a, b]) {
			expect(dependency(doc, id)).toMatchObject({
				status: 'proposed',
				title: 'Childcare data share',
				description: 'Needed for eligibility checks.'
			});
		}
		expect(undoA.canUndo()).toBe(false);
		expect(undoB.canUndo()).toBe(false);
		undoA.redo();
		expect(dependency(b, id).status).toBe('agreed');
	});

	it('undo of an edit to shared text keeps the other person’s typing', () => {
		const { a, b } = connectedPair();
		const originA = { client: 'a' };
		const { id } = createRecord(
			a,
			'actions',
			{ text: 'Send the note to HMT', owner: alice, due: '2026-03-01', description: 'Draft ready.' },
			alice
		);
		const undoA = undoManager(a, originA);
		updateRecord(a, 'actions', id, { description: 'Draft ready. Cleared by legal.' }, alice, { origin: originA });
		// Bob types at the start of the same field, directly in the Y.Text as an editor would.
		const text = (registerMap(b, 'actions').get(id) as Y.Map<unknown>).get('description') as Y.Text;
		b.transact(() => text.insert(0, 'Urgent: '), { client: 'b' });
		expect(text.toString()).toBe('Urgent: Draft ready. Cleared by legal.');
		undoA.undo();
		const result = readRecord(b, 'actions', id);
		expect(result?.ok && result.record.description).toBe('Urgent: Draft ready.');
	});

	it('reference repairs are not undone with the user’s changes', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const origin = { client: 'a' };
		const input = { text: 'Book the room', owner: alice, due: '2026-03-01' };
		const first = createRecord(a, 'actions', input, alice, { now: 1 });
		const second = createRecord(b, 'actions', input, bob, { now: 2 });
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
		const undo = undoManager(a, origin);
		// createRecord reconciles (origin refsOrigin) before creating under the user's origin.
		const third = createRecord(a, 'actions', input, alice, { origin });
		expect(third.ref).toBe('ACT-3');
		while (undo.canUndo()) undo.undo(); // everything this user can undo
		expect(readRecord(a, 'actions', third.id)).toBeUndefined();
		const refs = [first.id, second.id].map((id) => {
			const result = readRecord(a, 'actions', id);
			return result?.ok ? result.record.ref : 'invalid';
		});
		expect(refs).toEqual(['ACT-1', 'ACT-2']);
		expect(reconcileRefs(a)).toBe(0); // the repair survived the undo
	});
});
