/**
 * The hub tells a writer its changes are durable with a sync step 1 carrying the server's state
 * vector: at once for the first batch of a quiet spell, then at most every 500 ms, and always once
 * after the writer's last change (a y-websocket client answers each with its whole delete set).
 * What that costs the hub per edit: the writer's stamps and its acknowledgement leave in one write,
 * and its answer, which brings nothing new, is neither checked nor applied.
 */
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import type WebSocket from 'ws';
import { createRecord } from '#lib/board/board-doc.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import { adminPrincipal } from '../server/auth/principal.ts';
import { connectClient, eventually, rawSocket, type TestClient } from './helpers/clients.ts';
import { startTestServer, testAdminToken, type TestServer } from './helpers/server.ts';
import { encodeSyncStep2, encodeUpdate, messageType, syncType } from '../server/hub/protocol.ts';
import { acknowledgeDefaults } from '../server/hub/shared-doc.ts';

/** The sync messages a y-websocket client receives, as `step1` / `step2` / `update`. */
function syncMessages(client: TestClient): string[] {
	const seen: string[] = [];
	client.provider.ws!.addEventListener('message', (event: MessageEvent) => {
		const decoder = decoding.createDecoder(new Uint8Array(event.data as ArrayBuffer));
		if (decoding.readVarUint(decoder) !== messageType.sync) return;
		seen.push(['step1', 'step2', 'update'][decoding.readVarUint(decoder)] ?? 'unknown');
	});
	return seen;
}

/** Counts the writes the server's side of a connection makes to the operating system. */
function countWrites(connection: Duplex): () => number {
	let writes = 0;
	const write = connection._write.bind(connection);
	connection._write = (chunk, encoding, callback) => {
		writes++;
		write(chunk, encoding, callback);
	};
	const writev = connection._writev?.bind(connection);
	if (writev) {
		connection._writev = (chunks, callback) => {
			writes++;
			writev(chunks, callback);
		};
	}
	return () => writes;
}

