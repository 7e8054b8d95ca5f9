import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPostgres } from '../../test/helpers/postgres-server.ts';
import { startRedis } from '../../test/helpers/redis-server.ts';
import { createRedisClient } from '../redis/redis-client.ts';
import { createStore } from './index.ts';

describe('createStore', () => {
	let dataDir: string;
	beforeEach(async () => {
		dataDir = await mkdtemp(join(tmpdir(), 'mc-create-store-'));
	});
	afterEach(async () => {
		await rm(dataDir, { recursive: true, force: true });
	});

	it('opens the SQLite file in dataDir when no Redis URL is set', async () => {
		const store = await createStore({ dataDir });
		expect(store.kind).toBe('sqlite');
		await store.putRecord('people', 'p', { name: 'Ada' });
		await store.close();
		expect(await readdir(dataDir)).toContain('mission-control.db');
	});

	it('connects to Redis when a Redis URL is set, and writes nothing to dataDir', async () => {
		const redis = await startRedis({ appendonly: false });
		try {
			const store = await createStore({ dataDir, redisUrl: redis.url });
			expect(store.kind).toBe('redis');
			await store.ping();
			await store.close();
			expect(await readdir(dataDir)).toEqual([]);
		} finally {
			await redis.stop();
		}
	});

	it('opens PostgreSQL when a database URL is set, even with a Redis URL, and writes nothing to Redis or dataDir', async () => {
		const [postgres, redis] = await Promise.all([startPostgres(), startRedis({ appendonly: false })]);
		try {
			const store = await createStore({ dataDir, redisUrl: redis.url, databaseUrl: await postgres.createDatabase() });
			expect(store.kind).toBe('postgres');
			await store.appendUpdates('board:1', [{ update: new Uint8Array([0, 0]), meta: { by: 'person:a', at: 1 } }]);
			await store.putRecord('people', 'p', { name: 'Ada' });
			await store.close();
			expect(await readdir(dataDir)).toEqual([]);
			const admin = await createRedisClient({ url: redis.url });
			expect(await admin.dbSize()).toBe(0);
			admin.destroy();
		} finally {
			await Promise.all([postgres.stop(), redis.stop()]);
		}
	}, 60_000);
});
