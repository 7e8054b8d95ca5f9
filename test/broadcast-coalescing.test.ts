/**
 * Updates that pile up while the previous batch is being written are sent to each peer as one
 * merged update: fewer messages than updates, and never a lost or reordered edit. Real y-websocket
 * clients, plus a bare websocket that counts the update messages it is sent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import type WebSocket from 'ws';
import { connectClient, eventually, rawSocket, type TestClient } from './helpers/clients.ts';
import { startTestServer, testAdminToken, type TestServer } from './helpers/server.ts';
import { messageType, syncType } from '../server/hub/protocol.ts';

describe('broadcast coalescing', () => {
	let server: TestServer | undefined;
	const clients: TestClient[] = [];
	const sockets: WebSocket[] = [];

	afterEach(async () => {
		for (const client of clients.splice(0)) client.destroy();
		for (const socket of sockets.splice(0)) socket.terminate();
		await server?.close();
		server = undefined;
	});

	/** A bare peer: applies every update it is sent to its own document and counts the messages. */
	async function countingPeer(name: string): Promise<{ doc: Y.Doc; messages: () => number }> {
		const socket = await rawSocket(`${server!.wsUrl}/yjs/${name}?token=${testAdminToken}`);
		sockets.push(socket);
		const doc = new Y.Doc();
		let messages = 0;
		socket.on('message', (data: Buffer) => {
			const decoder = decoding.createDecoder(new Uint8Array(data));
			if (decoding.readVarUint(decoder) !== messageType.sync) return;
			const step = decoding.readVarUint(decoder);
			if (step !== syncType.update && step !== syncType.step2) return;
			if (step === syncType.update) messages++;
			Y.applyUpdate(doc, decoding.readVarUint8Array(decoder));
		});
		return { doc, messages: () => messages };
	}

	it('a burst of edits reaches every peer whole, in fewer messages than edits', async () => {
		server = await startTestServer();
		const name = 'coalescing-burst';
		const writers = [connectClient(server.wsUrl, name), connectClient(server.wsUrl, name)];
		const reader = connectClient(server.wsUrl, name);
		clients.push(...writers, reader);
		await Promise.all([...clients.map((client) => client.synced)]);
		const counted = await countingPeer(name);

		// Each writer sends 100 updates in one turn, all to the same keys and to an array whose order
		// must come out the same everywhere.
		const edits = 100;
		for (const [n, writer] of writers.entries()) {
			for (let i = 0; i < edits; i++) {
				writer.doc.getMap('last').set(`writer${n}`, i);
				writer.doc.getArray('log').push([`${n}:${i}`]);
			}
		}

		const expected = (doc: Y.Doc) => {
			expect(doc.getArray('log').length).toBe(2 * edits);
			expect(doc.getMap('last').toJSON()).toEqual({ writer0: edits - 1, writer1: edits - 1 });
		};
		await eventually(() => expected(reader.doc));
		await eventually(() => expected(counted.doc));
		await eventually(() => expected(writers[0]!.doc));
		await eventually(() => expected(writers[1]!.doc));
		// Every copy holds the same log in the same order, each writer's entries in the order written.
		const log = reader.doc.getArray<string>('log').toArray();
		for (const doc of [counted.doc, writers[0]!.doc, writers[1]!.doc]) expect(doc.getArray<string>('log').toArray()).toEqual(log);
		for (const n of [0, 1]) expect(log.filter((entry) => entry.startsWith(`${n}:`))).toEqual(Array.from({ length: edits }, (_, i) => `${n}:${i}`));
		// 400 updates (each edit is two), delivered in far fewer messages.
		expect(counted.messages()).toBeLessThan(2 * edits);
		expect(counted.messages()).toBeGreaterThan(0);
		const stored = new Y.Doc();
		for (const update of (await server.backend.store.loadDoc(name)).updates) Y.applyUpdate(stored, update);
		expect(stored.getArray<string>('log').toArray()).toEqual(log);
	});
});
