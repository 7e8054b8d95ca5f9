import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { describeBoardTransaction, type RecordChanges } from './describe-changes.ts';

/** A board with one dependency whose comments log already holds `existing` entries. */
function boardWithComments(existing: number): Y.Doc {
	const doc = new Y.Doc();
	doc.transact(() => {
		const record = new Y.Map<unknown>();
		doc.getMap('dependencies').set('dep1', record);
		record.set('seq', 1);
		record.set('title', 'Levy data');
		const comments = new Y.Array<unknown>();
		record.set('comments', comments);
		comments.push(Array.from({ length: existing }, (_, n) => ({ id: `old${n}`, author: { name: 'A', id: 'a' }, at: n, text: `old ${n}` })));
	});
	return doc;
}

function copyOf(doc: Y.Doc): Y.Doc {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	return copy;
}

const comment = (id: string) => ({ id, author: { name: 'B', id: 'b' }, at: 1, text: id });
const commentsOf = (doc: Y.Doc) => (doc.getMap('dependencies').get('dep1') as Y.Map<unknown>).get('comments') as Y.Array<{ id: string }>;

/** Applies `update` to `doc` as a peer's and returns what the ledger would say. */
function described(doc: Y.Doc, update: Uint8Array): RecordChanges[] {
	let result: RecordChanges[] = [];
	const listen = (transaction: Y.Transaction) => {
		result = describeBoardTransaction(transaction);
	};
	doc.on('afterTransaction', listen);
	Y.applyUpdate(doc, update, 'peer');
	doc.off('afterTransaction', listen);
	return result;
}

describe('describeBoardTransaction: log appends', () => {
	it('lists exactly the entries one update appended to a long log, in order', () => {
		const server = boardWithComments(2_000);
		const writer = copyOf(server);
		const before = Y.encodeStateVector(writer);
		writer.transact(() => commentsOf(writer).push([comment('new1'), comment('new2')]));
		const changes = described(server, Y.encodeStateAsUpdate(writer, before));
		expect(changes).toEqual([{ register: 'dependencies', recordId: 'dep1', ref: 'DEP-1', changes: [{ field: 'comments', before: null, after: [comment('new1'), comment('new2')] }] }]);
	});

	it('lists appends by two writers merged into one update in the order the log holds them', () => {
		const server = boardWithComments(5);
		const first = copyOf(server);
		const second = copyOf(server);
		const before = Y.encodeStateVector(server);
		commentsOf(first).push([comment('from-first')]);
		commentsOf(second).insert(0, [comment('from-second')]);
		const merged = Y.mergeUpdates([Y.encodeStateAsUpdate(first, before), Y.encodeStateAsUpdate(second, before)]);
		const changes = described(server, merged);
		const order = commentsOf(server).toArray().map((entry) => entry.id).filter((id) => id.startsWith('from-'));
		expect(order).toEqual(['from-second', 'from-first']);
		expect(changes[0]?.changes).toEqual([{ field: 'comments', before: null, after: [comment('from-second'), comment('from-first')] }]);
	});
});
