/**
 * The document half of the store contract (log, compaction, history, names), run by
 * `describeStoreContract` in `store-contract.ts`, plus the Yjs helpers the contract uses.
 */
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { pruneDocHistory } from '../ledger/retention.ts';
import type { AppendEntry, LedgerDraft, Store } from './store.ts';
import type { LedgerEntry } from '#lib/protocol/ledger.ts';

/** A Y.Doc whose every local transaction is captured as one V1 update. */
export function writer(clientID: number) {
	const doc = new Y.Doc();
	doc.clientID = clientID;
	const pending: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => pending.push(update));
	return {
		doc,
		/** Makes edit number `i` (text, map and array changes) and returns its update. */
		edit(i: number): Uint8Array {
			doc.transact(() => {
				const title = doc.getText('title');
				title.insert(title.length, `<${clientID}:${i}>`);
				if (i % 3 === 2) title.delete(0, 2);
				doc.getMap('items').set(`item-${clientID}-${i % 7}`, { n: i, tags: ['a', String(i)] });
				doc.getArray<number>('order').push([i]);
			});
			const update = pending.splice(0).at(-1);
			if (update === undefined) throw new Error('the edit produced no update');
			return update;
		}
	};
}

export function entry(update: Uint8Array, by = 'person:alice', at = 1_700_000_000_000): AppendEntry {
	return { update, meta: { by, at } };
}

export function docFrom(updates: Uint8Array[]): Y.Doc {
	const doc = new Y.Doc();
	for (const update of updates) Y.applyUpdate(doc, update);
	return doc;
}

export function expectSameContent(actual: Y.Doc, expected: Y.Doc): void {
	expect(actual.getText('title').toString()).toBe(expected.getText('title').toString());
	expect(actual.getMap('items').toJSON()).toEqual(expected.getMap('items').toJSON());
	expect(actual.getArray('order').toJSON()).toEqual(expected.getArray('order').toJSON());
	expect(Y.decodeStateVector(Y.encodeStateVector(actual))).toEqual(
		Y.decodeStateVector(Y.encodeStateVector(expected))
	);
}

export function expectBytes(actual: Uint8Array | undefined, expected: Uint8Array): void {
	expect(actual).toBeInstanceOf(Uint8Array);
	expect(actual?.byteLength).toBe(expected.byteLength);
	expect(Buffer.from(actual ?? []).equals(Buffer.from(expected))).toBe(true);
}

