import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startRedis, type RunningRedis } from '../../test/helpers/redis-server.ts';
import { hashTagOf, redisKeys } from '../redis/keys.ts';
import { createRedisClient, type RedisClient } from '../redis/redis-client.ts';
import { CompactionBusyError, createRedisStore, type RedisStore, type RedisStoreOptions } from './redis-store.ts';
import { describeStoreContract } from './store-contract.ts';
import { StoreUnavailableError, type AppendEntry } from './store.ts';

let redis: RunningRedis;
let admin: RedisClient;

beforeAll(async () => {
	redis = await startRedis();
	admin = await createRedisClient({ url: redis.url });
});

afterAll(async () => {
	admin?.destroy();
	await redis?.stop();
});

const freshPrefix = () => `t${randomUUID().slice(0, 8)}:`;

async function keysWithPrefix(prefix: string): Promise<string[]> {
	const found: string[] = [];
	for await (const batch of admin.scanIterator({ MATCH: `${prefix}*`, COUNT: 1_000 })) found.push(...batch);
	return found.sort();
}

describeStoreContract('redis', async () => {
	const keyPrefix = freshPrefix();
	const opened: RedisStore[] = [];
	const open = async () => {
		const store = await createRedisStore({ url: redis.url, keyPrefix });
		opened.push(store);
		return store;
	};
	return {
		store: await open(),
		reopen: open,
		cleanup: async () => {
			for (const store of opened) await store.close();
			const keys = await keysWithPrefix(keyPrefix);
			if (keys.length > 0) await admin.del(keys);
		}
	};
});

/** `count` edits by one client, each as its own update, and the text they produce. */
function textEdits(count: number, clientID = 1): { updates: Uint8Array[]; text: string } {
	const doc = new Y.Doc();
	doc.clientID = clientID;
	const updates: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => updates.push(update));
	for (let i = 0; i < count; i += 1) doc.getText('t').insert(doc.getText('t').length, `${clientID}.${i},`);
	return { updates, text: doc.getText('t').toString() };
}

const entry = (update: Uint8Array, at = 0): AppendEntry => ({ update, meta: { by: 'person:test', at } });

function textOf(updates: Uint8Array[]): string {
	const doc = new Y.Doc();
	for (const update of updates) Y.applyUpdate(doc, update);
	return doc.getText('t').toString();
}

/** Settles like `promise`, or rejects with a plain Error if it is still pending after `ms`. */
function settlesWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
	return Promise.race([
		promise,
		new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms))
	]);
}

