import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectClient, eventually, type TestClient } from './helpers/clients.ts';
import { spawnServer, startTestServer, tempDir, type SpawnedServer } from './helpers/server.ts';

describe('durability', () => {
	const cleanups: Array<() => unknown> = [];
	afterEach(async () => {
		for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
	});

	it('keeps a document intact across a restart on the same DATA_DIR', async () => {
		const dir = tempDir();
		cleanups.push(() => dir.remove());
		const first = await startTestServer({ dataDir: dir.path });
		const writer = connectClient(first.wsUrl, 'restart');
		await writer.synced;
		for (let i = 0; i < 100; i++) writer.doc.getArray<number>('a').push([i]);
		writer.doc.getText('t').insert(0, 'survives a restart');
		// Everything the writer sent is durable before the server stops (the test is about the restart).
		await eventually(async () => {
			const stored = new Y.Doc();
			for (const update of (await first.backend.store.loadDoc('restart')).updates) Y.applyUpdate(stored, update);
			expect(stored.getText('t').toString()).toBe('survives a restart');
			expect(stored.getArray('a').length).toBe(100);
		});
		writer.destroy();
		await first.close();

		const second = await startTestServer({ dataDir: dir.path });
		cleanups.push(() => second.close());
		const reader = connectClient(second.wsUrl, 'restart');
		cleanups.push(() => reader.destroy());
		await reader.synced;
		expect(reader.doc.getArray('a').toArray()).toEqual(Array.from({ length: 100 }, (_, i) => i));
		expect(reader.doc.getText('t').toString()).toBe('survives a restart');
	});

	it('after a SIGKILL mid-write, a fresh client has every update another client had received', async () => {
		const dir = tempDir();
		cleanups.push(() => dir.remove());
		let server: SpawnedServer = await spawnServer({ DATA_DIR: dir.path });
		cleanups.push(() => server.kill());
		const writer = connectClient(server.wsUrl, 'kill-9');
		const observer = connectClient(server.wsUrl, 'kill-9');
		const clients: TestClient[] = [writer, observer];
		cleanups.push(() => clients.forEach((c) => c.destroy()));
		await Promise.all([writer.synced, observer.synced]);

		let written = 0;
		const timer = setInterval(() => {
			for (let i = 0; i < 5; i++) writer.doc.getMap<number>('m').set(`k${written++}`, written);
		}, 2);
		await eventually(() => expect(observer.doc.getMap('m').size).toBeGreaterThan(300));
		await server.kill();
		clearInterval(timer);
		// Everything the observer received before the kill; nothing arrives after it.
		const seen = Y.encodeStateAsUpdate(observer.doc);
		const seenKeys = [...observer.doc.getMap('m').keys()];
		writer.provider.disconnect();
		observer.provider.disconnect();

		server = await spawnServer({ DATA_DIR: dir.path });
		const fresh = connectClient(server.wsUrl, 'kill-9');
		clients.push(fresh);
		await fresh.synced;
		const recovered = fresh.doc.getMap('m');
		const missing = seenKeys.filter((key) => !recovered.has(key));
		expect(missing).toEqual([]);
		// The recovered state contains the observer's state: merging it in changes nothing.
		const before = Y.encodeStateVector(fresh.doc);
		Y.applyUpdate(fresh.doc, seen);
		expect(Y.encodeStateVector(fresh.doc)).toEqual(before);
	});

	it('shuts down gracefully on SIGTERM: pending writes are flushed and the exit code is 0', async () => {
		const dir = tempDir();
		cleanups.push(() => dir.remove());
		const server = await spawnServer({ DATA_DIR: dir.path });
		const writer = connectClient(server.wsUrl, 'sigterm');
		cleanups.push(() => writer.destroy());
		await writer.synced;
		const closed = new Promise<number>((resolve) => writer.provider.ws?.addEventListener('close', (event) => resolve((event as CloseEvent).code)));
		writer.doc.getMap('m').set('last', 'word');
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(await server.stop()).toBe(0);
		expect(await closed).toBe(1001);
		writer.provider.disconnect();
		const again = await spawnServer({ DATA_DIR: dir.path });
		cleanups.push(() => again.kill());
		const reader = connectClient(again.wsUrl, 'sigterm');
		cleanups.push(() => reader.destroy());
		await reader.synced;
		expect(reader.doc.getMap('m').get('last')).toBe('word');
	});
});