/** Registers the document tests; `current()` is the store of the test that is running. */
export function describeDocStoreContract(current: () => Store): void {
	it('loads an unknown document as empty', async () => {
		const store = current();
		expect(await store.loadDoc('board:none')).toEqual({ updates: [], logLength: 0 });
		expect(await store.history('board:none')).toEqual([]);
		expect(await store.listDocs()).toEqual([]);
	});

	it('loads appended updates back byte for byte, in order, with a growing log length', async () => {
		const store = current();
		const alice = writer(1);
		const updates = [0, 1, 2, 3, 4].map((i) => alice.edit(i));
		expect(await store.appendUpdates('board:1', updates.slice(0, 2).map((u) => entry(u)))).toMatchObject({ logLength: 2 });
		expect(await store.appendUpdates('board:1', updates.slice(2).map((u) => entry(u)))).toMatchObject({ logLength: 5 });
		expect(await store.appendUpdates('board:1', [])).toMatchObject({ logLength: 5 });
		const loaded = await store.loadDoc('board:1');
		expect(loaded.logLength).toBe(5);
		expect(loaded.updates).toHaveLength(5);
		updates.forEach((update, i) => expectBytes(loaded.updates[i], update));
		expectSameContent(docFrom(loaded.updates), alice.doc);
	});

	it('compacts into one snapshot with the same content, then logs after it', async () => {
		const store = current();
		const alice = writer(1);
		const bob = writer(2);
		for (let i = 0; i < 10; i += 1) {
			await store.appendUpdates('board:1', [entry(alice.edit(i)), entry(bob.edit(i), 'person:bob')]);
		}
		await store.compact('board:1');
		const compacted = await store.loadDoc('board:1');
		expect(compacted.logLength).toBe(0);
		expect(compacted.updates).toHaveLength(1);
		const expected = docFrom([alice, bob].map((w) => Y.encodeStateAsUpdate(w.doc)));
		expectSameContent(docFrom(compacted.updates), expected);

		const later = alice.edit(10);
		expect(await store.appendUpdates('board:1', [entry(later)])).toMatchObject({ logLength: 1 });
		const loaded = await store.loadDoc('board:1');
		expect(loaded.logLength).toBe(1);
		expect(loaded.updates).toHaveLength(2);
		expectBytes(loaded.updates[1], later);
		Y.applyUpdate(expected, later);
		expectSameContent(docFrom(loaded.updates), expected);
		await store.compact('board:1');
		expect((await store.loadDoc('board:1')).updates).toHaveLength(1);
	});

	it('treats compaction of an unknown or already compact document as a no-op', async () => {
		const store = current();
		await store.compact('board:none');
		expect(await store.loadDoc('board:none')).toEqual({ updates: [], logLength: 0 });
		const alice = writer(1);
		await store.appendUpdates('board:1', [entry(alice.edit(0))]);
		await store.compact('board:1');
		await store.compact('board:1');
		const loaded = await store.loadDoc('board:1');
		expect(loaded).toMatchObject({ logLength: 0 });
		expect(loaded.updates).toHaveLength(1);
		expectSameContent(docFrom(loaded.updates), alice.doc);
	});

	it('keeps an update appended while a compaction runs', async () => {
		const store = current();
		const alice = writer(1);
		await store.appendUpdates('board:1', [0, 1, 2].map((i) => entry(alice.edit(i))));
		const compaction = store.compact('board:1');
		const append = store.appendUpdates('board:1', [entry(alice.edit(3))]);
		const [, appended] = await Promise.all([compaction, append]);
		expect(appended.logLength).toBeGreaterThanOrEqual(1);
		const loaded = await store.loadDoc('board:1');
		expect([0, 1]).toContain(loaded.logLength);
		expect(loaded.updates).toHaveLength(loaded.logLength + 1);
		expectSameContent(docFrom(loaded.updates), alice.doc);
	});

	it('loses nothing when appends and compactions interleave, even several compactions at once', async () => {
		const store = current();
		const alice = writer(1);
		const bob = writer(2);
		const operations: Promise<unknown>[] = [];
		for (let i = 0; i < 30; i += 1) {
			operations.push(store.appendUpdates('board:1', [entry(alice.edit(i))]));
			if (i % 4 === 0) operations.push(store.compact('board:1'), store.compact('board:1'));
			operations.push(store.appendUpdates('board:1', [entry(bob.edit(i), 'person:bob')]));
		}
		await Promise.all(operations);
		const expected = docFrom([alice, bob].map((w) => Y.encodeStateAsUpdate(w.doc)));
		const loaded = await store.loadDoc('board:1');
		expect(loaded.updates).toHaveLength(loaded.logLength + 1);
		expectSameContent(docFrom(loaded.updates), expected);
		await Promise.all([store.compact('board:1'), store.compact('board:1'), store.compact('board:1')]);
		const compacted = await store.loadDoc('board:1');
		expect(compacted.logLength).toBe(0);
		expect(compacted.updates).toHaveLength(1);
		expectSameContent(docFrom(compacted.updates), expected);
		expect(await store.history('board:1', { limit: 1_000 })).toHaveLength(60);
	});

	it('keeps history through compaction, newest first, with limit and beforeSeq', async () => {
		const store = current();
		const alice = writer(1);
		const people = ['person:alice', 'person:bob', 'person:Zoë 🚀', 'token:wall-1', 'person:alice'];
		const entries = people.map((by, i) => entry(alice.edit(i), by, 1_000 + i));
		await store.appendUpdates('board:1', entries.slice(0, 3));
		await store.compact('board:1');
		await store.appendUpdates('board:1', entries.slice(3));
		await store.compact('board:1');

		const history = await store.history('board:1');
		expect(history.map(({ by, at, bytes }) => ({ by, at, bytes }))).toEqual(
			entries.map(({ update, meta }) => ({ ...meta, bytes: update.byteLength })).reverse()
		);
		const seqs = history.map((h) => h.seq);
		for (const [i, seq] of seqs.entries()) {
			expect(Number.isInteger(seq) && seq > 0).toBe(true);
			if (i > 0) expect(seq).toBeLessThan(seqs[i - 1] ?? 0);
		}
		expect(await store.history('board:1', { limit: 2 })).toEqual(history.slice(0, 2));
		expect(await store.history('board:1', { beforeSeq: seqs[1] })).toEqual(history.slice(2));
		expect(await store.history('board:1', { beforeSeq: seqs[1], limit: 1 })).toEqual(history.slice(2, 3));
		expect(await store.history('board:1', { beforeSeq: seqs.at(-1) })).toEqual([]);
		expect(await store.history('board:2')).toEqual([]);
	});

	it('returns the newest 100 history entries when no limit is given', async () => {
		const store = current();
		const alice = writer(1);
		const entries = Array.from({ length: 120 }, (_, i) => entry(alice.edit(i), 'person:alice', i));
		expect(await store.appendUpdates('board:1', entries)).toMatchObject({ logLength: 120 });
		const history = await store.history('board:1');
		expect(history).toHaveLength(100);
		expect(history[0]?.at).toBe(119);
		expect(history[99]?.at).toBe(20);
	});

	it('deletes one document, its log and its history, and nothing else', async () => {
		const store = current();
		const alice = writer(1);
		for (const doc of ['board:1', 'board:10', 'board:1:x']) {
			await store.appendUpdates(doc, [entry(alice.edit(0))]);
		}
		await store.compact('board:1');
		await store.appendUpdates('board:1', [entry(alice.edit(1))]);
		await store.deleteDoc('board:1');
		await store.deleteDoc('board:none');
		expect(await store.loadDoc('board:1')).toEqual({ updates: [], logLength: 0 });
		expect(await store.history('board:1')).toEqual([]);
		expect((await store.listDocs()).sort()).toEqual(['board:10', 'board:1:x']);
		expect((await store.loadDoc('board:10')).logLength).toBe(1);
		expect(await store.history('board:1:x')).toHaveLength(1);
		expect(await store.appendUpdates('board:1', [entry(alice.edit(2))])).toMatchObject({ logLength: 1 });
	});

	it('lists documents by a literal, case-sensitive prefix', async () => {
		const store = current();
		const names = ['board:1', 'board:2', 'board_x', 'boardX', 'Board:3', 'mission:*', 'a%b', 'a?c', '[x]', 'ünï:1'];
		const alice = writer(1);
		for (const doc of names) await store.appendUpdates(doc, [entry(alice.edit(0))]);
		const list = async (prefix?: string) => (await store.listDocs(prefix)).sort();
		expect(await list()).toEqual([...names].sort());
		expect(await list('board:')).toEqual(['board:1', 'board:2']);
		expect(await list('board_')).toEqual(['board_x']);
		expect(await list('board:1')).toEqual(['board:1']);
		expect(await list('mission:*')).toEqual(['mission:*']);
		expect(await list('a%')).toEqual(['a%b']);
		expect(await list('a?')).toEqual(['a?c']);
		expect(await list('[')).toEqual(['[x]']);
		expect(await list('ünï:')).toEqual(['ünï:1']);
		expect(await list('nothing')).toEqual([]);
	});

	it('round-trips a 1 MiB update and compacts it', async () => {
		const store = current();
		const alice = writer(1);
		const big = 'abcdefghijklmnopqrstuvwxyz'.repeat(40_330).slice(0, 1_048_576);
		alice.doc.getText('title').insert(0, big);
		const update = Y.encodeStateAsUpdate(alice.doc);
		expect(update.byteLength).toBeGreaterThan(1_048_576);
		await store.appendUpdates('board:big', [entry(update)]);
		expectBytes((await store.loadDoc('board:big')).updates[0], update);
		await store.appendUpdates('board:big', [entry(alice.edit(1))]);
		await store.compact('board:big');
		const loaded = await store.loadDoc('board:big');
		expect(loaded.updates).toHaveLength(1);
		expectSameContent(docFrom(loaded.updates), alice.doc);
	});

	it('stores bytes exactly: every byte value, and views into larger buffers', async () => {
		const store = current();
		const allBytes = Uint8Array.from({ length: 512 }, (_, i) => (i * 7 + 255) % 256);
		const backing = Uint8Array.from({ length: 64 }, (_, i) => 255 - i);
		const view = backing.subarray(10, 40);
		await store.appendUpdates('raw', [entry(allBytes), entry(view), entry(new Uint8Array([0]))]);
		const loaded = await store.loadDoc('raw');
		expect(loaded.updates).toHaveLength(3);
		expectBytes(loaded.updates[0], allBytes);
		expectBytes(loaded.updates[1], view);
		expectBytes(loaded.updates[2], new Uint8Array([0]));
		expect((await store.history('raw')).map((h) => h.bytes)).toEqual([1, 30, 512]);
	});

	it('writes ledger entries with their update and reads them newest first, by record, page by page', async () => {
		const store = current();
		const alice = writer(1);
		const by = { id: 'person:alice', name: 'Alice', department: 'dfe' };
		const draft = (recordId: string, field: string, after: unknown): LedgerDraft => ({
			by, register: 'dependencies', recordId, ref: `DEP-${recordId}`, changes: [{ field, before: null, after }]
		});
		const first = await store.appendUpdates('board:1', [
			{ ...entry(alice.edit(0), 'person:alice', 1_000), ledger: [draft('a', 'title', 'A'), draft('b', 'title', 'B')] },
			entry(alice.edit(1), 'person:alice', 2_000),
			{ ...entry(alice.edit(2), 'person:alice', 3_000), ledger: [draft('a', 'status', 'agreed')] }
		]);
		expect(first.firstSeq).toBe(1);
		const all = await store.ledger('board:1');
		expect(all.map((e) => [e.seq, e.at, e.recordId, e.changes[0]?.field])).toEqual([
			[3, 3_000, 'a', 'status'],
			[1, 1_000, 'b', 'title'],
			[1, 1_000, 'a', 'title']
		]);
		expect(all[0]).toEqual({ seq: 3, at: 3_000, ...draft('a', 'status', 'agreed') });
		expect((await store.ledger('board:1', { recordId: 'a' })).map((e) => e.seq)).toEqual([3, 1]);
		expect((await store.ledger('board:1', { limit: 1 })).map((e) => e.seq)).toEqual([3]);
		expect((await store.ledger('board:1', { beforeSeq: 3 })).map((e) => e.recordId)).toEqual(['b', 'a']);
		expect(await store.ledger('board:1', { beforeSeq: 1 })).toEqual([]);
		expect(await store.ledger('board:none')).toEqual([]);
		const next = await store.appendUpdates('board:1', [{ ...entry(alice.edit(3), 'person:alice', 4_000), ledger: [draft('c', 'title', 'C')] }]);
		expect(next.firstSeq).toBe(4);
		await store.deleteDoc('board:1');
		expect(await store.ledger('board:1')).toEqual([]);
	});

	it("reads a record's ledger whole across hundreds of updates, in batches and pages, and forgets it with the document", async () => {
		const store = current();
		const alice = writer(1);
		const by = { id: 'person:alice', name: 'Alice', department: null };
		const records = ['a', 'b', 'c'];
		const expected: LedgerEntry[] = [];
		let seq = 0;
		let edit = 0;
		const appendSome = async (count: number, salt: number) => {
			const batch: AppendEntry[] = [];
			for (let i = 0; i < count; i++) {
				seq += 1;
				const at = 1_000 * seq;
				// Updates with no ledger entry, with one, and with two (never two for one record).
				const touched = records.filter((_, r) => (seq * 7 + r * 3 + salt) % 5 < 2);
				const ledger = touched.map((recordId): LedgerDraft => ({ by, register: 'actions', recordId, ref: `ACT-${recordId}`, changes: [{ field: 'status', before: null, after: `s${seq}` }] }));
				for (const draft of ledger) expected.push({ seq, at, ...draft });
				batch.push(ledger.length > 0 ? { ...entry(alice.edit(edit++), 'person:alice', at), ledger } : entry(alice.edit(edit++), 'person:alice', at));
			}
			await store.appendUpdates('board:many', batch);
		};
		for (let i = 0; seq < 200; i++) await appendSome(1 + (i % 5), 0);
		const newestFirst = [...expected].reverse();
		const pages = async (recordId: string | undefined, limit: number) => {
			const read: LedgerEntry[] = [];
			for (let beforeSeq: number | undefined; ; ) {
				const page = await store.ledger('board:many', { ...(recordId ? { recordId } : {}), limit, ...(beforeSeq ? { beforeSeq } : {}) });
				read.push(...page);
				if (page.length < limit) return read;
				beforeSeq = page.at(-1)!.seq;
			}
		};
		for (const recordId of records) {
			const mine = newestFirst.filter((e) => e.recordId === recordId);
			expect(mine.length).toBeGreaterThan(40);
			expect(await store.ledger('board:many', { recordId, limit: 1_000 })).toEqual(mine);
			expect(await pages(recordId, 7)).toEqual(mine);
			expect(await store.ledger('board:many', { recordId, beforeSeq: 100, limit: 3 })).toEqual(mine.filter((e) => e.seq < 100).slice(0, 3));
		}
		expect(await store.ledger('board:many', { limit: 1_000 })).toEqual(newestFirst);
		// A page may end inside an update's entries: it holds exactly `limit`, newest first.
		expect(await store.ledger('board:many', { limit: 5 })).toEqual(newestFirst.slice(0, 5));

		await store.deleteDoc('board:many');
		expect(await store.ledger('board:many', { recordId: 'a' })).toEqual([]);
		expected.length = 0;
		seq = 0;
		for (let i = 0; seq < 70; i++) await appendSome(3, 1);
		expect(await store.ledger('board:many', { recordId: 'a', limit: 1_000 })).toEqual([...expected].reverse().filter((e) => e.recordId === 'a'));
	});

	it('rebuilds a document as it stood at any moment, across compactions, checkpoints and reopen', async () => {
		const store = current();
		const alice = writer(1);
		const hour = 3_600_000;
		const states = new Map<number, Uint8Array>();
		for (let i = 0; i < 12; i++) {
			const at = 1_700_000_000_000 + i * hour;
			await store.appendUpdates('board:past', [entry(alice.edit(i), 'person:alice', at)]);
			states.set(at, Y.encodeStateAsUpdate(alice.doc));
			if (i % 4 === 3) await store.compact('board:past');
		}
		expect(await store.loadAsAt('board:past', 1_600_000_000_000)).toEqual({ updates: [], seq: 0, complete: true });
		for (const [at, expected] of states) {
			for (const moment of [at, at + hour / 2]) {
				const past = await store.loadAsAt('board:past', moment);
				expect(past.complete).toBe(true);
				const rebuilt = docFrom(past.updates);
				expectBytes(Y.encodeStateAsUpdate(rebuilt), Y.encodeStateAsUpdate(docFrom([expected])));
			}
		}
		// A checkpoint is used: fewer updates than seqs are replayed for the latest moment.
		const latest = await store.loadAsAt('board:past', Number.MAX_SAFE_INTEGER);
		expect(latest.seq).toBe(12);
		expect(latest.updates.length).toBeLessThan(12);
	});

	it('after retention prunes, day ends and meeting moments stay answerable byte for byte, later moments too', async () => {
		const store = current();
		const alice = writer(1);
		const hour = 3_600_000;
		const start = Date.UTC(2026, 0, 5, 9); // 09:00 UK time (winter), three edits a day for four days
		const states = new Map<number, Uint8Array>();
		for (let day = 0; day < 4; day++) {
			for (let i = 0; i < 3; i++) {
				const at = start + day * 24 * hour + i * 3 * hour;
				await store.appendUpdates('board:old', [entry(alice.edit(day * 3 + i), 'person:alice', at)]);
				states.set(at, Y.encodeStateAsUpdate(alice.doc));
			}
		}
		const meeting = start + 2 * 24 * hour + 4 * hour; // between the 2nd and 3rd edit of day 3
		const cutoff = start + 3 * 24 * hour; // day 4, 09:00: days 1-3 are pruned
		const upTo = await pruneDocHistory(store, 'board:old', cutoff, [meeting]);
		expect(upTo).toBe(9);
		expect(await pruneDocHistory(store, 'board:old', cutoff, [meeting])).toBe(9); // idempotent
		const stateAt = async (moment: number) => {
			const past = await store.loadAsAt('board:old', moment);
			return past.complete ? Y.encodeStateAsUpdate(docFrom(past.updates)) : undefined;
		};
		const dayEnd = (day: number) => start + day * 24 * hour + 6 * hour; // the last edit of each day
		for (const day of [0, 1, 2]) expectBytes(await stateAt(dayEnd(day) + hour), Y.encodeStateAsUpdate(docFrom([states.get(dayEnd(day))!])));
		expectBytes(await stateAt(meeting), Y.encodeStateAsUpdate(docFrom([states.get(start + 2 * 24 * hour + 3 * hour)!])));
		// A moment inside a pruned day that is neither a day end nor a meeting is no longer kept.
		expect(await stateAt(start + hour * 4)).toBeUndefined();
		// Everything after the cut-off replays as before.
		for (const i of [0, 1, 2]) {
			const at = start + 3 * 24 * hour + i * 3 * hour;
			expectBytes(await stateAt(at), Y.encodeStateAsUpdate(docFrom([states.get(at)!])));
		}
		expect(await store.ledger('board:old')).toEqual([]);
		expect((await store.loadDoc('board:old')).updates.length).toBeGreaterThan(0);
	});
}