async function createBoard(server: TestServer): Promise<string> {
	const post = async (path: string, body: unknown) => {
		const response = await fetch(`${server.url}${path}`, {
			method: 'POST',
			headers: { authorization: `Bearer ${testAdminToken}`, 'content-type': 'application/json' },
			body: JSON.stringify(body)
		});
		expect(response.status).toBe(201);
		return (await response.json()) as { id: string };
	};
	const mission = await post('/api/missions', { title: 'Acknowledged mission' });
	return (await post(`/api/missions/${encodeURIComponent(mission.id)}/boards`, { title: 'Acknowledged board' })).id;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('acknowledgements of durable writes', () => {
	let server: TestServer | undefined;
	const sockets: WebSocket[] = [];
	const clients: TestClient[] = [];

	afterEach(async () => {
		for (const socket of sockets.splice(0)) socket.terminate();
		for (const client of clients.splice(0)) client.destroy();
		await server?.close();
		server = undefined;
	});

	it('are sent at once, then at most every interval, and once more after the last change', async () => {
		server = await startTestServer();
		const socket = await rawSocket(`${server.wsUrl}/yjs/acknowledged?token=${testAdminToken}`);
		sockets.push(socket);
		const acknowledged: Array<{ at: number; state: Map<number, number> }> = [];
		socket.on('message', (data: Buffer) => {
			const decoder = decoding.createDecoder(new Uint8Array(data));
			if (decoding.readVarUint(decoder) !== messageType.sync || decoding.readVarUint(decoder) !== syncType.step1) return;
			acknowledged.push({ at: performance.now(), state: Y.decodeStateVector(decoding.readVarUint8Array(decoder)) });
		});
		// The greeting's sync step 1 (the empty document) may have come already: start afresh.
		await new Promise((resolve) => setTimeout(resolve, 100));
		acknowledged.length = 0;

		const doc = new Y.Doc();
		doc.on('update', (update: Uint8Array) => socket.send(encodeUpdate(update)));
		const started = performance.now();
		const edits = 40;
		for (let i = 0; i < edits; i++) {
			doc.getMap('m').set('field', i);
			await new Promise((resolve) => setTimeout(resolve, 25));
		}
		const writtenFor = performance.now() - started;
		const mine = doc.clientID;
		const final = Y.getState(doc.store, mine);
		await eventually(() => expect(acknowledged.at(-1)?.state.get(mine)).toBe(final), 5_000);
		// Far fewer than one per edit: about one per interval while writing, plus the first.
		expect(acknowledged.length).toBeLessThanOrEqual(Math.ceil(writtenFor / acknowledgeDefaults.intervalMs) + 2);
		expect(acknowledged.length).toBeGreaterThanOrEqual(2);
		for (let n = 2; n < acknowledged.length; n++) expect(acknowledged[n]!.at - acknowledged[n - 1]!.at).toBeGreaterThan(acknowledgeDefaults.intervalMs * 0.8);
		// Each says more than the one before.
		for (let n = 1; n < acknowledged.length; n++) expect(acknowledged[n]!.state.get(mine)!).toBeGreaterThan(acknowledged[n - 1]!.state.get(mine) ?? -1);
	});

	it('send a writer the stamps of its change and its acknowledgement in one write', async () => {
		server = await startTestServer();
		const name = boardDocName(await createBoard(server));
		const writer = connectClient(server.wsUrl, name);
		clients.push(writer);
		await writer.synced;
		const [peer, ...others] = server.backend.hub.loaded(name)?.peers ?? [];
		expect(others).toHaveLength(0);
		// Presence and the opening exchange are over before counting.
		await pause(300);
		const writes = countWrites(peer!.connection);
		const received = syncMessages(writer);

		const author = { id: adminPrincipal.id, name: adminPrincipal.name };
		const risk = createRecord(writer.doc, 'risks', { title: 'Supplier exits the market', owner: author }, author);
		// The server's stamps for the new record (an update) and the acknowledgement (a step 1).
		await eventually(() => expect(writer.doc.getMap('stamps').has(risk.id)).toBe(true));
		await eventually(() => expect(received).toContain('step1'));
		expect(received).toEqual(['update', 'step1']);
		expect(writes()).toBe(1);
	});

	it('take a writer\'s answer without checking or applying it, and still apply a deletion the server lacks', async () => {
		server = await startTestServer();
		const name = 'acknowledged-answer';
		const writer = connectClient(server.wsUrl, name);
		clients.push(writer);
		await writer.synced;
		const text = writer.doc.getText('t');
		text.insert(0, 'hello world');
		await eventually(async () => expect(await server!.backend.hub.withDoc(name, (shared) => shared.doc.getText('t').toString())).toBe('hello world'));
		// Past the interval: the next batch is acknowledged at once.
		await pause(acknowledgeDefaults.intervalMs + 100);
		let transactions = 0;
		await server.backend.hub.withDoc(name, (shared) => shared.doc.on('afterTransaction', () => transactions++));
		const received = syncMessages(writer);

		// A deletion: the writer's answer to its acknowledgement carries it in its delete set.
		text.delete(0, 6);
		await eventually(() => expect(received).toContain('step1'));
		await pause(300);
		// The deletion itself, and nothing for the answer (which held only what the server has).
		expect(transactions).toBe(1);
		expect(await server.backend.hub.withDoc(name, (shared) => shared.doc.getText('t').toString())).toBe('world');

		// A stock client holding the same document deletes a letter and sends only that deletion as a
		// sync step 2 (not an update, not its opening answer): it is applied and reaches the writer.
		const held = new Y.Doc();
		Y.applyUpdate(held, Y.encodeStateAsUpdate(writer.doc));
		const socket = await rawSocket(`${server.wsUrl}/yjs/${name}?token=${testAdminToken}`);
		sockets.push(socket);
		socket.send(encodeSyncStep2(Y.encodeStateAsUpdate(new Y.Doc())));
		const serverState = Y.encodeStateVector(held);
		held.getText('t').delete(0, 1);
		const deletion = Y.encodeStateAsUpdate(held, serverState);
		expect(Y.decodeUpdate(deletion).structs).toHaveLength(0);
		socket.send(encodeSyncStep2(deletion));
		await eventually(async () => expect(await server!.backend.hub.withDoc(name, (shared) => shared.doc.getText('t').toString())).toBe('orld'));
		await eventually(() => expect(text.toString()).toBe('orld'));
	});
});
