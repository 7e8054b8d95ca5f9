/**
 * When the hub compacts a document: past `compactAfterUpdates` entries only once the log holds a
 * quarter of the state's size (a large document is not rewritten for a few small edits), and always
 * past 20 × `compactAfterUpdates` entries. Whatever it does, the stored document stays whole.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectClient, eventually, type TestClient } from './helpers/clients.ts';
import { metricValue } from './helpers/scale.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

const compactAfterUpdates = 10;

describe('compaction policy', () => {
	let server: TestServer | undefined;
	const clients: TestClient[] = [];

	afterEach(async () => {
		for (const client of clients.splice(0)) client.destroy();
		await server?.close();
		server = undefined;
	});

	async function writeAndSettle(client: TestClient, name: string, count: number, from: number): Promise<void> {
		for (let i = from; i < from + count; i++) client.doc.getMap('small').set(`k${i}`, i);
		// Every edit has reached the server and is stored.
		await eventually(() => expect(Y.encodeStateVector(server!.backend.hub.loaded(name)!.doc)).toEqual(Y.encodeStateVector(client.doc)));
		await server!.backend.hub.loaded(name)?.whenDurable();
	}

	it('waits for a quarter of a large document’s size before compacting, compacts a long log anyway, and loses nothing', async () => {
		server = await startTestServer({ hubLimits: { compactAfterUpdates } });
		const name = 'compaction-large';
		const writer = connectClient(server.wsUrl, name);
		clients.push(writer);
		await writer.synced;
		// About 60 KB of state in one update.
		writer.doc.transact(() => {
			const big = writer.doc.getMap('big');
			for (let i = 0; i < 600; i++) big.set(`record-${i}`, `a value long enough to weigh about a hundred bytes in the state of the document ${i}`);
		});
		// The log holds the whole state: it is compacted at the threshold.
		await writeAndSettle(writer, name, compactAfterUpdates, 0);
		await eventually(async () => expect(await metricValue(server!.backend, 'mc_compactions_total')).toBe(1));
		// 3 × the threshold of small edits: far less than a quarter of the state.
		for (let round = 1; round < 4; round++) await writeAndSettle(writer, name, compactAfterUpdates, round * compactAfterUpdates);
		expect(await metricValue(server.backend, 'mc_compactions_total')).toBe(1);

		// Past 20 × the threshold the log is compacted whatever its size.
		for (let round = 4; round < 21; round++) await writeAndSettle(writer, name, compactAfterUpdates, round * compactAfterUpdates);
		await eventually(async () => expect(await metricValue(server!.backend, 'mc_compactions_total')).toBe(2));

		const stored = new Y.Doc();
		for (const update of (await server.backend.store.loadDoc(name)).updates) Y.applyUpdate(stored, update);
		expect(stored.getMap('small').size).toBe(21 * compactAfterUpdates);
		expect(stored.getMap('big').size).toBe(600);
		expect(Y.encodeStateVector(stored)).toEqual(Y.encodeStateVector(writer.doc));
	});

	it('compacts a small document once its log passes the threshold', async () => {
		server = await startTestServer({ hubLimits: { compactAfterUpdates } });
		const name = 'compaction-small';
		const writer = connectClient(server.wsUrl, name);
		clients.push(writer);
		await writer.synced;
		for (let round = 0; round < 3; round++) await writeAndSettle(writer, name, compactAfterUpdates, round * compactAfterUpdates);
		await eventually(async () => expect(await metricValue(server!.backend, 'mc_compactions_total')).toBeGreaterThan(0));
		const stored = new Y.Doc();
		for (const update of (await server.backend.store.loadDoc(name)).updates) Y.applyUpdate(stored, update);
		expect(stored.getMap('small').size).toBe(3 * compactAfterUpdates);
	});
});
