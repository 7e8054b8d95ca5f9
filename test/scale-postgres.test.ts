/**
 * The production picture: PostgreSQL holds the data (DATABASE_URL), Redis only fans out (REDIS_URL):
 * instances converge under load, PostgreSQL killed and restarted mid-write loses nothing, and two
 * spawned instances behind a TCP balancer serve one board. One PostgreSQL and one Redis per file;
 * every test gets a database of its own.
 */
import { readdirSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createPostgresStore } from '../server/store/postgres-store.ts';
import { createRedisClient } from '../server/redis/redis-client.ts';
import { connectClient, eventually, type TestClient } from './helpers/clients.ts';
import { startPostgres, type RunningPostgres } from './helpers/postgres-server.ts';
import { startRedis, type RunningRedis } from './helpers/redis-server.ts';
import { contains, contentOf, httpStatus, metricValue, startBalancer, startInstances } from './helpers/scale.ts';
import { spawnServer, tempDir, type SpawnedServer, type TestServer } from './helpers/server.ts';

/** Each writer sets its own keys every few milliseconds until stopped. */
function startWriting(writers: TestClient[], everyMs = 5): { stop(): void; written(): number } {
	let written = 0;
	const timer = setInterval(() => {
		writers.forEach((writer, i) => writer.doc.getMap('map').set(`w${i}-${written}`, written));
		written++;
	}, everyMs);
	return { stop: () => clearInterval(timer), written: () => written };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What PostgreSQL holds for a document, read with a store of the test's own. */
async function storedDoc(databaseUrl: string, name: string): Promise<Y.Doc> {
	const store = await createPostgresStore({ url: databaseUrl, migrate: false });
	try {
		const doc = new Y.Doc();
		for (const update of (await store.loadDoc(name)).updates) Y.applyUpdate(doc, update);
		return doc;
	} finally {
		await store.close();
	}
}

async function healthOf(url: string): Promise<unknown> {
	const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5_000) });
	return response.json();
}

