/**
 * Helpers for the scale-out tests: several instances on one Redis, reading metrics, comparing
 * documents, and a plain TCP load balancer in front of instances (as nginx or HAProxy would be).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import * as Y from 'yjs';
import type { Backend } from '../../server/backend.ts';
import { createRedisStore } from '../../server/store/redis-store.ts';
import { startTestServer, type TestServer } from './server.ts';

export async function startInstances(count: number, redisUrl: string, options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer[]> {
	const instances: TestServer[] = [];
	for (let i = 0; i < count; i++) instances.push(await startTestServer({ ...options, env: { REDIS_URL: redisUrl, ...options.env } }));
	return instances;
}

/** The sum of a metric's values whose labels include `labels` (0 when there is none). */
export async function metricValue(backend: Backend, name: string, labels: Record<string, string> = {}): Promise<number> {
	const metric = backend.metrics.registry.getSingleMetric(name);
	if (!metric) throw new Error(`no metric ${name}`);
	const { values } = await metric.get();
	let sum = 0;
	for (const value of values) {
		// A histogram: count observations only (its buckets and sum are values too).
		const series = (value as { metricName?: string }).metricName;
		if (series !== undefined && !series.endsWith('_count')) continue;
		if (Object.entries(labels).every(([key, expected]) => String(value.labels[key]) === expected)) sum += value.value;
	}
	return sum;
}

/** The document as JSON (the shared types the tests use), for readable comparisons. */
export function contentOf(doc: Y.Doc): unknown {
	return { map: doc.getMap('map').toJSON(), list: doc.getArray('list').toJSON(), text: doc.getText('text').toString() };
}

/** True when `doc` holds everything `other` holds (merging `other` in would change nothing). */
export function contains(doc: Y.Doc, other: Y.Doc): boolean {
	const probe = new Y.Doc();
	Y.applyUpdate(probe, Y.encodeStateAsUpdate(doc));
	let changed = false;
	probe.on('update', () => {
		changed = true;
	});
	Y.applyUpdate(probe, Y.encodeStateAsUpdate(other));
	probe.destroy();
	return !changed;
}

/** What the Redis store holds for a document, read with a store of the test's own. */
export async function storedDoc(redisUrl: string, name: string): Promise<Y.Doc> {
	const store = await createRedisStore({ url: redisUrl });
	try {
		const { updates } = await store.loadDoc(name);
		const doc = new Y.Doc();
		for (const update of updates) Y.applyUpdate(doc, update);
		return doc;
	} finally {
		await store.close();
	}
}

export async function httpStatus(url: string): Promise<number> {
	const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
	await response.arrayBuffer();
	return response.status;
}

export interface Balancer {
	port: number;
	url: string;
	wsUrl: string;
	close(): Promise<void>;
}

/**
 * A TCP balancer: each new connection goes to the first target that accepts it, in order, so
 * clients stay on one instance until it dies and then land on the next (what a health-checked
 * nginx or HAProxy upstream does).
 */
export async function startBalancer(targets: () => number[]): Promise<Balancer> {
	const sockets = new Set<Socket>();
	const server: Server = createServer((client) => {
		sockets.add(client);
		client.on('close', () => sockets.delete(client));
		client.on('error', () => client.destroy());
		client.pause();
		const tryTarget = (candidates: number[]) => {
			const [port, ...rest] = candidates;
			if (port === undefined) return client.destroy();
			const upstream = connect({ host: '127.0.0.1', port });
			let connected = false;
			upstream.on('error', () => {
				upstream.destroy();
				if (connected) client.destroy();
				else tryTarget(rest);
			});
			upstream.once('connect', () => {
				connected = true;
				sockets.add(upstream);
				upstream.on('close', () => {
					sockets.delete(upstream);
					client.destroy();
				});
				client.on('close', () => upstream.destroy());
				client.pipe(upstream);
				upstream.pipe(client);
				client.resume();
			});
		};
		tryTarget(targets());
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	return {
		port,
		url: `http://127.0.0.1:${port}`,
		wsUrl: `ws://127.0.0.1:${port}`,
		close() {
			for (const socket of sockets) socket.destroy();
			return new Promise((resolve) => server.close(() => resolve()));
		}
	};
}
