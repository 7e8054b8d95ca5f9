/**
 * Faults with several instances: Redis killed mid-load and started again, an instance killed with
 * SIGKILL. Every client and every instance converges and the store ends with every update any client had.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectClient, eventually, type TestClient } from './helpers/clients.ts';
import { startRedis, type RunningRedis } from './helpers/redis-server.ts';
import { contains, contentOf, httpStatus, metricValue, startBalancer, startInstances, storedDoc } from './helpers/scale.ts';
import { spawnServer, tempDir, type SpawnedServer, type TestServer } from './helpers/server.ts';

/** Each writer sets its own keys every few milliseconds until stopped. */
function startWriting(writers: TestClient[], everyMs = 5): { stop(): void; written(): number } {
	let written = 0;
	const timer = setInterval(() => {
		writers.forEach((writer, i) => {
			writer.doc.getMap('map').set(`w${i}-${written}`, written);
		});
		written++;
	}, everyMs);
	return { stop: () => clearInterval(timer), written: () => written };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('scale-out: faults', () => {
	let redis: RunningRedis;
	const cleanups: Array<() => unknown> = [];
	const clients: TestClient[] = [];
	const client = (wsUrl: string, doc: string) => {
		const made = connectClient(wsUrl, doc);
		clients.push(made);
		return made;
	};

	beforeEach(async () => {
		redis = await startRedis();
	});
	afterEach(async () => {
		for (const made of clients.splice(0)) made.destroy();
		for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
		await redis.stop();
	});

	it('/healthz is 503 on every instance while Redis is down and 200 again by itself', async () => {
		const instances = await startInstances(2, redis.url);
		cleanups.push(() => Promise.all(instances.map((instance) => instance.close())));
		for (const instance of instances) expect(await httpStatus(`${instance.url}/healthz`)).toBe(200);
		await redis.kill();
		for (const instance of instances) await eventually(async () => expect(await httpStatus(`${instance.url}/healthz`)).toBe(503));
		await redis.restart();
		for (const instance of instances) await eventually(async () => expect(await httpStatus(`${instance.url}/healthz`)).toBe(200));
	});

	it('Redis killed mid-load and started again: every instance and client converges, the store has every update', async () => {
		const instances: TestServer[] = await startInstances(3, redis.url);
		cleanups.push(() => Promise.all(instances.map((instance) => instance.close())));
		const board = 'outage';
		const writers = instances.flatMap((instance) => [client(instance.wsUrl, board), client(instance.wsUrl, board)]);
		await Promise.all(writers.map((made) => made.synced));

		const load = startWriting(writers);
		await eventually(() => expect(writers[5]!.doc.getMap('map').size).toBeGreaterThan(100));
		await redis.kill();
		// Writes keep coming while Redis is gone: the instances hold them in memory.
		await eventually(async () => {
			for (const instance of instances) expect(await metricValue(instance.backend, 'mc_store_queued_updates')).toBeGreaterThan(0);
		});
		await pause(300);
		await redis.restart();
		await pause(300);
		load.stop();

		await eventually(() => {
			const expected = contentOf(writers[0]!.doc);
			for (const made of writers) expect(contentOf(made.doc)).toEqual(expected);
			expect(writers[0]!.doc.getMap('map').size).toBe(load.written() * writers.length);
		}, 30_000);
		for (const instance of instances) {
			await eventually(() => expect(contentOf(instance.backend.hub.loaded(board)!.doc)).toEqual(contentOf(writers[0]!.doc)));
			await eventually(async () => expect(await metricValue(instance.backend, 'mc_store_queued_updates')).toBe(0));
		}
		const stored = await storedDoc(redis.url, board);
		for (const made of writers) expect(contains(stored, made.doc)).toBe(true);
		for (const instance of instances) await eventually(async () => expect(await httpStatus(`${instance.url}/healthz`)).toBe(200));
	}, 60_000);

	it('Redis frozen mid-load (SIGSTOP) and thawed: every client converges and the store has every update', async () => {
		const instances: TestServer[] = await startInstances(2, redis.url);
		cleanups.push(() => Promise.all(instances.map((instance) => instance.close())));
		const writers = instances.flatMap((instance) => [client(instance.wsUrl, 'frozen'), client(instance.wsUrl, 'frozen')]);
		await Promise.all(writers.map((made) => made.synced));

		const load = startWriting(writers);
		await eventually(() => expect(writers[3]!.doc.getMap('map').size).toBeGreaterThan(100));
		redis.pause();
		// Connections stay open but nothing is answered: health checks time out.
		await eventually(async () => expect(await httpStatus(`${instances[0]!.url}/healthz`)).toBe(503));
		await pause(300);
		redis.resume();
		await pause(200);
		load.stop();

		await eventually(() => {
			const expected = contentOf(writers[0]!.doc);
			for (const made of writers) expect(contentOf(made.doc)).toEqual(expected);
			expect(writers[0]!.doc.getMap('map').size).toBe(load.written() * writers.length);
		}, 30_000);
		await eventually(async () => {
			const stored = await storedDoc(redis.url, 'frozen');
			for (const made of writers) expect(contains(stored, made.doc)).toBe(true);
		});
	}, 60_000);

	it('an instance killed with SIGKILL: its clients reconnect to another and nothing they had is lost', async () => {
		const dirs = [tempDir(), tempDir()];
		cleanups.push(() => dirs.forEach((dir) => dir.remove()));
		const servers: SpawnedServer[] = [];
		for (const dir of dirs) servers.push(await spawnServer({ REDIS_URL: redis.url, DATA_DIR: dir.path}));
		cleanups.push(() => Promise.all(servers.map((server) => server.kill())));
		const [doomed, survivor] = servers as [SpawnedServer, SpawnedServer];
		// A balancer sends new connections to the first instance that answers: the doomed one, then the survivor.
		const balancer = await startBalancer(() => [doomed.port, survivor.port]);
		cleanups.push(() => balancer.close());

		const board = 'sigkill';
		const writers = [client(balancer.wsUrl, board), client(balancer.wsUrl, board), client(balancer.wsUrl, board)];
		const observer = client(survivor.wsUrl, board);
		await Promise.all([...writers, observer].map((made) => made.synced));

		const load = startWriting(writers, 3);
		await eventually(() => expect(observer.doc.getMap('map').size).toBeGreaterThan(300));
		await doomed.kill();
		const writtenAtKill = load.written();
		await eventually(() => expect(load.written()).toBeGreaterThan(writtenAtKill + 50));
		// Every writer is connected again, through the balancer, to the survivor.
		await eventually(() => {
			for (const writer of writers) expect(writer.provider.wsconnected && writer.provider.synced).toBe(true);
		});
		load.stop();

		await eventually(() => {
			const expected = contentOf(observer.doc);
			for (const made of writers) expect(contentOf(made.doc)).toEqual(expected);
			expect(observer.doc.getMap('map').size).toBe(load.written() * writers.length);
		}, 20_000);
		await eventually(async () => {
			const stored = await storedDoc(redis.url, board);
			for (const made of [...writers, observer]) expect(contains(stored, made.doc)).toBe(true);
		});
		expect(Y.encodeStateVector(observer.doc)).toEqual(Y.encodeStateVector(writers[0]!.doc));
	}, 60_000);
});
