/**
 * The hub tells a writer its changes are durable with a sync step 1 carrying the server's state
 * vector: at once for the first batch of a quiet spell, then at most every 500 ms, and always once
 * after the writer's last change (a y-websocket client answers each with its whole delete set).
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import type WebSocket from 'ws';
import { eventually, rawSocket } from './helpers/clients.ts';
import { startTestServer, testAdminToken, type TestServer } from './helpers/server.ts';
import { encodeUpdate, messageType, syncType } from '../server/hub/protocol.ts';
import { acknowledgeDefaults } from '../server/hub/shared-doc.ts';

describe('acknowledgements of durable writes', () => {
	let server: TestServer | undefined;
	const sockets: WebSocket[] = [];

	afterEach(async () => {
		for (const socket of sockets.splice(0)) socket.terminate();
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
});
