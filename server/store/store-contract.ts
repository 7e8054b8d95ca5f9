/**
 * The contract every Store implementation passes unchanged. Call it from the implementation's test:
 *
 *   describeStoreContract('sqlite', async () => ({ store, reopen, cleanup }));
 *
 * `makeStore` runs before every test and must return a store over EMPTY storage of its own (a fresh
 * temp dir, a fresh Redis key prefix or database). `reopen()` opens another Store over that same
 * storage (the test closes the first one before reopening); `cleanup()` closes every store the harness
 * opened (close is idempotent) and removes the storage.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeDocStoreContract, docFrom, entry, expectSameContent, writer } from './store-contract-docs.ts';
import { StoreUnavailableError, storeKinds, type Store } from './store.ts';

export interface StoreHarness {
	store: Store;
	reopen(): Promise<Store>;
	cleanup(): Promise<void>;
}

export type StoreHarnessFactory = () => Promise<StoreHarness>;

export function describeStoreContract(name: string, makeStore: StoreHarnessFactory): void {
	describe(`Store contract: ${name}`, () => {
		// Set before each test, for the test that is running.
		let harness: StoreHarness;
		let store: Store;
		beforeEach(async () => {
			harness = await makeStore();
			store = harness.store;
		});
		afterEach(async () => {
			await harness.cleanup();
		});

		describe('documents', () => describeDocStoreContract(() => store));

		describe('records', () => {
			it('keeps records per collection, without collisions between collection and id', async () => {
				await store.putRecord('sessions', 'a', { who: 'person:alice', roles: ['lead'], n: 1.5 });
				await store.putRecord('invites', 'a', 'an invite');
				await store.putRecord('a:b', 'c', 1);
				await store.putRecord('a', 'b:c', 2);
				await store.putRecord('sessions-old', 'z', true);
				await store.putRecord('sessions', 'null', null);
				expect(await store.getRecord('sessions', 'a')).toEqual({ who: 'person:alice', roles: ['lead'], n: 1.5 });
				expect(await store.getRecord('invites', 'a')).toBe('an invite');
				expect(await store.getRecord('a:b', 'c')).toBe(1);
				expect(await store.getRecord('a', 'b:c')).toBe(2);
				expect(await store.getRecord('sessions', 'null')).toBeNull();
				expect(await store.getRecord('sessions', 'missing')).toBeUndefined();
				await store.putRecord('sessions', 'a', { who: 'person:bob' });
				expect(await store.getRecord('sessions', 'a')).toEqual({ who: 'person:bob' });
				const list = await store.listRecords('sessions');
				expect(list.sort((x, y) => x.id.localeCompare(y.id))).toEqual([
					{ id: 'a', value: { who: 'person:bob' } },
					{ id: 'null', value: null }
				]);
				expect(await store.listRecords('a')).toEqual([{ id: 'b:c', value: 2 }]);
				expect(await store.listRecords('nothing')).toEqual([]);
			});

			it('deletes records and says whether there was one', async () => {
				await store.putRecord('invites', 'x', { uses: 1 });
				await store.putRecord('people', 'x', { name: 'X' });
				expect(await store.deleteRecord('invites', 'x')).toBe(true);
				expect(await store.deleteRecord('invites', 'x')).toBe(false);
				expect(await store.getRecord('invites', 'x')).toBeUndefined();
				expect(await store.getRecord('people', 'x')).toEqual({ name: 'X' });
				expect(await store.listRecords('invites')).toEqual([]);
			});

			it('compares and sets records: absent, present, mismatch, and one winner among racers', async () => {
				expect(await store.compareAndSetRecord('counters', 'c', { n: 0 }, { n: 1 })).toBe(false);
				expect(await store.getRecord('counters', 'c')).toBeUndefined();
				expect(await store.compareAndSetRecord('counters', 'c', undefined, { n: 0 })).toBe(true);
				expect(await store.compareAndSetRecord('counters', 'c', undefined, { n: 5 })).toBe(false);
				expect(await store.compareAndSetRecord('counters', 'c', { n: 3 }, { n: 4 })).toBe(false);
				expect(await store.getRecord('counters', 'c')).toEqual({ n: 0 });
				const before = await store.getRecord('counters', 'c');
				const racers = Array.from({ length: 8 }, (_, i) =>
					store.compareAndSetRecord('counters', 'c', before, { n: 1, by: i })
				);
				const wins = (await Promise.all(racers)).filter(Boolean);
				expect(wins).toHaveLength(1);
				expect(await store.getRecord('counters', 'c')).toMatchObject({ n: 1 });
				expect(await store.getRecord('other', 'c')).toBeUndefined();
			});

			it('compares records as JSON regardless of key order, and deletes when next is undefined', async () => {
				await store.putRecord('secrets', 's', { used: false, hash: 'h', meta: { b: 2, a: 1 } });
				const reordered = { meta: { a: 1, b: 2 }, hash: 'h', used: false };
				expect(await store.compareAndSetRecord('secrets', 's', reordered, { hash: 'h', used: true })).toBe(true);
				expect(await store.getRecord('secrets', 's')).toEqual({ hash: 'h', used: true });
				expect(await store.compareAndSetRecord('secrets', 's', { hash: 'h', used: false }, undefined)).toBe(false);
				expect(await store.compareAndSetRecord('secrets', 's', { used: true, hash: 'h' }, undefined)).toBe(true);
				expect(await store.getRecord('secrets', 's')).toBeUndefined();
				expect(await store.compareAndSetRecord('secrets', 's', undefined, undefined)).toBe(true);
				await store.putRecord('secrets', 's', 1);
				expect(await store.compareAndSetRecord('secrets', 's', undefined, undefined)).toBe(false);
				expect(await store.getRecord('secrets', 's')).toBe(1);
			});
		});

		describe('lifecycle', () => {
			it('names its kind and answers ping', async () => {
				expect(storeKinds).toContain(store.kind);
				await expect(store.ping()).resolves.toBeUndefined();
			});

			it('keeps documents, history and records across close and reopen', async () => {
				const alice = writer(1);
				await store.appendUpdates('board:1', [0, 1, 2].map((i) => entry(alice.edit(i))));
				await store.compact('board:1');
				await store.appendUpdates('board:1', [entry(alice.edit(3))]);
				await store.putRecord('people', 'p1', { name: 'Ada' });
				const history = await store.history('board:1');
				await store.close();
				const reopened = await harness.reopen();
				const loaded = await reopened.loadDoc('board:1');
				expect(loaded.logLength).toBe(1);
				expect(loaded.updates).toHaveLength(2);
				expectSameContent(docFrom(loaded.updates), alice.doc);
				expect(await reopened.history('board:1')).toEqual(history);
				expect(await reopened.getRecord('people', 'p1')).toEqual({ name: 'Ada' });
				expect(await reopened.listDocs()).toEqual(['board:1']);
				expect(await reopened.appendUpdates('board:1', [entry(alice.edit(4))])).toMatchObject({ logLength: 2 });
			});

			it('closes idempotently and is unavailable once closed', async () => {
				await store.close();
				await store.close();
				await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
				await expect(store.ping()).rejects.toMatchObject({ code: 'store_unavailable' });
			});
		});
	});
}