async function untilAvailable(store: RedisStore, attempts = 200): Promise<void> {
	for (let i = 0; i < attempts; i += 1) {
		try {
			await store.ping();
			return;
		} catch (err) {
			if (!(err instanceof StoreUnavailableError)) throw err;
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
	}
	throw new Error('the store did not come back');
}

describe('redis store', () => {
	const opened: RedisStore[] = [];
	const open = async (options: Partial<RedisStoreOptions> = {}) => {
		const store = await createRedisStore({ url: redis.url, keyPrefix: freshPrefix(), ...options });
		opened.push(store);
		return store;
	};
	afterAll(async () => {
		for (const store of opened) await store.close();
	});

	it('puts every key of one document under the same hash tag, and no two documents under one', async () => {
		const keys = redisKeys('mc:');
		const names = ['board:1', 'board:1:x', 'a{b}c', 'x}y', '{', '%7B', 'ünï'];
		const tags = names.map((name) => {
			const docKeys = Object.values(keys.doc(name));
			const docTags = new Set(docKeys.map(hashTagOf));
			expect(docTags.size).toBe(1);
			const [tag] = docTags;
			expect(tag).toBeTypeOf('string');
			return tag;
		});
		expect(new Set(tags).size).toBe(names.length);
		expect(keys.doc('board:1').log).toBe('mc:doc:{board:1}:log');
		expect(hashTagOf(keys.records('sessions'))).toBe('sessions');
		expect(() => redisKeys('mc{x}:')).toThrow();
	});

	it('writes nothing for a document outside its hash tag but the name index', async () => {
		const store = await open();
		const { updates } = textEdits(3);
		for (const name of ['board:a', 'a{b}c']) {
			await store.appendUpdates(name, updates.map((u) => entry(u)));
			await store.compact(name);
			await store.appendUpdates(name, [entry(updates[0] as Uint8Array)]);
		}
		const written = await keysWithPrefix(store.keys.prefix);
		const byTag = Map.groupBy(written, (key) => hashTagOf(key) ?? '(none)');
		expect([...byTag.keys()].sort()).toEqual(['(none)', 'a%7Bb%7Dc', 'board:a']);
		expect(byTag.get('(none)')).toEqual([store.keys.docs]);
		expect(byTag.get('board:a')).toHaveLength(6); // snap, log, seq, hist, arch, ckpt; no ledger (no entries) and the lock is released
	});

	it('writes the name index once per document, and again after another instance deleted it', async () => {
		const here = await open();
		const there = await createRedisStore({ url: redis.url, keyPrefix: here.keys.prefix });
		opened.push(there);
		const zaddCalls = async () => Number(/cmdstat_zadd:calls=(\d+)/.exec(await admin.info('commandstats'))?.[1] ?? 0);
		const { updates } = textEdits(6);
		await admin.configResetStat();
		for (const update of updates.slice(0, 3)) await here.appendUpdates('board:z', [entry(update)]);
		expect(await zaddCalls()).toBe(1);
		expect(await here.listDocs()).toEqual(['board:z']);
		await there.deleteDoc('board:z');
		expect(await here.listDocs()).toEqual([]);
		// This store still remembers the name as indexed; numbering from 1 again tells it otherwise.
		const again = await here.appendUpdates('board:z', [entry(updates[3] as Uint8Array)]);
		expect(again.firstSeq).toBe(1);
		expect(await here.listDocs()).toEqual(['board:z']);
		// Deleted here: the next append indexes it before writing.
		await here.deleteDoc('board:z');
		await here.appendUpdates('board:z', [entry(updates[4] as Uint8Array)]);
		expect(await here.listDocs()).toEqual(['board:z']);
		expect(await zaddCalls()).toBe(3);
	});

	it('publishes an announcement in the same script as its append, and says which Redis it writes to', async () => {
		const store = await open();
		expect(store.sharesRedis(redis.url, store.keys.prefix)).toBe(true);
		expect(store.sharesRedis(redis.url, 'other:')).toBe(false);
		expect(store.sharesRedis('redis://127.0.0.1:1', store.keys.prefix)).toBe(false);
		const listener = await createRedisClient({ url: redis.url });
		const heard: Buffer[] = [];
		const channel = `${store.keys.prefix}doc:{board:p}:updates`;
		try {
			await listener.subscribe(channel, (message) => heard.push(message), true);
			const { updates } = textEdits(2);
			const announced = await store.appendUpdates('board:p', [entry(updates[0] as Uint8Array)], { announce: { channel, message: new Uint8Array([1, 2, 3]) } });
			await store.appendUpdates('board:p', [entry(updates[1] as Uint8Array)]);
			expect(announced.firstSeq).toBe(1);
			await expect.poll(() => heard.length).toBe(1);
			// Only the announced append published, exactly the bytes given.
			expect([...heard[0]!]).toEqual([1, 2, 3]);
		} finally {
			listener.destroy();
		}
		expect(textOf((await store.loadDoc('board:p')).updates)).toBe(textEdits(2).text);
	});

	it('loses nothing when two instances compact the same document while updates keep coming', async () => {
		const first = await open();
		const second = await createRedisStore({ url: redis.url, keyPrefix: first.keys.prefix });
		opened.push(second);
		const a = textEdits(300, 1);
		const b = textEdits(300, 2);
		let appending = true;
		const append = async (store: RedisStore, updates: Uint8Array[]) => {
			for (const [i, update] of updates.entries()) await store.appendUpdates('board:shared', [entry(update, i)]);
		};
		const compactions = { first: 0, second: 0 };
		const compactWhileAppending = async (store: RedisStore, counter: keyof typeof compactions) => {
			while (appending) {
				await store.compact('board:shared');
				compactions[counter] += 1;
			}
		};
		await Promise.all([
			Promise.all([append(first, a.updates), append(second, b.updates)]).finally(() => {
				appending = false;
			}),
			compactWhileAppending(first, 'first'),
			compactWhileAppending(second, 'second')
		]);
		expect(compactions.first).toBeGreaterThan(0);
		expect(compactions.second).toBeGreaterThan(0);

		const expected = new Y.Doc();
		for (const update of [...a.updates, ...b.updates]) Y.applyUpdate(expected, update);
		const loaded = await first.loadDoc('board:shared');
		expect(loaded.updates).toHaveLength(loaded.logLength + 1);
		expect(textOf(loaded.updates)).toBe(expected.getText('t').toString());
		await Promise.all([first.compact('board:shared'), second.compact('board:shared')]);
		const compacted = await second.loadDoc('board:shared');
		expect(compacted).toMatchObject({ logLength: 0 });
		expect(textOf(compacted.updates)).toBe(expected.getText('t').toString());
		expect(await second.history('board:shared', { limit: 1_000 })).toHaveLength(600);
	}, 30_000);

	it('waits for a compaction lock held elsewhere, then keeps what was appended meanwhile', async () => {
		const store = await open();
		const { updates, text } = textEdits(6);
		await store.appendUpdates('board:1', updates.slice(0, 4).map((u) => entry(u)));
		const lock = store.keys.doc('board:1').lock;
		await admin.set(lock, 'another-instance', { PX: 60_000 });

		const compaction = store.compact('board:1');
		await store.appendUpdates('board:1', updates.slice(4).map((u) => entry(u)));
		expect((await store.loadDoc('board:1')).logLength).toBe(6);
		await admin.del(lock);
		await compaction;

		const loaded = await store.loadDoc('board:1');
		expect(loaded).toMatchObject({ logLength: 0 });
		expect(textOf(loaded.updates)).toBe(text);
		expect(await admin.exists(lock)).toBe(0);
	});

	it('gives up with CompactionBusyError when another holder keeps the lock, leaving the log alone', async () => {
		const store = await open({ compactLockTtlMs: 200 });
		const { updates } = textEdits(3);
		await store.appendUpdates('board:1', updates.map((u) => entry(u)));
		const lock = store.keys.doc('board:1').lock;
		await admin.set(lock, 'another-instance', { PX: 60_000 });
		await expect(store.compact('board:1')).rejects.toBeInstanceOf(CompactionBusyError);
		expect(await admin.get(lock)).toBe('another-instance');
		expect((await store.loadDoc('board:1')).logLength).toBe(3);
		await admin.del(lock);
	});

	it('rejects a compaction that cannot merge and keeps the log and the lock free', async () => {
		const store = await open();
		const { updates } = textEdits(2);
		const garbage = new Uint8Array([255, 255, 255, 255]);
		await store.appendUpdates('board:1', [...updates, garbage].map((u) => entry(u)));
		await expect(store.compact('board:1')).rejects.toThrow();
		const loaded = await store.loadDoc('board:1');
		expect(loaded.logLength).toBe(3);
		expect(loaded.updates.map((u) => Buffer.from(u))).toEqual([...updates, garbage].map((u) => Buffer.from(u)));
		expect(await admin.exists(store.keys.doc('board:1').lock)).toBe(0);
	});

	it('compares records as JSON, whatever the order of their keys', async () => {
		const store = await open();
		await store.putRecord('counters', 'c', { a: 1, b: { y: 2, x: 1 } });
		expect(await store.compareAndSetRecord('counters', 'c', { b: { x: 1, y: 2 }, a: 1 }, { n: 2 })).toBe(true);
		expect(await store.getRecord('counters', 'c')).toEqual({ n: 2 });
		expect(await store.compareAndSetRecord('counters', 'c', { n: 2 }, undefined)).toBe(true);
		expect(await store.getRecord('counters', 'c')).toBeUndefined();
	});

	it('fails to start with StoreUnavailableError when nothing listens at the URL', async () => {
		const gone = await startRedis({ appendonly: false });
		await gone.stop();
		await expect(createRedisStore({ url: gone.url, startupTimeoutMs: 300 })).rejects.toBeInstanceOf(StoreUnavailableError);
	});
});

describe('redis store across a Redis crash', () => {
	let own: RunningRedis;
	let store: RedisStore;
	beforeAll(async () => {
		own = await startRedis({ appendonly: true });
		store = await createRedisStore({ url: own.url, commandTimeoutMs: 500, pingTimeoutMs: 300 });
	});
	afterAll(async () => {
		await store?.close();
		await own?.stop();
	});

	it('keeps what was appended through SIGKILL and AOF recovery, rejecting promptly while down', async () => {
		const { updates, text } = textEdits(40);
		for (const [i, update] of updates.slice(0, 30).entries()) await store.appendUpdates('board:kill', [entry(update, i)]);
		await store.putRecord('people', 'p1', { name: 'Ada' });
		await own.kill();

		await expect(settlesWithin(store.ping(), 2_000)).rejects.toBeInstanceOf(StoreUnavailableError);
		await expect(settlesWithin(store.appendUpdates('board:kill', [entry(updates[30] as Uint8Array)]), 2_000)).rejects.toBeInstanceOf(
			StoreUnavailableError
		);
		await expect(settlesWithin(store.loadDoc('board:kill'), 2_000)).rejects.toMatchObject({ code: 'store_unavailable' });

		await own.restart();
		await untilAvailable(store);
		const loaded = await store.loadDoc('board:kill');
		expect(loaded.logLength).toBe(30);
		expect(textOf(loaded.updates)).toBe(textOf(updates.slice(0, 30)));
		expect(await store.getRecord('people', 'p1')).toEqual({ name: 'Ada' });

		for (const [i, update] of updates.slice(30).entries()) await store.appendUpdates('board:kill', [entry(update, 30 + i)]);
		expect(textOf((await store.loadDoc('board:kill')).updates)).toBe(text);
		expect(await store.history('board:kill', { limit: 1 })).toMatchObject([{ seq: 40, at: 39 }]);
	}, 30_000);

	it('rejects with StoreUnavailableError when Redis hangs, and serves again once it answers', async () => {
		const { updates } = textEdits(2);
		await store.appendUpdates('board:hang', [entry(updates[0] as Uint8Array)]);
		own.pause();
		try {
			await expect(settlesWithin(store.ping(), 2_000)).rejects.toBeInstanceOf(StoreUnavailableError);
			await expect(settlesWithin(store.appendUpdates('board:hang', [entry(updates[1] as Uint8Array)]), 2_000)).rejects.toBeInstanceOf(
				StoreUnavailableError
			);
		} finally {
			own.resume();
		}
		await untilAvailable(store);
		// The append that timed out was already sent: Redis applies it once it wakes up.
		expect((await store.loadDoc('board:hang')).logLength).toBe(2);
	}, 30_000);
});
