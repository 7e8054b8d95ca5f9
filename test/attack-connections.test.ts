/**
 * Issue 10, item 8: one client cannot hold thousands of websockets, and documents unload after
 * their grace period however they were opened (a handshake that fails after the document was
 * loaded used to keep it in memory for good).
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import { buildAccessFixture, socketClient, type AccessFixture } from './access-fixture.ts';
import { eventually } from './helpers/clients.ts';
import { startTestServer, testAdminToken, type TestServer } from './helpers/server.ts';

/** Opens a websocket and keeps it; resolves with it, or with the HTTP status that refused it. */
function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket | number> {
	return new Promise((resolve) => {
		const socket = new WebSocket(url, { headers });
		socket.once('open', () => resolve(socket));
		socket.once('unexpected-response', (_request, response) => {
			resolve(response.statusCode ?? 0);
			socket.terminate();
		});
		socket.once('error', () => resolve(0));
	});
}

async function openMany(count: number, url: () => string, headers: Record<string, string> = {}): Promise<{ open: WebSocket[]; statuses: number[] }> {
	const opened: WebSocket[] = [];
	const statuses: number[] = [];
	for (let done = 0; done < count; done += 200) {
		const batch = await Promise.all(Array.from({ length: Math.min(200, count - done) }, () => open(url(), headers)));
		for (const result of batch) {
			if (typeof result === 'number') statuses.push(result);
			else opened.push(result);
		}
	}
	return { open: opened, statuses };
}

describe('connection caps (issue 10, item 8)', () => {
	let server: TestServer;
	let fixture: AccessFixture;

	beforeAll(async () => {
		server = await startTestServer({ env: { MAX_CONNECTIONS_PER_ADDRESS: '300' } });
		fixture = await buildAccessFixture(server);
	});
	afterAll(async () => {
		await server?.close();
	});

	it('2,000 /yjs sockets from one principal: the cap (100 by default) is kept, the rest get 429', async () => {
		const url = `${server.wsUrl}/yjs/${boardDocName(fixture.boardX.id)}?token=${testAdminToken}`;
		const { open: opened, statuses } = await openMany(2_000, () => url);
		try {
			expect(opened).toHaveLength(100);
			expect(statuses).toHaveLength(1_900);
			expect(new Set(statuses)).toEqual(new Set([429]));
			// socket.io counts against the same cap.
			await expect(socketClient(server, { token: testAdminToken })).rejects.toMatchObject({ code: 'too_many_connections' });
		} finally {
			for (const socket of opened) socket.close();
		}
		// Places come back when sockets close.
		await eventually(async () => {
			const again = await open(url);
			expect(again).toBeInstanceOf(WebSocket);
			(again as WebSocket).close();
		});
	});

	it('the per-address cap holds across principals', async () => {
		const board = `${server.wsUrl}/yjs/${boardDocName(fixture.boardX.id)}`;
		const people = [fixture.lead, fixture.editorA, fixture.viewerA, fixture.revoked];
		const all: WebSocket[] = [];
		const statuses: number[] = [];
		try {
			for (const person of people.slice(0, 3)) {
				const result = await openMany(120, () => board, { cookie: person.cookie });
				all.push(...result.open);
				statuses.push(...result.statuses);
			}
			expect(all).toHaveLength(300);
			expect(statuses.filter((status) => status === 429)).toHaveLength(60);
		} finally {
			for (const socket of all) socket.close();
		}
	});
});

describe('documents unload however they were opened (issue 10, item 8)', () => {
	let server: TestServer;

	beforeAll(async () => {
		server = await startTestServer({ hubLimits: { unloadGraceMs: 200 } });
	});
	afterAll(async () => {
		await server?.close();
	});

	/** An upgrade that passes our checks but that the websocket library refuses (unsupported version). */
	function brokenHandshake(docName: string): Promise<void> {
		return new Promise((resolve) => {
			const socket = connect(server.port, '127.0.0.1');
			socket.on('close', () => resolve());
			socket.on('error', () => undefined);
			socket.on('data', () => socket.end());
			socket.write(`GET /yjs/${docName}?token=${testAdminToken} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 7\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`);
		});
	}

	it('500 documents opened by one lead are all unloaded after the grace period', async () => {
		for (let batch = 0; batch < 5; batch++) {
			const names = Array.from({ length: 50 }, (_, i) => `notes-${batch}-${i}`);
			const sockets = await Promise.all(names.map((name) => open(`${server.wsUrl}/yjs/${name}?token=${testAdminToken}`)));
			expect(sockets.every((socket) => socket instanceof WebSocket)).toBe(true);
			for (const socket of sockets) (socket as WebSocket).close();
			await Promise.all(Array.from({ length: 50 }, (_, i) => brokenHandshake(`broken-${batch}-${i}`)));
		}
		await eventually(() => expect(server.backend.hub.loadedDocs).toEqual([]), 10_000);
	});
});
