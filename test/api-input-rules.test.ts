/**
 * The rules beyond the schema, through the JSON API with a stock HTTP client: a dependency's two
 * departments must differ (on create, and on a patch of either side), and every record date must
 * be between 1 January 2000 and 31 December 2099. A refused write is a 400 naming the field, and
 * changes nothing. And the one-field-per-idea migration (leads only).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCredential, api as apiAs, buildAccessFixture } from './access-fixture.ts';
import { startTestServer, testAdminToken, type TestServer } from './helpers/server.ts';

describe('JSON API: input rules (departments differ, sane dates)', () => {
	let server: TestServer;
	let boardId: string;

	const api = async (method: string, path: string, body?: unknown) => {
		const response = await fetch(`${server.url}${path}`, {
			method,
			headers: { authorization: `Bearer ${testAdminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		const text = await response.text();
		return { status: response.status, body: text ? JSON.parse(text) : undefined };
	};
	const dependency = (over: Record<string, unknown> = {}) => ({
		title: 'Capital settlement',
		providerDepartment: 'hmt',
		providerOwner: { name: 'Priya Shah' },
		receiverDepartment: 'mhclg',
		receiverOwner: { name: 'Fiona MacLeod' },
		deliverable: 'Allocations',
		...over
	});
	const paths = (body: { error: { issues: { path: string }[] } }) => body.error.issues.map((issue) => issue.path);

	beforeAll(async () => {
		server = await startTestServer();
		const mission = (await api('POST', '/api/missions', { title: 'Growth' })).body;
		boardId = (await api('POST', `/api/missions/${mission.id}/boards`, { title: 'Housing' })).body.id;
	});
	afterAll(async () => {
		await server?.close();
	});

	it('refuses a dependency from a department to itself, on create and on a patch of either side', async () => {
		const same = await api('POST', `/api/boards/${boardId}/dependencies`, dependency({ receiverDepartment: 'hmt' }));
		expect(same.status).toBe(400);
		expect(same.body.error.code).toBe('invalid_request');
		expect(paths(same.body)).toEqual(['receiverDepartment']);
		expect(same.body.error.issues[0].message).toBe('The receiving department must be different from the providing department');
		expect((await api('GET', `/api/boards/${boardId}/dependencies`)).body.records).toHaveLength(0);

		const made = await api('POST', `/api/boards/${boardId}/dependencies`, dependency());
		expect(made.status).toBe(201);
		const patched = await api('PATCH', `/api/boards/${boardId}/dependencies/${made.body.ref}`, { providerDepartment: 'mhclg' });
		expect(patched.status).toBe(400);
		expect(paths(patched.body)).toEqual(['receiverDepartment']);
		const swapped = await api('PATCH', `/api/boards/${boardId}/dependencies/${made.body.ref}`, { providerDepartment: 'mhclg', receiverDepartment: 'hmt' });
		expect(swapped.status).toBe(200);
		expect(swapped.body).toMatchObject({ providerDepartment: 'mhclg', receiverDepartment: 'hmt' });
	});

	it('refuses dates outside 2000–2099 on every register, and keeps the record as it was', async () => {
		const far = await api('POST', `/api/boards/${boardId}/dependencies`, dependency({ neededBy: '2999-01-01', forecast: '1066-10-14' }));
		expect(far.status).toBe(400);
		expect(paths(far.body).sort()).toEqual(['forecast', 'neededBy']);
		expect(far.body.error.issues[0].message).toBe('Enter a date between 1 January 2000 and 31 December 2099');

		const action = await api('POST', `/api/boards/${boardId}/actions`, { text: 'Publish the data', owner: { name: 'Ann' }, due: '2100-01-01' });
		expect(action.status).toBe(400);
		expect(paths(action.body)).toEqual(['due']);

		const refused = await api('POST', `/api/boards/${boardId}/blockers`, { title: 'Stuck', owner: { name: 'Ann' }, unblocker: 'Minister', raisedOn: '1999-12-31' });
		expect(refused.status).toBe(400);
		expect(paths(refused.body)).toEqual(['raisedOn']);
		const blocker = await api('POST', `/api/boards/${boardId}/blockers`, { title: 'Stuck', owner: { name: 'Ann' }, unblocker: 'Minister', raisedOn: '2026-01-05', targetResolution: '2030-01-01' });
		expect(blocker.status).toBe(201);
		const late = await api('PATCH', `/api/boards/${boardId}/blockers/${blocker.body.ref}`, { targetResolution: '2100-01-01' });
		expect(late.status).toBe(400);
		expect(paths(late.body)).toEqual(['targetResolution']);
		expect((await api('GET', `/api/boards/${boardId}/blockers/${blocker.body.ref}`)).body.targetResolution).toBe('2030-01-01');
		// The edges of the range are fine.
		expect((await api('PATCH', `/api/boards/${boardId}/blockers/${blocker.body.ref}`, { targetResolution: '2099-12-31' })).status).toBe(200);
	});
});

describe('JSON API: the one-field-per-idea migration', () => {
	let server: TestServer;
	beforeAll(async () => {
		server = await startTestServer();
	});
	afterAll(async () => {
		await server?.close();
	});

	it('lets a lead make titles and owners agree on every board, changes nothing the second time, and refuses an editor', async () => {
		const world = await buildAccessFixture(server);
		const board = world.boardX.id;
		const action = await apiAs(server, 'POST', `/api/boards/${board}/actions`, { ...adminCredential, body: { text: 'Send the note to the DPO\nwith its annex', title: 'Note', owner: { name: 'Ann' }, due: '2030-01-01' } });
		expect(action.status).toBe(201);
		const dependency = await apiAs(server, 'POST', `/api/boards/${board}/dependencies`, {
			...adminCredential,
			body: { title: 'Data', providerDepartment: world.departments.a, providerOwner: { name: 'Priya Shah' }, receiverDepartment: world.departments.b, receiverOwner: { name: 'Tom Reid' }, owner: { name: 'Lee Jones' }, deliverable: 'x' }
		});
		expect(dependency.status).toBe(201);

		expect((await apiAs(server, 'POST', '/api/workspace/merge-fields', { cookie: world.editorA.cookie })).status).toBe(403);
		const first = await apiAs(server, 'POST', '/api/workspace/merge-fields', adminCredential);
		expect(first.status).toBe(200);
		expect(first.body).toMatchObject({ written: 2 });
		const ref = (answer: { body: unknown }) => (answer.body as { ref: string }).ref;
		expect(((await apiAs(server, 'GET', `/api/boards/${board}/actions/${ref(action)}`, adminCredential)).body as { title: string }).title).toBe('Send the note to the DPO');
		expect(((await apiAs(server, 'GET', `/api/boards/${board}/dependencies/${ref(dependency)}`, adminCredential)).body as { owner: unknown }).owner).toEqual({ name: 'Priya Shah' });
		expect((await apiAs(server, 'POST', '/api/workspace/merge-fields', adminCredential)).body).toMatchObject({ written: 0 });
	});
});
