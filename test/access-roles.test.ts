/**
 * Every role against every path: a real server, people who joined through invite links, real
 * y-websocket and socket.io clients. Each cell says exactly what that role gets, and no refusal
 * says more than "not found" or "sign in".
 */
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import { roomNames } from '#lib/protocol/room-events.ts';
import { api, buildAccessFixture, docClient, rejectedCount, socketClient, storedDoc, type AccessFixture, type Credential, type DocClient } from './access-fixture.ts';
import { eventually, upgradeAnswer } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

const roles = ['lead', 'editor of A', 'editor of B', 'viewer of A', 'wall display', 'no credential', 'expired invite', 'revoked session', 'forged cookie'] as const;
type Role = (typeof roles)[number];

const paths = ['page', 'API read', 'API write', '/yjs read', '/yjs write', 'socket.io join', 'socket.io event'] as const;
type PathName = (typeof paths)[number];

/** What each role gets on each path (board X is joined by department A only). */
type Outcome = 'ok' | 'read-only' | 'not found' | 'sign in';
const expected: Record<Role, Record<PathName, Outcome>> = {
	lead: { page: 'ok', 'API read': 'ok', 'API write': 'ok', '/yjs read': 'ok', '/yjs write': 'ok', 'socket.io join': 'ok', 'socket.io event': 'ok' },
	'editor of A': { page: 'ok', 'API read': 'ok', 'API write': 'ok', '/yjs read': 'ok', '/yjs write': 'ok', 'socket.io join': 'ok', 'socket.io event': 'ok' },
	'editor of B': { page: 'not found', 'API read': 'not found', 'API write': 'not found', '/yjs read': 'not found', '/yjs write': 'not found', 'socket.io join': 'not found', 'socket.io event': 'not found' },
	'viewer of A': { page: 'ok', 'API read': 'ok', 'API write': 'read-only', '/yjs read': 'ok', '/yjs write': 'read-only', 'socket.io join': 'read-only', 'socket.io event': 'ok' },
	'wall display': { page: 'ok', 'API read': 'ok', 'API write': 'read-only', '/yjs read': 'ok', '/yjs write': 'read-only', 'socket.io join': 'read-only', 'socket.io event': 'ok' },
	'no credential': { page: 'sign in', 'API read': 'sign in', 'API write': 'sign in', '/yjs read': 'sign in', '/yjs write': 'sign in', 'socket.io join': 'sign in', 'socket.io event': 'sign in' },
	'expired invite': { page: 'sign in', 'API read': 'sign in', 'API write': 'sign in', '/yjs read': 'sign in', '/yjs write': 'sign in', 'socket.io join': 'sign in', 'socket.io event': 'sign in' },
	'revoked session': { page: 'sign in', 'API read': 'sign in', 'API write': 'sign in', '/yjs read': 'sign in', '/yjs write': 'sign in', 'socket.io join': 'sign in', 'socket.io event': 'sign in' },
	'forged cookie': { page: 'sign in', 'API read': 'sign in', 'API write': 'sign in', '/yjs read': 'sign in', '/yjs write': 'sign in', 'socket.io join': 'sign in', 'socket.io event': 'sign in' }
};

/** A test-only socket.io event that names a board: members reach this handler, others are stopped before it. */
const pingEvent = 'test:board-ping';

