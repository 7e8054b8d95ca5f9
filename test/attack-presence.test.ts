/**
 * Issue 10, item 6: presence has a size and a rate limit. An editor (or viewer) used to be able
 * to send 1 MiB awareness states that the server re-broadcast to every peer of the board; now a
 * state past `maxStateBytes` (8 KiB) and updates past the per-connection rate are dropped and
 * counted, and the connection and everyone else carry on.
 */
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import { buildAccessFixture, docClient, rejectedCount, type AccessFixture, type DocClient } from './access-fixture.ts';
import { eventually, rawSocket } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

function awarenessMessage(clientId: number, clock: number, state: unknown): Buffer {
	const update = encoding.createEncoder();
	encoding.writeVarUint(update, 1);
	encoding.writeVarUint(update, clientId);
	encoding.writeVarUint(update, clock);
	encoding.writeVarString(update, JSON.stringify(state));
	const message = encoding.createEncoder();
	encoding.writeVarUint(message, 1);
	encoding.writeVarUint8Array(message, encoding.toUint8Array(update));
	return Buffer.from(encoding.toUint8Array(message));
}

describe('presence limits (issue 10, item 6)', () => {
	let server: TestServer;
	let fixture: AccessFixture;
	let observer: DocClient;
	let attacker: WebSocket;
	let observedBytes = 0;

	beforeAll(async () => {
		server = await startTestServer();
		fixture = await buildAccessFixture(server);
		observer = docClient(server, boardDocName(fixture.boardX.id), { cookie: fixture.lead.cookie });
		await observer.synced;
		observer.provider.ws?.addEventListener('message', (event: MessageEvent) => {
			observedBytes += (event.data as ArrayBuffer).byteLength;
		});
		attacker = await rawSocket(`${server.wsUrl}/yjs/${boardDocName(fixture.boardX.id)}`, { cookie: fixture.editorA.cookie });
	});
	afterAll(async () => {
		attacker?.close();
		observer?.destroy();
		await server?.close();
	});

	it('a 1 MiB awareness state is dropped and counted; a normal one still goes through', async () => {
		const before = await rejectedCount(server, 'awareness_too_big');
		const bytesBefore = observedBytes;
		const clientId = 4_242_424;
		attacker.send(awarenessMessage(clientId, 1, { cursor: { recordId: 'DEP-1' }, junk: 'x'.repeat(1_048_576) }));
		await eventually(async () => expect(await rejectedCount(server, 'awareness_too_big')).toBe(before + 1));
		attacker.send(awarenessMessage(clientId, 2, { cursor: { recordId: 'DEP-2' } }));
		await eventually(() => expect(observer.provider.awareness.getStates().get(clientId)).toMatchObject({ cursor: { recordId: 'DEP-2' } }));
		expect(observedBytes - bytesBefore).toBeLessThan(16_384);
		expect(attacker.readyState).toBe(attacker.OPEN);
	});

	it('a flood of awareness updates is cut to the per-connection rate', async () => {
		const before = await rejectedCount(server, 'awareness_too_fast');
		const bytesBefore = observedBytes;
		const clientId = 4_242_424;
		const padding = 'p'.repeat(6_000);
		for (let clock = 10; clock < 510; clock++) attacker.send(awarenessMessage(clientId, clock, { cursor: { recordId: `DEP-${clock}` }, padding }));
		await eventually(async () => expect(await rejectedCount(server, 'awareness_too_fast')).toBeGreaterThan(before + 300));
		// 500 updates of 6 KB were sent; the observer got a bounded share of them (coalesced, capped).
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(observedBytes - bytesBefore).toBeLessThan(100 * 6_200);
		expect(attacker.readyState).toBe(attacker.OPEN);
	});
});
