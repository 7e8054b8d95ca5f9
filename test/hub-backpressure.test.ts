/**
 * Backpressure (close 4429) against a stock websocket client that stops reading: the state a peer
 * asked for on opening may be larger than the buffer limit and is not held against it (a browser
 * applying a big board reads slowly for a moment), but a peer that keeps asking and never reads is
 * closed, so one connection can hold at most about one extra copy of the state in the server's memory.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { closeCodes } from '#lib/protocol/close-codes.ts';
import { adminPrincipal } from '../server/auth/principal.ts';
import { closeCodeOf, connectClient, eventually, rawSocket, type TestClient } from './helpers/clients.ts';
import { startTestServer, testAdminToken, type TestServer } from './helpers/server.ts';

/** Far more than loopback's socket buffers absorb (a few MB), so most of it waits in the server's buffer. */
const stateBytes = 24 * 1024 * 1024;
const maxBufferedBytes = 256 * 1024;

describe('backpressure on a peer that stops reading', () => {
	let server: TestServer;
	const clients: TestClient[] = [];
	const sockets: WebSocket[] = [];

	beforeAll(async () => {
		server = await startTestServer({ hubLimits: { maxBufferedBytes } });
	});
	afterAll(async () => {
		for (const made of clients) made.destroy();
		for (const socket of sockets) socket.terminate();
		await server.close();
	});

	/** A document whose state is `stateBytes`, written on the server, and a normal peer on it. */
	async function bigDoc(name: string): Promise<TestClient> {
		await server.backend.hub.transact(name, adminPrincipal, (doc) => doc.getText('text').insert(0, 'x'.repeat(stateBytes)));
		const writer = connectClient(server.wsUrl, name);
		clients.push(writer);
		await writer.synced;
		return writer;
	}

	/** A stock client that asks for the whole state `times` times and reads nothing. */
	async function silentReader(name: string, times: number): Promise<{ socket: WebSocket; received: Buffer[] }> {
		const socket = await rawSocket(`${server.wsUrl}/yjs/${name}?token=${testAdminToken}`);
		sockets.push(socket);
		const received: Buffer[] = [];
		socket.on('message', (data: Buffer) => received.push(data));
		socket.pause();
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, 0);
		syncProtocol.writeSyncStep1(encoder, new Y.Doc());
		for (let ask = 0; ask < times; ask++) socket.send(encoding.toUint8Array(encoder));
		return { socket, received };
	}

	const slowClosures = async () => (await server.backend.metrics.rejected.get()).values.find((value) => value.labels.reason === 'slow_consumer')?.value ?? 0;

	it('keeps a peer that is still reading the state it asked for, and it gets the edits made meanwhile', async () => {
		const writer = await bigDoc('big-first-open');
		const before = await slowClosures();
		const { socket, received } = await silentReader('big-first-open', 1);
		let closedWith: number | undefined;
		socket.once('close', (code) => (closedWith = code));
		// Wait until the server holds the answer (most of it is still in its buffer), then edit.
		await eventually(() => expect(server.backend.hub.loaded('big-first-open')?.peers.size).toBe(2));
		await new Promise((resolve) => setTimeout(resolve, 200));
		for (let edit = 0; edit < 20; edit++) writer.doc.getMap('meta').set(`edit-${edit}`, edit);
		await new Promise((resolve) => setTimeout(resolve, 300));
		socket.resume();
		// Everything arrives: the state and the twenty edits (as one or more updates), and no close.
		const reader = new Y.Doc();
		await eventually(() => {
			for (const message of received.splice(0)) applyIfSync(reader, message);
			expect(reader.getText('text').length).toBe(stateBytes);
			expect(reader.getMap('meta').get('edit-19')).toBe(19);
		}, 20_000);
		expect(closedWith).toBeUndefined();
		expect(await slowClosures()).toBe(before);
	}, 60_000);

	it('closes a peer that keeps asking for the state and never reads (4429), and the others carry on', async () => {
		const writer = await bigDoc('big-asks-again');
		const before = await slowClosures();
		const { socket } = await silentReader('big-asks-again', 3);
		const closed = closeCodeOf(socket);
		// The third answer finds the buffer past the limit plus one answer: the peer is closed.
		await eventually(async () => expect(await slowClosures()).toBe(before + 1), 20_000);
		socket.resume();
		expect([closeCodes.slowConsumer, 1006]).toContain(await closed);
		writer.doc.getMap('meta').set('after', true);
		const late = connectClient(server.wsUrl, 'big-asks-again');
		clients.push(late);
		await late.synced;
		await eventually(() => expect(late.doc.getMap('meta').get('after')).toBe(true));
	}, 60_000);
});

/** Applies a sync step 2 or update message to `doc`; ignores anything else (step 1, awareness). */
function applyIfSync(doc: Y.Doc, message: Buffer): void {
	const decoder = decoding.createDecoder(new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
	if (decoding.readVarUint(decoder) !== 0) return;
	const type = decoding.readVarUint(decoder);
	if (type !== syncProtocol.messageYjsSyncStep2 && type !== syncProtocol.messageYjsUpdate) return;
	Y.applyUpdate(doc, decoding.readVarUint8Array(decoder));
}
