/**
 * Access that ends while people are connected: revoked sessions, sign-out, removed people,
 * departments taken off a board, role changes, revoked wall displays and API tokens. Live
 * `/yjs` and socket.io connections are closed (or leave the board's room) with the named codes.
 */
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCodes } from '#lib/protocol/close-codes.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import { roomNames } from '#lib/protocol/room-events.ts';
import { adminCredential, api, buildAccessFixture, createInvite, docClient, redeem, rejectedCount, socketClient, type AccessFixture, type DocClient, type Person } from './access-fixture.ts';
import { eventually } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

describe('live connections lose access at once', () => {
	let server: TestServer;
	let fixture: AccessFixture;
	const clients: DocClient[] = [];
	const sockets: Socket[] = [];

	const open = (docName: string, credential: Parameters<typeof docClient>[2]) => {
		const client = docClient(server, docName, credential);
		clients.push(client);
		return client;
	};
	const connect = async (credential: Parameters<typeof socketClient>[1]) => {
		const socket = await socketClient(server, credential);
		sockets.push(socket);
		return socket;
	};
	/** A socket's next `session:ended` and the reason it was disconnected. */
	const endOf = (socket: Socket) => ({
		ended: new Promise<unknown>((resolve) => socket.once('session:ended', resolve)),
		disconnected: new Promise<string>((resolve) => socket.once('disconnect', resolve))
	});
	const newPerson = async (departmentId: string, role: string, name: string): Promise<Person> => redeem(server, (await createInvite(server, { departmentId, role })).token, name);
	const boardX = () => boardDocName(fixture.boardX.id);

	beforeAll(async () => {
		// A short sweep, so changes made behind the layer's back (another instance, the store) show quickly.
		server = await startTestServer({ accessLimits: { sweepIntervalMs: 100, rateLimits: { invite: { burst: 1_000, refillMs: 1 } } } });
		fixture = await buildAccessFixture(server);
	});

	afterAll(async () => {
		for (const socket of sockets) socket.close();
		for (const client of clients) client.destroy();
		await server?.close();
	});

	it('revoking a session closes its /yjs connections (4401) and socket.io (session:ended), and no one else’s', async () => {
		const person = await newPerson(fixture.departments.a, 'editor', 'Sam Session');
		const doc = open(boardX(), { cookie: person.cookie });
		const bystander = open(boardX(), { cookie: fixture.editorA.cookie });
		await Promise.all([doc.synced, bystander.synced]);
		const socket = await connect({ cookie: person.cookie });
		const end = endOf(socket);
		const sessions = (await api(server, 'GET', `/api/people/${person.id}/sessions`, { cookie: fixture.lead.cookie })).body as { sessions: Array<{ id: string }> };
		expect(sessions.sessions).toHaveLength(1);
		const revoke = await api(server, 'DELETE', `/api/people/${person.id}/sessions/${sessions.sessions[0]?.id}`, { cookie: fixture.lead.cookie });
		expect(revoke.status).toBe(204);
		expect(await doc.closed).toBe(closeCodes.signedOut);
		expect(await end.ended).toEqual({ reason: 'revoked' });
		expect(await end.disconnected).toBe('io server disconnect');
		expect((await api(server, 'GET', '/api/me', { cookie: person.cookie })).status).toBe(401);
		// The bystander is still connected and editing.
		bystander.doc.getMap('probe').set('still here', true);
		const check = open(boardX(), { cookie: fixture.lead.cookie });
		await check.synced;
		await eventually(() => expect(check.doc.getMap('probe').get('still here')).toBe(true));
	});

	it('signing out closes the connections of that session', async () => {
		const person = await newPerson(fixture.departments.a, 'editor', 'Olu Out');
		const doc = open(boardX(), { cookie: person.cookie });
		await doc.synced;
		const socket = await connect({ cookie: person.cookie });
		const end = endOf(socket);
		const signOut = await fetch(`${server.url}/logout`, { method: 'POST', headers: { cookie: person.cookie, origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, body: '', redirect: 'manual' });
		expect(signOut.status).toBe(303);
		expect(await doc.closed).toBe(closeCodes.signedOut);
		expect(await end.ended).toEqual({ reason: 'signed_out' });
	});

	it('removing a department from a board takes it away from its members at once, open tabs included', async () => {
		const member = await newPerson(fixture.departments.a, 'editor', 'Mo Member');
		const doc = open(boardX(), { cookie: member.cookie });
		const leadDoc = open(boardX(), { cookie: fixture.lead.cookie });
		await Promise.all([doc.synced, leadDoc.synced]);
		const socket = await connect({ cookie: member.cookie });
		expect(await socket.emitWithAck('board:join', { boardId: fixture.boardX.id })).toMatchObject({ ok: true });
		const revoked = new Promise<unknown>((resolve) => socket.once('board:revoked', resolve));
		const seen: string[] = [];
		socket.on('workspace:changed', (change: { kind: string; id?: string }) => seen.push(`${change.kind}:${change.id}`));

		const removal = await api(server, 'DELETE', `/api/boards/${fixture.boardX.id}/departments/${fixture.departments.a}`, { cookie: fixture.lead.cookie });
		expect(removal.status).toBe(200);
		expect(await doc.closed).toBe(closeCodes.accessRevoked);
		expect(await revoked).toEqual({ boardId: fixture.boardX.id });
		// Events of the board no longer reach the socket; the socket itself stays for the workspace.
		server.backend.io.to(roomNames.board(fixture.boardX.id)).emit('workspace:changed', { kind: 'boards', id: 'board-event' });
		server.backend.io.to(roomNames.workspace).emit('workspace:changed', { kind: 'settings', id: 'marker' });
		await eventually(() => expect(seen).toContain('settings:marker'));
		expect(seen).not.toContain('boards:board-event');
		expect(await socket.emitWithAck('board:join', { boardId: fixture.boardX.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
		// Their home page no longer lists it; the lead is still connected.
		const me = (await api(server, 'GET', '/api/me', { cookie: member.cookie })).body as { boards: Array<{ id: string }> };
		expect(me.boards.map((board) => board.id)).not.toContain(fixture.boardX.id);
		expect(leadDoc.provider.wsconnected).toBe(true);

		const back = await api(server, 'POST', `/api/boards/${fixture.boardX.id}/departments`, { cookie: fixture.lead.cookie, body: { departmentId: fixture.departments.a } });
		expect(back.status).toBe(200);
		const again = open(boardX(), { cookie: member.cookie });
		await again.synced;
	});

	it('removing a person signs them out everywhere and ends their API tokens', async () => {
		const person = await newPerson(fixture.departments.a, 'editor', 'Rae Removed');
		const token = ((await api(server, 'POST', '/api/tokens', { cookie: person.cookie, body: { name: 'export script' } })).body as { token: string }).token;
		const browser = open(boardX(), { cookie: person.cookie });
		const script = open(boardX(), { token });
		await Promise.all([browser.synced, script.synced]);
		const socket = await connect({ cookie: person.cookie });
		const end = endOf(socket);
		expect((await api(server, 'DELETE', `/api/people/${person.id}`, { cookie: fixture.lead.cookie })).status).toBe(204);
		expect(await browser.closed).toBe(closeCodes.signedOut);
		expect(await script.closed).toBe(closeCodes.signedOut);
		expect(await end.ended).toEqual({ reason: 'removed' });
		expect((await api(server, 'GET', '/api/me', { bearer: token })).status).toBe(401);
		expect((await api(server, 'GET', '/api/me', { cookie: person.cookie })).status).toBe(401);
	});

	it('a role change re-admits open connections with the new rights', async () => {
		const person = await newPerson(fixture.departments.a, 'editor', 'Cam Changed');
		const doc = open(boardX(), { cookie: person.cookie });
		await doc.synced;
		const change = await api(server, 'PATCH', `/api/people/${person.id}`, { cookie: fixture.lead.cookie, body: { role: 'viewer' } });
		expect(change.status).toBe(200);
		expect(await doc.closed).toBe(closeCodes.accessChanged);
		const again = open(boardX(), { cookie: person.cookie });
		await again.synced;
		const before = await rejectedCount(server, 'read_only');
		again.doc.getMap('probe').set('viewer write', 1);
		await eventually(async () => expect(await rejectedCount(server, 'read_only')).toBeGreaterThan(before));
	});

	it('a session ended behind the layer’s back (another instance, the store) is caught by the sweep', async () => {
		const person = await newPerson(fixture.departments.a, 'viewer', 'Swee Pinstance');
		const doc = open(boardX(), { cookie: person.cookie });
		await doc.synced;
		const socket = await connect({ cookie: person.cookie });
		const end = endOf(socket);
		const sessions = (await api(server, 'GET', `/api/people/${person.id}/sessions`, { cookie: fixture.lead.cookie })).body as { sessions: Array<{ id: string }> };
		await server.backend.store.deleteRecord('sessions', sessions.sessions[0]?.id ?? '');
		expect(await doc.closed).toBe(closeCodes.signedOut);
		expect(await end.ended).toEqual({ reason: 'revoked' });
	});

	it('revoking a wall display disconnects the screen on /yjs and socket.io', async () => {
		const created = (await api(server, 'POST', '/api/wall-displays', { ...adminCredential, body: { name: 'Room 9', missionIds: [fixture.missionId] } })).body as { wallDisplay: { id: string }; token: string };
		const doc = open(boardX(), { token: created.token });
		await doc.synced;
		const socket = await connect({ token: created.token });
		const end = endOf(socket);
		expect((await api(server, 'DELETE', `/api/wall-displays/${created.wallDisplay.id}`, { cookie: fixture.lead.cookie })).status).toBe(200);
		expect(await doc.closed).toBe(closeCodes.signedOut);
		expect(await end.ended).toEqual({ reason: 'revoked' });
		expect((await api(server, 'GET', `/api/boards/${fixture.boardX.id}`, { bearer: created.token })).status).toBe(401);
	});

	it('revoking an API token ends the scripts using it; its person stays signed in', async () => {
		const token = ((await api(server, 'POST', '/api/tokens', { cookie: fixture.editorA.cookie, body: { name: 'nightly' } })).body as { apiToken: { id: string }; token: string });
		const script = open(boardX(), { token: token.token });
		const browser = open(boardX(), { cookie: fixture.editorA.cookie });
		await Promise.all([script.synced, browser.synced]);
		expect((await api(server, 'DELETE', `/api/tokens/${token.apiToken.id}`, { cookie: fixture.editorA.cookie })).status).toBe(200);
		expect(await script.closed).toBe(closeCodes.signedOut);
		expect(browser.provider.wsconnected).toBe(true);
		expect((await api(server, 'GET', '/api/me', { bearer: token.token })).status).toBe(401);
	});
});
