/**
 * Owners as people, through the JSON API of a real server: the people directory (any signed-in
 * person; names and department codes only; not for wall displays), and the owners migration that
 * ties free-text owners to people by name, safely re-run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, buildAccessFixture, createInvite, redeem, type AccessFixture } from './access-fixture.ts';
import { startTestServer, testAdminToken, type TestServer } from './helpers/server.ts';

const admin = { bearer: testAdminToken };

describe('owners are people', () => {
	let server: TestServer;
	let fixture: AccessFixture;

	beforeAll(async () => {
		server = await startTestServer({ accessLimits: { rateLimits: { invite: { burst: 1_000, refillMs: 1 } } } });
		fixture = await buildAccessFixture(server);
	});

	afterAll(async () => {
		await server?.close();
	});

	it('lists the workspace’s people to any signed-in person, without addresses, and not to a wall display', async () => {
		const asEditor = await api(server, 'GET', '/api/people/directory', { cookie: fixture.editorB.cookie });
		expect(asEditor.status).toBe(200);
		const people = (asEditor.body as { people: Array<{ id: string; name: string; department?: string }> }).people;
		expect(people).toContainEqual({ id: fixture.editorA.principalId, name: fixture.editorA.name, department: 'ALPHA' });
		expect(asEditor.text).not.toMatch(/email|role|session/i);
		expect((await api(server, 'GET', '/api/people/directory', { bearer: fixture.wall.token })).status).toBe(403);
		expect((await api(server, 'GET', '/api/people/directory')).status).toBe(401);
	});

	it('ties free-text owners to the one person with that name, leaves the rest, and is safe to run again', async () => {
		const board = fixture.boardX.id;
		const created = await api(server, 'POST', `/api/boards/${board}/dependencies`, {
			...admin,
			body: { title: 'Data share', providerDepartment: fixture.departments.a, providerOwner: { name: fixture.editorA.name.toUpperCase() }, receiverDepartment: fixture.departments.b, receiverOwner: { name: 'Someone Outside' }, deliverable: 'the data' }
		});
		expect(created.status).toBe(201);
		const ref = (created.body as { ref: string }).ref;
		const twin = await createInvite(server, { departmentId: fixture.departments.b, role: 'viewer' });
		await redeem(server, twin.token, fixture.viewerA.name);
		await api(server, 'POST', `/api/boards/${board}/actions`, { ...admin, body: { text: 'Call the twins', owner: { name: fixture.viewerA.name }, due: '2026-06-01' } });

		expect((await api(server, 'POST', '/api/people/match-owners', { cookie: fixture.editorA.cookie, headers: { origin: server.url } })).status).toBe(403);
		const first = await api(server, 'POST', '/api/people/match-owners', admin);
		expect(first.status).toBe(200);
		expect(first.body).toMatchObject({ ambiguous: [fixture.viewerA.name] });
		expect((first.body as { matched: number }).matched).toBeGreaterThanOrEqual(2);
		const record = (await api(server, 'GET', `/api/boards/${board}/dependencies/${ref}`, admin)).body as { providerOwner: unknown; owner: unknown; receiverOwner: unknown };
		expect(record.providerOwner).toEqual({ name: fixture.editorA.name.toUpperCase(), id: fixture.editorA.principalId });
		expect(record.receiverOwner).toEqual({ name: 'Someone Outside' });

		const again = await api(server, 'POST', '/api/people/match-owners', admin);
		expect(again.body).toMatchObject({ matched: 0 });
	});
});