describe('scale-out on PostgreSQL + Redis', () => {
	let postgres: RunningPostgres;
	let redis: RunningRedis;
	const cleanups: Array<() => unknown> = [];
	const clients: TestClient[] = [];
	const client = (wsUrl: string, doc: string) => {
		const made = connectClient(wsUrl, doc);
		clients.push(made);
		return made;
	};

	beforeAll(async () => {
		[postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
	}, 60_000);
	afterAll(async () => {
		await Promise.all([postgres?.stop(), redis?.stop()]);
	});
	afterEach(async () => {
		for (const made of clients.splice(0)) made.destroy();
		for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
	});

	it('three instances converge under load; PostgreSQL holds every update and Redis holds no document', async () => {
		const databaseUrl = await postgres.createDatabase();
		const instances: TestServer[] = await startInstances(3, redis.url, { env: { DATABASE_URL: databaseUrl } });
		cleanups.push(() => Promise.all(instances.map((instance) => instance.close())));
		expect(await healthOf(instances[0]!.url)).toMatchObject({ status: 'ok', store: 'postgres', fanOut: 'redis' });
		const board = 'pg-converge';
		const writers = instances.flatMap((instance) => [client(instance.wsUrl, board), client(instance.wsUrl, board)]);
		await Promise.all(writers.map((made) => made.synced));

		const load = startWriting(writers);
		await eventually(() => expect(writers[5]!.doc.getMap('map').size).toBeGreaterThan(300), 30_000);
		load.stop();

		await eventually(() => {
			const expected = contentOf(writers[0]!.doc);
			for (const made of writers) expect(contentOf(made.doc)).toEqual(expected);
			expect(writers[0]!.doc.getMap('map').size).toBe(load.written() * writers.length);
		}, 30_000);
		for (const instance of instances) {
			expect(contentOf(instance.backend.hub.loaded(board)!.doc)).toEqual(contentOf(writers[0]!.doc));
			expect(await metricValue(instance.backend, 'mc_relay_received_total', { kind: 'update' })).toBeGreaterThan(0);
		}
		const stored = await storedDoc(databaseUrl, board);
		for (const made of writers) expect(contains(stored, made.doc)).toBe(true);
		const admin = await createRedisClient({ url: redis.url });
		try {
			// Relay channels and the socket.io adapter only: no document, history or record keys.
			expect(await admin.keys('*')).toEqual([]);
		} finally {
			admin.destroy();
		}
	}, 90_000);

	it('PostgreSQL killed (SIGKILL) mid-write and restarted: 503 meanwhile, then every client converges and nothing is lost', async () => {
		const databaseUrl = await postgres.createDatabase();
		const instances: TestServer[] = await startInstances(2, redis.url, { env: { DATABASE_URL: databaseUrl } });
		cleanups.push(() => Promise.all(instances.map((instance) => instance.close())));
		const board = 'pg-outage';
		const writers = instances.flatMap((instance) => [client(instance.wsUrl, board), client(instance.wsUrl, board)]);
		await Promise.all(writers.map((made) => made.synced));

		const load = startWriting(writers);
		await eventually(() => expect(writers[3]!.doc.getMap('map').size).toBeGreaterThan(100), 30_000);
		// What every peer saw before the crash: the other instance's clients only see stored updates.
		const seenBeforeCrash = writers.map((made) => Y.encodeStateAsUpdate(made.doc));
		await postgres.kill();
		for (const instance of instances) await eventually(async () => expect(await httpStatus(`${instance.url}/healthz`)).toBe(503), 15_000);
		expect(await healthOf(instances[0]!.url)).toMatchObject({ status: 'unavailable', store: 'postgres', fanOut: 'redis' });
		// Writes keep coming while PostgreSQL is gone: the instances hold them in memory.
		await eventually(async () => {
			for (const instance of instances) expect(await metricValue(instance.backend, 'mc_store_queued_updates')).toBeGreaterThan(0);
		}, 15_000);
		await pause(300);
		await postgres.restart();
		await pause(300);
		load.stop();

		await eventually(() => {
			const expected = contentOf(writers[0]!.doc);
			for (const made of writers) expect(contentOf(made.doc)).toEqual(expected);
			expect(writers[0]!.doc.getMap('map').size).toBe(load.written() * writers.length);
		}, 60_000);
		for (const instance of instances) {
			await eventually(async () => expect(await metricValue(instance.backend, 'mc_store_queued_updates')).toBe(0), 30_000);
			await eventually(async () => expect(await httpStatus(`${instance.url}/healthz`)).toBe(200), 15_000);
		}
		const stored = await storedDoc(databaseUrl, board);
		for (const seen of seenBeforeCrash) {
			const before = new Y.Doc();
			Y.applyUpdate(before, seen);
			expect(contains(stored, before)).toBe(true);
		}
		for (const made of writers) expect(contains(stored, made.doc)).toBe(true);
	}, 150_000);

	it('two instances behind a TCP balancer (node server/main.ts with DATABASE_URL and REDIS_URL) serve one board', async () => {
		const databaseUrl = await postgres.createDatabase();
		const dirs = [tempDir(), tempDir()];
		cleanups.push(() => dirs.forEach((dir) => dir.remove()));
		const servers: SpawnedServer[] = [];
		for (const dir of dirs) servers.push(await spawnServer({ DATABASE_URL: databaseUrl, REDIS_URL: redis.url, DATA_DIR: dir.path }));
		cleanups.push(() => Promise.all(servers.map((server) => server.stop())));
		const [first, second] = servers as [SpawnedServer, SpawnedServer];
		const balancer = await startBalancer(() => [first.port, second.port]);
		cleanups.push(() => balancer.close());
		expect(await healthOf(balancer.url)).toMatchObject({ status: 'ok', store: 'postgres', fanOut: 'redis' });

		const board = 'pg-balanced';
		const writers = [client(balancer.wsUrl, board), client(second.wsUrl, board)];
		await Promise.all(writers.map((made) => made.synced));
		const load = startWriting(writers, 10);
		await eventually(() => expect(writers[1]!.doc.getMap('map').size).toBeGreaterThan(100), 30_000);
		load.stop();
		await eventually(() => {
			for (const made of writers) expect(made.doc.getMap('map').size).toBe(load.written() * writers.length);
		}, 30_000);
		const stored = await storedDoc(databaseUrl, board);
		for (const made of writers) expect(contains(stored, made.doc)).toBe(true);
		// The SQLite data directories stayed empty: PostgreSQL is the only store.
		for (const dir of dirs) expect(tempDirEntries(dir.path)).toEqual([]);
	}, 120_000);
});

function tempDirEntries(path: string): string[] {
	return readdirSync(path);
}
