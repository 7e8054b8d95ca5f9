/**
 * Anti-entropy: an instance that misses published messages catches up from the store without any
 * client reconnecting: periodically, after its subscriber reconnects, and on a gap in a sender's
 * message numbering.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createRedisClient, type RedisClient } from '../server/redis/redis-client.ts';
import { encodeRelayMessage } from '../server/redis/relay-protocol.ts';
import { connectClient, eventually, type TestClient } from './helpers/clients.ts';
import { startRedis, type RunningRedis } from './helpers/redis-server.ts';
import { httpStatus, metricValue, startInstances } from './helpers/scale.ts';
import type { TestServer } from './helpers/server.ts';

const noPeriodicCheck = { reconcileIntervalMs: 600_000 };

describe('scale-out: anti-entropy', () => {
	let redis: RunningRedis;
	let admin: RedisClient;
	let instances: TestServer[] = [];
	const clients: TestClient[] = [];
	const client = (server: TestServer, doc: string) => {
		const made = connectClient(server.wsUrl, doc);
		clients.push(made);
		return made;
	};
	/** Counts the websocket connections a client opens: a reconnect would show here. */
	const connectionsOf = (made: TestClient) => {
		let opened = made.provider.wsconnected ? 1 : 0;
		made.provider.on('status', ({ status }: { status: string }) => {
			if (status === 'connected') opened++;
		});
		return () => opened;
	};

	beforeEach(async () => {
		redis = await startRedis();
		admin = await createRedisClient({ url: redis.url });
	});
	afterEach(async () => {
		for (const made of clients.splice(0)) made.destroy();
		await Promise.all(instances.map((instance) => instance.close()));
		instances = [];
		await admin.sendCommand(['CONFIG', 'SET', 'maxclients', '10000']);
		await admin.close();
		await redis.stop();
	});

	it('an instance whose subscription was dropped catches up through the periodic check', async () => {
		const [a] = await startInstances(1, redis.url);
		const [b] = await startInstances(1, redis.url, { relayLimits: { reconcileIntervalMs: 300 } });
		instances = [a!, b!];
		const writer = client(a!, 'dropped');
		const reader = client(b!, 'dropped');
		await Promise.all([writer.synced, reader.synced]);
		const readerConnections = connectionsOf(reader);
		writer.doc.getMap('map').set('before', 1);
		await eventually(() => expect(reader.doc.getMap('map').get('before')).toBe(1));

		// Behind the relay's back: the instance no longer hears the document's channel.
		const relay = b!.backend.relay!;
		await relay.subscriber.unsubscribe(relay.channels('dropped').updates);
		const receivedBefore = await metricValue(b!.backend, 'mc_relay_received_total', { kind: 'update' });
		for (let i = 0; i < 20; i++) writer.doc.getMap('map').set(`k${i}`, i);

		await eventually(() => expect(reader.doc.getMap('map').size).toBe(21));
		expect(Y.encodeStateVector(reader.doc)).toEqual(Y.encodeStateVector(writer.doc));
		expect(await metricValue(b!.backend, 'mc_relay_received_total', { kind: 'update' })).toBe(receivedBefore);
		expect(await metricValue(b!.backend, 'mc_reconciliations_total', { outcome: 'missing' })).toBeGreaterThan(0);
		expect(readerConnections()).toBe(1);
	});

	it('under steady writes the periodic check counts what was relayed and stored instead of loading the document', async () => {
		instances = await startInstances(2, redis.url, { relayLimits: { reconcileIntervalMs: 200, countSettleMs: 2_000 } });
		const [a, b] = instances as [TestServer, TestServer];
		const writerA = client(a, 'counted');
		const writerB = client(b, 'counted');
		await Promise.all([writerA.synced, writerB.synced]);
		// The checks made when each subscription was confirmed load the document: those are full.
		const full = async (server: TestServer) =>
			(await metricValue(server.backend, 'mc_reconciliations_total', { outcome: 'in_sync' })) +
			(await metricValue(server.backend, 'mc_reconciliations_total', { outcome: 'missing' }));
		await eventually(async () => expect(await full(a)).toBeGreaterThan(0));
		await eventually(async () => expect(await full(b)).toBeGreaterThan(0));
		const fullBefore = [await full(a), await full(b)];

		for (let i = 0; i < 30; i++) {
			writerA.doc.getMap('map').set(`a${i}`, i);
			writerB.doc.getMap('map').set(`b${i}`, i);
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		await eventually(() => expect(writerB.doc.getMap('map').size).toBe(60));
		await eventually(() => expect(writerA.doc.getMap('map').size).toBe(60));
		// Both instances went on checking while updates arrived from both sides, and every check
		// found its count complete: nothing was loaded again.
		await eventually(async () => expect(await metricValue(a.backend, 'mc_reconciliations_total', { outcome: 'counted' })).toBeGreaterThan(0));
		await eventually(async () => expect(await metricValue(b.backend, 'mc_reconciliations_total', { outcome: 'counted' })).toBeGreaterThan(0));
		expect([await full(a), await full(b)]).toEqual(fullBefore);
		expect(Y.encodeStateVector(writerA.doc)).toEqual(Y.encodeStateVector(writerB.doc));
	});

	it('after its subscriber reconnects, an instance merges what was published while it was away', async () => {
		instances = await startInstances(2, redis.url, { relayLimits: noPeriodicCheck });
		const [a, b] = instances as [TestServer, TestServer];
		const writer = client(a, 'reconnect');
		const reader = client(b, 'reconnect');
		await Promise.all([writer.synced, reader.synced]);
		const readerConnections = connectionsOf(reader);

		// Cut the subscriber off and keep it off: Redis refuses new connections for now.
		const list = String(await admin.sendCommand(['CLIENT', 'LIST']));
		const line = list.split('\n').find((entry) => entry.includes(`name=mc-relay-${b.backend.instanceId}-sub`));
		const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
		expect(id).toBeDefined();
		await admin.sendCommand(['CONFIG', 'SET', 'maxclients', '1']);
		await admin.sendCommand(['CLIENT', 'KILL', 'ID', id!]);
		await eventually(() => expect(b.backend.relay!.ready).toBe(false));
		expect(await httpStatus(`${b.url}/healthz`)).toBe(503);

		for (let i = 0; i < 20; i++) writer.doc.getMap('map').set(`k${i}`, i);
		await eventually(async () => expect((await a.backend.store.loadDoc('reconnect')).updates.length).toBeGreaterThan(0));
		await eventually(() => expect(a.backend.hub.loaded('reconnect')?.pendingCount).toBe(0));

		await admin.sendCommand(['CONFIG', 'SET', 'maxclients', '10000']);
		await eventually(() => expect(reader.doc.getMap('map').size).toBe(20));
		expect(Y.encodeStateVector(reader.doc)).toEqual(Y.encodeStateVector(writer.doc));
		expect(await metricValue(b.backend, 'mc_reconciliations_total', { outcome: 'missing' })).toBeGreaterThan(0);
		expect(readerConnections()).toBe(1);
		await eventually(async () => expect(await httpStatus(`${b.url}/healthz`)).toBe(200));
	});

	it('a gap in a sender’s message numbering makes the receiver merge from the store at once', async () => {
		instances = await startInstances(1, redis.url, { relayLimits: noPeriodicCheck });
		const [b] = instances as [TestServer];
		const reader = client(b, 'gap');
		await reader.synced;
		// The check made when the subscription was confirmed is done.
		await eventually(async () => expect(await metricValue(b.backend, 'mc_reconciliations_total')).toBeGreaterThan(0));

		// Another "instance" stores three updates and publishes the first and the third only.
		const ghost = new Y.Doc();
		const updates: Uint8Array[] = [];
		ghost.on('update', (update: Uint8Array) => updates.push(update));
		for (const key of ['one', 'two', 'three']) ghost.getMap('map').set(key, key);
		const meta = { by: 'ghost', at: Date.now() };
		await b.backend.store.appendUpdates('gap', updates.map((update) => ({ update, meta })));
		const channel = b.backend.relay!.channels('gap').updates;
		const sent = (seq: number, update: Uint8Array) => encodeRelayMessage({ kind: 'update', from: 'ghost', sentAt: Date.now(), stream: 7, seq, updates: [update] });
		await admin.publish(channel, sent(1, updates[0]!));
		await eventually(() => expect(reader.doc.getMap('map').get('one')).toBe('one'));
		await admin.publish(channel, sent(3, updates[2]!));

		await eventually(() => expect(reader.doc.getMap('map').toJSON()).toEqual({ one: 'one', two: 'two', three: 'three' }));
		expect(await metricValue(b.backend, 'mc_relay_dropped_total', { reason: 'gap' })).toBe(1);
		expect(await metricValue(b.backend, 'mc_reconciliations_total', { outcome: 'missing' })).toBeGreaterThan(0);
	});

	it('drops a malformed relay message, counts it, and keeps relaying', async () => {
		instances = await startInstances(2, redis.url, { relayLimits: noPeriodicCheck });
		const [a, b] = instances as [TestServer, TestServer];
		const writer = client(a, 'garbage');
		const reader = client(b, 'garbage');
		await Promise.all([writer.synced, reader.synced]);
		const relay = b.backend.relay!;
		await admin.publish(relay.channels('garbage').updates, Buffer.from([0xff, 0xfe, 0x00, 0x42]));
		await admin.publish(relay.channels('garbage').awareness, Buffer.from('not a relay message'));
		await eventually(async () => expect(await metricValue(b.backend, 'mc_relay_dropped_total', { reason: 'malformed' })).toBe(2));
		writer.doc.getMap('map').set('still', 'relayed');
		await eventually(() => expect(reader.doc.getMap('map').get('still')).toBe('relayed'));
	});
});
