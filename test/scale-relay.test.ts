/**
 * Several instances on one Redis: edits and presence relayed between them, never echoed back.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectClient, eventually, type TestClient } from './helpers/clients.ts';
import { startRedis, type RunningRedis } from './helpers/redis-server.ts';
import { contains, contentOf, metricValue, startInstances, storedDoc } from './helpers/scale.ts';
import type { TestServer } from './helpers/server.ts';
import { createRedisClient } from '../server/redis/redis-client.ts';
import { decodeRelayMessage } from '../server/redis/relay-protocol.ts';

describe('scale-out: the Redis relay', () => {
	let redis: RunningRedis;
	let instances: TestServer[] = [];
	const clients: TestClient[] = [];
	const client = (server: TestServer, doc: string) => {
		const made = connectClient(server.wsUrl, doc);
		clients.push(made);
		return made;
	};

	beforeEach(async () => {
		redis = await startRedis();
	});
	afterEach(async () => {
		for (const made of clients.splice(0)) made.destroy();
		await Promise.all(instances.map((instance) => instance.close()));
		instances = [];
		await redis.stop();
	});

	it('three instances with clients spread across them converge on one board, and the store holds it all', async () => {
		instances = await startInstances(3, redis.url);
		const board = 'converge';
		const all = instances.flatMap((instance) => [client(instance, board), client(instance, board)]);
		await Promise.all(all.map((made) => made.synced));

		// Every client edits at once: map entries, list items and text, interleaved.
		for (let round = 0; round < 30; round++) {
			all.forEach((made, i) => {
				made.doc.getMap('map').set(`c${i}-r${round}`, round);
				made.doc.getArray('list').push([`c${i}-r${round}`]);
				made.doc.getText('text').insert(made.doc.getText('text').length, String(i));
			});
			await new Promise((resolve) => setImmediate(resolve));
		}

		await eventually(() => {
			const expected = contentOf(all[0]!.doc);
			for (const made of all) expect(contentOf(made.doc)).toEqual(expected);
			expect(all[0]!.doc.getMap('map').size).toBe(all.length * 30);
			expect(all[0]!.doc.getArray('list').length).toBe(all.length * 30);
		}, 15_000);
		// The instances' own copies agree too.
		for (const instance of instances) {
			const shared = instance.backend.hub.loaded(board);
			expect(shared).toBeDefined();
			expect(contentOf(shared!.doc)).toEqual(contentOf(all[0]!.doc));
		}
		await eventually(async () => {
			const stored = await storedDoc(redis.url, board);
			for (const made of all) expect(contains(stored, made.doc)).toBe(true);
		});
		// Each instance published its own clients' updates and received the others'.
		for (const instance of instances) {
			expect(await metricValue(instance.backend, 'mc_relay_published_total', { kind: 'update' })).toBeGreaterThan(0);
			expect(await metricValue(instance.backend, 'mc_relay_received_total', { kind: 'update' })).toBeGreaterThan(0);
			expect(await metricValue(instance.backend, 'mc_relay_lag_seconds', { kind: 'update' })).toBeGreaterThan(0);
		}
	});

	it('never republishes what it received: an instance whose clients only read publishes nothing', async () => {
		instances = await startInstances(2, redis.url);
		const [writerHost, readerHost] = instances as [TestServer, TestServer];
		const writer = client(writerHost, 'echo');
		const reader = client(readerHost, 'echo');
		await Promise.all([writer.synced, reader.synced]);
		for (let i = 0; i < 20; i++) writer.doc.getMap('map').set(`k${i}`, i);
		await eventually(() => expect(reader.doc.getMap('map').size).toBe(20));
		// Anti-entropy merges (origin 'store') must not be republished either.
		await readerHost.backend.relay!.antiEntropy.requestAll('periodic');
		expect(await metricValue(readerHost.backend, 'mc_relay_received_total', { kind: 'update' })).toBeGreaterThan(0);
		expect(await metricValue(readerHost.backend, 'mc_relay_published_total', { kind: 'update' })).toBe(0);
		// And the store holds each update once per append, not once per instance.
		const history = await writerHost.backend.store.history('echo', { limit: 1_000 });
		expect(history.every((entry) => entry.by === history[0]!.by)).toBe(true);
		expect(history.length).toBeLessThanOrEqual(20);
	});

	it('publishes each stored batch from inside the append script, in the same write, never by a PUBLISH of its own', async () => {
		instances = await startInstances(2, redis.url);
		const [writerHost, readerHost] = instances as [TestServer, TestServer];
		const writer = client(writerHost, 'one-write');
		const reader = client(readerHost, 'one-write');
		await Promise.all([writer.synced, reader.synced]);
		// Asked again for the same batch (its write failed and is retried), the relay gives the same number:
		// the number is taken only once a write succeeded, so a retry leaves no gap for the others.
		const relay = writerHost.backend.relay!;
		const attempt = () => relay.hooks.announce!({ docName: 'one-write', entries: [{ update: Y.encodeStateAsUpdate(new Y.Doc()), meta: { by: 'person:test', at: 0 } }] });
		const [first, retry] = [attempt(), attempt()].map((announcement) => {
			const message = decodeRelayMessage(announcement!.message);
			return message.kind === 'update' ? message.seq : undefined;
		});
		expect(first).toBeTypeOf('number');
		expect(retry).toBe(first);
		const monitor = await createRedisClient({ url: redis.url });
		const publishes: string[] = [];
		try {
			// MONITOR shows commands a script runs as coming from "lua".
			await monitor.monitor((line) => {
				if (line.includes('"PUBLISH"') && line.includes(':updates"')) publishes.push(line);
			});
			for (let i = 0; i < 10; i++) {
				writer.doc.getMap('map').set(`k${i}`, i);
				await eventually(() => expect(reader.doc.getMap('map').get(`k${i}`)).toBe(i));
			}
			await eventually(() => expect(publishes.length).toBeGreaterThanOrEqual(10));
		} finally {
			monitor.destroy();
		}
		expect(publishes.filter((line) => !line.includes(' lua]'))).toEqual([]);
		expect(await metricValue(writerHost.backend, 'mc_relay_published_total', { kind: 'update' })).toBeGreaterThanOrEqual(10);
		expect(await metricValue(readerHost.backend, 'mc_relay_dropped_total', { reason: 'gap' })).toBe(0);
	});

	it('relays presence: a state set on one instance appears on another and goes when its client leaves', async () => {
		instances = await startInstances(2, redis.url);
		const [a, b] = instances as [TestServer, TestServer];
		const alice = client(a, 'presence');
		const bob = client(b, 'presence');
		await Promise.all([alice.synced, bob.synced]);
		// (The hub sets `user` from the connection's principal; the rest of a state is the client's.)
		alice.provider.awareness.setLocalStateField('focus', { item: 'dep-1' });
		await eventually(() => expect(bob.provider.awareness.getStates().get(alice.doc.clientID)?.focus).toEqual({ item: 'dep-1' }));

		// An instance that loads the document later asks the others who is there.
		const c = (await startInstances(1, redis.url))[0]!;
		instances.push(c);
		const carol = client(c, 'presence');
		await carol.synced;
		await eventually(() => expect(carol.provider.awareness.getStates().get(alice.doc.clientID)?.focus).toEqual({ item: 'dep-1' }));

		alice.provider.disconnect();
		await eventually(() => {
			expect(bob.provider.awareness.getStates().has(alice.doc.clientID)).toBe(false);
			expect(carol.provider.awareness.getStates().has(alice.doc.clientID)).toBe(false);
		});
		// Alice's instance published her presence; Bob's (whose client set none) republished nothing it received.
		expect(await metricValue(a.backend, 'mc_relay_published_total', { kind: 'awareness' })).toBeGreaterThan(0);
		expect(await metricValue(b.backend, 'mc_relay_received_total', { kind: 'awareness' })).toBeGreaterThan(0);
		expect(await metricValue(b.backend, 'mc_relay_published_total', { kind: 'awareness' })).toBe(0);
	});

	it('a document loaded on one instance while another writes misses nothing', async () => {
		// No periodic anti-entropy: the load plus the subscription must be enough. The reader's
		// instance unloads the document quickly, so each round loads it afresh under writes.
		instances = await startInstances(2, redis.url, { relayLimits: { reconcileIntervalMs: 600_000 }, hubLimits: { unloadGraceMs: 10 } });
		const [a, b] = instances as [TestServer, TestServer];
		const writer = client(a, 'late-load');
		await writer.synced;
		let written = 0;
		for (let round = 0; round < 8; round++) {
			const timer = setInterval(() => writer.doc.getMap('map').set(`k${written++}`, written), 1);
			const reader = client(b, 'late-load');
			try {
				await reader.synced;
				await new Promise((resolve) => setTimeout(resolve, 20));
			} finally {
				clearInterval(timer);
			}
			await eventually(() => expect(reader.doc.getMap('map').size).toBe(written));
			expect(Y.encodeStateVector(reader.doc)).toEqual(Y.encodeStateVector(writer.doc));
			reader.destroy();
			await eventually(() => expect(b.backend.hub.loadedDocs).not.toContain('late-load'));
		}
	});
});
