/**
 * Issue 10, item 2: a websocket upgrade authenticated by cookie (session or wall device) must come
 * from our own origin, as cookie-authenticated HTTP changes must. A page on another site (or a
 * sandboxed frame, `Origin: null`) cannot ride a signed-in person's cookie into `/yjs` or
 * socket.io. Bearer and `?token=` credentials need no origin (scripts, as on the API).
 */
import { io as connectSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import { buildAccessFixture, socketClient, type AccessFixture } from './access-fixture.ts';
import { upgradeAnswer } from './helpers/clients.ts';
import { startTestServer, testAdminToken, type TestServer } from './helpers/server.ts';

/** A socket.io client with a forged Origin; resolves 'connected' or the refusal. */
function socketWithOrigin(server: TestServer, cookie: string, origin: string, token?: string): Promise<string> {
	const socket = connectSocket(server.url, {
		transports: ['websocket'],
		reconnection: false,
		forceNew: true,
		extraHeaders: { cookie, origin },
		auth: token ? { token } : {}
	});
	return new Promise((resolve) => {
		socket.once('connect', () => {
			socket.close();
			resolve('connected');
		});
		socket.once('connect_error', (error: Error) => {
			socket.close();
			resolve(`refused: ${error.message}`);
		});
	});
}

describe('websocket origin check (issue 10, item 2)', () => {
	let server: TestServer;
	let fixture: AccessFixture;
	let yjsUrl: string;

	beforeAll(async () => {
		server = await startTestServer();
		fixture = await buildAccessFixture(server);
		yjsUrl = `${server.wsUrl}/yjs/${boardDocName(fixture.boardX.id)}`;
	});
	afterAll(async () => {
		await server?.close();
	});

	it('/yjs: a session cookie from another site or a null origin is refused with 403', async () => {
		const cookie = fixture.editorA.cookie;
		expect((await upgradeAnswer(yjsUrl, { cookie, origin: 'https://evil.example' })).status).toBe(403);
		expect((await upgradeAnswer(yjsUrl, { cookie, origin: 'null' })).status).toBe(403);
		expect((await upgradeAnswer(yjsUrl, { cookie, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
		// Our own origin, and a non-browser client that sends none, are let in.
		expect((await upgradeAnswer(yjsUrl, { cookie, origin: server.url })).status).toBe(101);
		expect((await upgradeAnswer(yjsUrl, { cookie })).status).toBe(101);
	});

	it("/yjs: a wall display's device cookie from another site is refused", async () => {
		const cookie = `mc_device=${fixture.wall.token}`;
		expect((await upgradeAnswer(yjsUrl, { cookie, origin: 'https://evil.example' })).status).toBe(403);
		expect((await upgradeAnswer(yjsUrl, { cookie, origin: server.url })).status).toBe(101);
	});

	it('/yjs: a ?token= credential needs no origin check', async () => {
		expect((await upgradeAnswer(`${yjsUrl}?token=${testAdminToken}`, { origin: 'https://evil.example' })).status).toBe(101);
	});

	it('socket.io: a cookie from another site is refused before any board:join', async () => {
		const cookie = fixture.editorA.cookie;
		expect(await socketWithOrigin(server, cookie, 'https://evil.example')).toMatch(/^refused/);
		expect(await socketWithOrigin(server, cookie, 'null')).toMatch(/^refused/);
		expect(await socketWithOrigin(server, cookie, server.url)).toBe('connected');
		// A token credential from a script elsewhere is fine (the same rule as the API).
		const scripted = await socketClient(server, { token: testAdminToken });
		expect(scripted.connected).toBe(true);
		scripted.close();
	});
});
