/**
 * Issue 10, item 5: `workspace:changed` must not tell a socket the ids of boards, missions and
 * departments it cannot see. Every signed-in socket still hears that something changed (its page
 * reloads what it may see), but the broadcast names no id.
 */
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCredential, api, buildAccessFixture, socketClient, type AccessFixture } from './access-fixture.ts';
import { eventually } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

describe('workspace:changed names nothing hidden (issue 10, item 5)', () => {
	let server: TestServer;
	let fixture: AccessFixture;
	let outsider: Socket;
	let lead: Socket;
	const heardByOutsider: unknown[] = [];
	const heardByLead: unknown[] = [];

	beforeAll(async () => {
		server = await startTestServer();
		fixture = await buildAccessFixture(server);
		outsider = await socketClient(server, { cookie: fixture.editorB.cookie });
		lead = await socketClient(server, { cookie: fixture.lead.cookie });
		outsider.on('workspace:changed', (change: unknown) => heardByOutsider.push(change));
		lead.on('workspace:changed', (change: unknown) => heardByLead.push(change));
	});
	afterAll(async () => {
		outsider?.close();
		lead?.close();
		await server?.close();
	});

	it('a hidden board, a mission and a department changed: the outsider hears of it without an id', async () => {
		expect((await api(server, 'PATCH', `/api/boards/${fixture.boardX.id}`, { ...adminCredential, body: { title: 'Board X: renamed in secret' } })).status).toBe(200);
		const hidden = await api(server, 'POST', `/api/missions/${fixture.missionId}/boards`, { ...adminCredential, body: { title: 'Board Z: restricted', departmentIds: [fixture.departments.a] } });
		expect(hidden.status).toBe(201);
		const hiddenId = (hidden.body as { id: string }).id;
		const department = await api(server, 'POST', '/api/departments', { ...adminCredential, body: { name: 'Department Gamma', code: 'GAMMA', colour: '#225544' } });
		expect(department.status).toBe(201);
		await eventually(() => expect(heardByOutsider.length).toBeGreaterThanOrEqual(3));
		await eventually(() => expect(heardByLead.length).toBeGreaterThanOrEqual(3));
		const secrets = [fixture.boardX.id, hiddenId, (department.body as { id: string }).id, fixture.missionId, fixture.departments.a];
		const wire = JSON.stringify(heardByOutsider);
		for (const secret of secrets) expect(wire).not.toContain(secret);
		expect(heardByOutsider).toContainEqual({ kind: 'boards' });
		expect(heardByOutsider).toContainEqual({ kind: 'departments' });
	});
});