describe('every role against every path', () => {
	let server: TestServer;
	let fixture: AccessFixture;
	let credentials: Record<Role, Credential>;
	let observer: DocClient;
	const clients: DocClient[] = [];
	const sockets: Socket[] = [];
	/** Strings a refusal must never contain. */
	let secrets: string[];
	/** The answers for a board that does not exist, to compare refusals with. */
	let unknown: { page: string; api: string; yjs: string };

	beforeAll(async () => {
		server = await startTestServer({ accessLimits: { rateLimits: { badCredential: { burst: 100_000, refillMs: 1 }, invite: { burst: 100_000, refillMs: 1 }, signIn: { burst: 100_000, refillMs: 1 } } } });
		server.backend.io.on('connection', (socket) => {
			(socket as unknown as Socket).on(pingEvent, (_payload: unknown, reply: (answer: unknown) => void) => reply({ ok: true, handled: true }));
		});
		fixture = await buildAccessFixture(server);
		credentials = {
			lead: { cookie: fixture.lead.cookie },
			'editor of A': { cookie: fixture.editorA.cookie },
			'editor of B': { cookie: fixture.editorB.cookie },
			'viewer of A': { cookie: fixture.viewerA.cookie },
			'wall display': { cookie: `mc_device=${fixture.wall.token}` },
			'no credential': {},
			'expired invite': { bearer: fixture.expiredInviteToken, token: fixture.expiredInviteToken },
			'revoked session': { cookie: fixture.revoked.cookie },
			'forged cookie': { cookie: fixture.forgedCookie }
		};
		secrets = [fixture.boardX.title, 'Department Alpha', 'Department Beta', fixture.lead.name, fixture.editorA.name, fixture.viewerA.name, fixture.wall.token, fixture.expiredInviteToken];
		observer = docClient(server, boardDocName(fixture.boardX.id), { cookie: fixture.lead.cookie });
		await observer.synced;
		observer.doc.getMap('probe').set('seed', 'hello');
		await eventually(async () => expect((await storedDoc(server, boardDocName(fixture.boardX.id))).getMap('probe').get('seed')).toBe('hello'));
		const missing = 'NoSuchBoard0000';
		unknown = {
			page: (await api(server, 'GET', `/boards/${missing}`, { cookie: fixture.editorB.cookie })).text,
			api: (await api(server, 'GET', `/api/boards/${missing}`, { cookie: fixture.editorB.cookie })).text,
			yjs: (await upgradeAnswer(`${server.wsUrl}/yjs/${boardDocName(missing)}`, { cookie: fixture.editorB.cookie })).body
		};
	});

	afterAll(async () => {
		for (const socket of sockets) socket.close();
		for (const client of [...clients, observer]) client?.destroy();
		await server?.close();
	});

	/** A refusal says only what the outcome is: no board title, department, name or token. */
	function expectNoLeak(text: string): void {
		for (const secret of secrets) expect(text).not.toContain(secret);
	}

	const yjsUrl = (credential: Credential) => `${server.wsUrl}/yjs/${encodeURIComponent(boardDocName(fixture.boardX.id))}${credential.token ? `?token=${credential.token}` : ''}`;
	const yjsHeaders = (credential: Credential): Record<string, string> => (credential.cookie ? { cookie: credential.cookie } : {});

	async function expectUpgradeRefused(credential: Credential, outcome: Outcome): Promise<void> {
		const answer = await upgradeAnswer(yjsUrl(credential), yjsHeaders(credential));
		expect(answer.status).toBe(outcome === 'not found' ? 404 : 401);
		expectNoLeak(answer.body);
		if (outcome === 'not found') expect(answer.body).toBe(unknown.yjs);
		else expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'unauthenticated' } });
	}

	async function connectedSocket(credential: Credential): Promise<Socket> {
		const socket = await socketClient(server, credential);
		sockets.push(socket);
		return socket;
	}

	const check: Record<PathName, (role: Role, credential: Credential, outcome: Outcome) => Promise<void>> = {
		async page(role, credential, outcome) {
			// The board page renders in the browser: its HTML, and the data the browser then loads.
			const answer = await api(server, 'GET', `/boards/${fixture.boardX.id}`, credential);
			const data = await api(server, 'GET', `/boards/${fixture.boardX.id}/__data.json`, credential);
			if (outcome === 'ok') {
				expect(answer.status).toBe(200);
				expect(data.status).toBe(200);
				expect(data.text).toContain(fixture.boardX.title);
				expect(data.text).toContain(role === 'lead' || role === 'editor of A' ? '"write"' : '"read"');
				return;
			}
			expectNoLeak(answer.text);
			expectNoLeak(data.text);
			if (outcome === 'sign in') {
				expect(answer.status).toBe(303);
				expect(answer.headers.get('location')).toBe('/login');
				expect(data.body).toMatchObject({ type: 'redirect', location: '/login' });
			} else {
				expect(answer.status).toBe(404);
				expect(answer.text).toBe(unknown.page);
				expect(data.status).toBe(404);
			}
		},

		async 'API read'(_role, credential, outcome) {
			const answer = await api(server, 'GET', `/api/boards/${fixture.boardX.id}`, credential);
			if (outcome === 'ok') {
				expect(answer.status).toBe(200);
				expect(answer.body).toMatchObject({ id: fixture.boardX.id, title: fixture.boardX.title });
				return;
			}
			expectNoLeak(answer.text);
			expect(answer.status).toBe(outcome === 'sign in' ? 401 : 404);
			expect(answer.body).toMatchObject({ error: { code: outcome === 'sign in' ? 'unauthenticated' : 'not_found' } });
			if (outcome === 'not found') expect(answer.text).toBe(unknown.api);
		},

		async 'API write'(role, credential, outcome) {
			const before = (await api(server, 'GET', `/api/boards/${fixture.boardX.id}/actions`, { cookie: fixture.lead.cookie })).body as { records: unknown[] };
			const text = `Send the cost model (${role})`;
			const answer = await api(server, 'POST', `/api/boards/${fixture.boardX.id}/actions`, { ...credential, body: { text, owner: { name: 'Ann Owner' }, due: '2031-03-01' } });
			const after = (await api(server, 'GET', `/api/boards/${fixture.boardX.id}/actions`, { cookie: fixture.lead.cookie })).body as { records: Array<{ text: string }> };
			if (outcome === 'ok') {
				expect(answer.status).toBe(201);
				expect(after.records.some((record) => record.text === text)).toBe(true);
				return;
			}
			expect(after.records.length).toBe(before.records.length);
			expectNoLeak(answer.text);
			const status = { 'sign in': 401, 'not found': 404, 'read-only': 403 }[outcome];
			expect(answer.status).toBe(status);
			expect(answer.body).toMatchObject({ error: { code: { 'sign in': 'unauthenticated', 'not found': 'not_found', 'read-only': 'read_only' }[outcome] } });
		},

		async '/yjs read'(_role, credential, outcome) {
			if (outcome === 'sign in' || outcome === 'not found') return expectUpgradeRefused(credential, outcome);
			const client = docClient(server, boardDocName(fixture.boardX.id), credential);
			clients.push(client);
			await client.synced;
			expect(client.doc.getMap('probe').get('seed')).toBe('hello');
		},

		async '/yjs write'(role, credential, outcome) {
			if (outcome === 'sign in' || outcome === 'not found') return expectUpgradeRefused(credential, outcome);
			const client = docClient(server, boardDocName(fixture.boardX.id), credential);
			clients.push(client);
			await client.synced;
			const key = `written by ${role}`;
			const rejectedBefore = await rejectedCount(server, 'read_only');
			client.doc.getMap('probe').set(key, 'x');
			if (outcome === 'ok') {
				await eventually(() => expect(observer.doc.getMap('probe').get(key)).toBe('x'));
				expect((await storedDoc(server, boardDocName(fixture.boardX.id))).getMap('probe').get(key)).toBe('x');
				return;
			}
			// Read-only: the write is dropped and counted; a later write from the observer arrives, this one never does.
			await eventually(async () => expect(await rejectedCount(server, 'read_only')).toBeGreaterThan(rejectedBefore));
			const marker = `after ${role}`;
			observer.doc.getMap('probe').set(marker, 'y');
			await eventually(() => expect(client.doc.getMap('probe').get(marker)).toBe('y'));
			expect(observer.doc.getMap('probe').has(key)).toBe(false);
			expect((await storedDoc(server, boardDocName(fixture.boardX.id))).getMap('probe').has(key)).toBe(false);
		},

		async 'socket.io join'(_role, credential, outcome) {
			if (outcome === 'sign in') {
				await expect(socketClient(server, credential)).rejects.toMatchObject({ code: 'unauthenticated' });
				return;
			}
			const socket = await connectedSocket(credential);
			const reply = await socket.emitWithAck('board:join', { boardId: fixture.boardX.id });
			if (outcome === 'not found') {
				expect(reply).toEqual({ ok: false, error: { code: 'not_found', message: 'no such board, or you do not have access to it' } });
				const unknownReply = await socket.emitWithAck('board:join', { boardId: 'NoSuchBoard0000' });
				expect(reply).toEqual(unknownReply);
				return;
			}
			expect(reply).toEqual({ ok: true, boardId: fixture.boardX.id, access: outcome === 'ok' ? 'write' : 'read' });
		},

		async 'socket.io event'(_role, credential, outcome) {
			if (outcome === 'sign in') {
				await expect(socketClient(server, credential)).rejects.toMatchObject({ code: 'unauthenticated' });
				return;
			}
			const socket = await connectedSocket(credential);
			await socket.emitWithAck('board:join', { boardId: fixture.boardX.id });
			// Sent: an event naming the board reaches its handler only for those who may see the board.
			const reply = await socket.emitWithAck(pingEvent, { boardId: fixture.boardX.id });
			// Received: an event of the board goes to its room; a marker to everyone follows it.
			const received: string[] = [];
			socket.on('workspace:changed', (change: { kind: string; id?: string }) => received.push(`${change.kind}:${change.id}`));
			const io = server.backend.io;
			io.to(roomNames.board(fixture.boardX.id)).emit('workspace:changed', { kind: 'boards', id: fixture.boardX.id });
			io.to(roomNames.workspace).emit('workspace:changed', { kind: 'settings', id: 'marker' });
			await eventually(() => expect(received).toContain('settings:marker'));
			if (outcome === 'not found') {
				expect(reply).toEqual({ ok: false, error: { code: 'not_found', message: 'no such board, or you do not have access to it' } });
				expect(received).toEqual(['settings:marker']);
			} else {
				expect(reply).toEqual({ ok: true, handled: true });
				expect(received).toContain(`boards:${fixture.boardX.id}`);
			}
			socket.close();
		}
	};

	for (const role of roles) {
		describe(role, () => {
			for (const path of paths) {
				const outcome = expected[role][path];
				it(`${path}: ${outcome}`, async () => {
					await check[path](role, credentials[role], outcome);
				});
			}
		});
	}
});
