/**
 * The JSON API for missions, boards, departments, settings and the sample mission, against the
 * real server (built app, real store) with the admin bearer token.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerNames } from '#lib/protocol/registers.ts';
import { startTestServer, testAdminToken, type TestServer } from './helpers/server.ts';

interface Answer<T = any> {
	status: number;
	body: T;
	headers: Headers;
}

function client(server: TestServer, token: string | null = testAdminToken) {
	return async function call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
		const response = await fetch(`${server.url}${path}`, {
			method,
			headers: {
				...(token ? { authorization: `Bearer ${token}` } : {}),
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
				...headers
			},
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
		});
		const text = await response.text();
		return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
	};
}

describe('JSON API: missions, boards, departments', () => {
	let server: TestServer;
	let api: ReturnType<typeof client>;

	beforeAll(async () => {
		server = await startTestServer();
		api = client(server);
	});
	afterAll(async () => {
		await server?.close();
	});

	it('answers 401 with the error format when no credential (or a wrong one) is sent', async () => {
		for (const call of [client(server, null), client(server, 'not-the-token-not-the-token-0000')]) {
			const answer = await call('GET', '/api/missions');
			expect(answer.status).toBe(401);
			expect(answer.body).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
			expect(answer.headers.get('www-authenticate')).toBe('Bearer');
		}
		expect((await client(server, null)('POST', '/api/missions', { title: 'x' })).status).toBe(401);
	});

	it('creates, reads, renames, describes, archives and unarchives a mission', async () => {
		const created = await api('POST', '/api/missions', { title: '  Safer streets ', description: 'Halve knife crime' });
		expect(created.status).toBe(201);
		expect(created.body).toMatchObject({ title: 'Safer streets', description: 'Halve knife crime', archived: false, sample: false, createdBy: 'admin', updatedBy: 'admin', boards: [] });
		const id: string = created.body.id;
		expect(id).toMatch(/^[A-Za-z0-9_-]{12}$/);
		expect(created.body.path).toBe(`/missions/${id}`);

		const read = await api('GET', `/api/missions/${id}`);
		expect(read.status).toBe(200);
		expect(read.body.title).toBe('Safer streets');

		const renamed = await api('PATCH', `/api/missions/${id}`, { title: 'Safer streets mission', description: 'Halve knife crime in a decade' });
		expect(renamed.status).toBe(200);
		expect(renamed.body).toMatchObject({ title: 'Safer streets mission', description: 'Halve knife crime in a decade' });
		expect(renamed.body.updatedAt).toBeGreaterThanOrEqual(created.body.updatedAt);

		expect((await api('PATCH', `/api/missions/${id}`, { archived: true })).body.archived).toBe(true);
		const listed = await api('GET', '/api/missions');
		expect(listed.body.missions.map((m: { id: string }) => m.id)).not.toContain(id);
		const withArchived = await api('GET', '/api/missions?archived=true');
		expect(withArchived.body.missions.map((m: { id: string }) => m.id)).toContain(id);
		expect((await api('PATCH', `/api/missions/${id}`, { archived: false })).body.archived).toBe(false);
		expect((await api('GET', '/api/missions')).body.missions.map((m: { id: string }) => m.id)).toContain(id);
	});

	it('creates boards in a mission, joins and removes departments, and gives each board its path and counts', async () => {
		const mission = (await api('POST', '/api/missions', { title: 'Growth' })).body;
		const hmt = await api('POST', '/api/departments', { name: 'HM Treasury', code: 'HMT', colour: '#af292e' });
		expect(hmt.status).toBe(201);
		const dfe = (await api('POST', '/api/departments', { id: 'dept-dfe', name: 'Department for Education', code: 'DfE', colour: '#003a69' })).body;
		expect(dfe.id).toBe('dept-dfe');

		const board = await api('POST', `/api/missions/${mission.id}/boards`, { title: 'Housing', departmentIds: [hmt.body.id] });
		expect(board.status).toBe(201);
		expect(board.body).toMatchObject({ missionId: mission.id, title: 'Housing', departmentIds: [hmt.body.id], path: `/boards/${board.body.id}` });

		const joined = await api('POST', `/api/boards/${board.body.id}/departments`, { departmentId: 'dept-dfe' });
		expect(joined.status).toBe(200);
		expect(joined.body.departmentIds).toEqual([hmt.body.id, 'dept-dfe']);
		const left = await api('DELETE', `/api/boards/${board.body.id}/departments/${hmt.body.id}`);
		expect(left.body.departmentIds).toEqual(['dept-dfe']);
		const unknownDepartment = await api('POST', `/api/boards/${board.body.id}/departments`, { departmentId: 'no-such-dept' });
		expect(unknownDepartment.status).toBe(400);
		expect(unknownDepartment.body.error.code).toBe('invalid_request');

		const read = await api('GET', `/api/boards/${board.body.id}`);
		expect(read.body).toMatchObject({ access: 'write', counts: { dependencies: { red: 0, late: 0 }, blockers: { open: 0, escalated: 0 }, actions: { overdue: 0 } } });
		const list = await api('GET', `/api/missions/${mission.id}/boards`);
		expect(list.body.boards).toHaveLength(1);
		expect(list.body.boards[0].counts.dependencies.total).toBe(0);
		expect((await api('GET', `/api/missions/${mission.id}`)).body.boards.map((b: { id: string }) => b.id)).toEqual([board.body.id]);

		const patched = await api('PATCH', `/api/boards/${board.body.id}`, { title: 'Housing and planning', description: 'Homes and local plans' });
		expect(patched.body).toMatchObject({ title: 'Housing and planning', description: 'Homes and local plans' });
	});

	it('hard-deletes only an archived board or mission, and only with ?confirm=true', async () => {
		const mission = (await api('POST', '/api/missions', { title: 'To delete' })).body;
		const board = (await api('POST', `/api/missions/${mission.id}/boards`, { title: 'Doomed' })).body;
		await api('POST', `/api/boards/${board.id}/actions`, { text: 'Write it down', due: '2030-01-01', owner: { name: 'Ann' } });
		expect(await server.backend.store.listDocs(`board:${board.id}`)).toEqual([`board:${board.id}`]);

		const unconfirmed = await api('DELETE', `/api/missions/${mission.id}`);
		expect(unconfirmed.status).toBe(400);
		expect(unconfirmed.body.error).toMatchObject({ code: 'invalid_request', issues: [{ path: 'confirm' }] });
		const notArchived = await api('DELETE', `/api/missions/${mission.id}?confirm=true`);
		expect(notArchived.status).toBe(409);
		expect(notArchived.body.error.code).toBe('conflict');

		await api('PATCH', `/api/missions/${mission.id}`, { archived: true });
		const deleted = await api('DELETE', `/api/missions/${mission.id}?confirm=true`);
		expect(deleted.status).toBe(204);
		expect((await api('GET', `/api/missions/${mission.id}`)).status).toBe(404);
		expect((await api('GET', `/api/boards/${board.id}`)).status).toBe(404);
		expect(await server.backend.store.listDocs(`board:${board.id}`)).toEqual([]);
	});

	it('a lead can archive, unarchive and then hard-delete a board through /api/boards/:id', async () => {
		const mission = (await api('POST', '/api/missions', { title: 'Board lifecycle' })).body;
		const board = (await api('POST', `/api/missions/${mission.id}/boards`, { title: 'Short-lived' })).body;
		expect((await api('DELETE', `/api/boards/${board.id}?confirm=true`)).status).toBe(409);
		expect((await api('PATCH', `/api/boards/${board.id}`, { archived: true })).body.archived).toBe(true);
		// Archived boards are read-only for records, but a lead still manages the board itself.
		const restored = await api('PATCH', `/api/boards/${board.id}`, { archived: false });
		expect(restored.status).toBe(200);
		expect(restored.body.archived).toBe(false);
		await api('PATCH', `/api/boards/${board.id}`, { archived: true });
		const deleted = await api('DELETE', `/api/boards/${board.id}?confirm=true`);
		expect(deleted.status).toBe(204);
		expect((await api('GET', `/api/boards/${board.id}`)).status).toBe(404);
		expect((await api('GET', `/api/missions/${mission.id}`)).body.boards).toEqual([]);
	});

	it('creating a board in an archived mission is a conflict; in an unknown one, not found', async () => {
		const mission = (await api('POST', '/api/missions', { title: 'Old' })).body;
		await api('PATCH', `/api/missions/${mission.id}`, { archived: true });
		const refused = await api('POST', `/api/missions/${mission.id}/boards`, { title: 'New' });
		expect(refused.status).toBe(409);
		expect((await api('POST', '/api/missions/unknownMission/boards', { title: 'New' })).status).toBe(404);
	});

	it('manages the department registry: create, edit, archive, duplicate id', async () => {
		const created = (await api('POST', '/api/departments', { id: 'dept-home', name: 'Home Office', code: 'HO', colour: '#9325b2' })).body;
		const duplicate = await api('POST', '/api/departments', { id: 'dept-home', name: 'Home Office again', code: 'HO', colour: '#9325b2' });
		expect(duplicate.status).toBe(409);
		const edited = await api('PATCH', `/api/departments/${created.id}`, { name: 'The Home Office', colour: '#7a1f99' });
		expect(edited.body).toMatchObject({ name: 'The Home Office', code: 'HO', colour: '#7a1f99' });
		await api('PATCH', `/api/departments/${created.id}`, { archived: true });
		expect((await api('GET', '/api/departments')).body.departments.map((d: { id: string }) => d.id)).not.toContain('dept-home');
		expect((await api('GET', '/api/departments?archived=true')).body.departments.map((d: { id: string }) => d.id)).toContain('dept-home');
		expect((await api('GET', '/api/departments/dept-home')).body.archived).toBe(true);
	});

	it('reads and changes the workspace settings', async () => {
		expect((await api('GET', '/api/workspace')).body).toEqual({ name: 'Missions Unit', confidenceScale: 'three', staleAfterDays: 14, timeZone: 'Europe/London', digestHour: 7, dateLocale: 'en-GB' });
		const changed = await api('PATCH', '/api/workspace', { confidenceScale: 'five', staleAfterDays: 21, timeZone: 'America/New_York', digestHour: 8 });
		expect(changed.body).toEqual({ name: 'Missions Unit', confidenceScale: 'five', staleAfterDays: 21, timeZone: 'America/New_York', digestHour: 8, dateLocale: 'en-GB' });
		for (const wrong of [{ timeZone: 'Europe/Nowhere' }, { digestHour: 24 }, { digestHour: 7.5 }]) {
			const refused = await api('PATCH', '/api/workspace', wrong);
			expect(refused.status).toBe(400);
			expect(refused.body.error.issues[0].path).toBe(Object.keys(wrong)[0]);
		}
		expect((await api('GET', '/api/workspace')).body.confidenceScale).toBe('five');
		const bad = await api('PATCH', '/api/workspace', { confidenceScale: 'seven' });
		expect(bad.status).toBe(400);
		expect(bad.body.error.issues[0].path).toBe('confidenceScale');
	});

	it('validation errors are 400 invalid_request with issues; bad JSON and wrong content types are 400 with a message', async () => {
		const empty = await api('POST', '/api/missions', { title: '   ' });
		expect(empty.status).toBe(400);
		expect(empty.body.error).toMatchObject({ code: 'invalid_request', issues: [{ path: 'title', message: expect.any(String) }] });
		const extra = await api('POST', '/api/missions', { title: 'Fine', colour: 'red' });
		expect(extra.status).toBe(400);
		expect(extra.body.error.issues[0].message).toMatch(/colour/);
		const emptyPatch = await api('PATCH', '/api/departments/dept-dfe', {});
		expect(emptyPatch.status).toBe(400);
		expect(emptyPatch.body.error.issues[0].message).toMatch(/at least one field/);

		const broken = await api('POST', '/api/missions', '{"title": ');
		expect(broken.status).toBe(400);
		expect(broken.body.error).toEqual({ code: 'invalid_request', message: 'the body is not valid JSON' });
		const xml = await api('POST', '/api/missions', '<title/>', { 'content-type': 'application/xml' });
		expect(xml.status).toBe(400);
		expect(xml.body.error.message).toMatch(/Content-Type: application\/json/);
		expect(JSON.stringify(xml.body)).not.toMatch(/at .*\.(ts|js):\d+/);
	});

	it('unknown boards, missions, registers and endpoints are JSON 404s', async () => {
		for (const path of ['/api/boards/NoSuchBoard1', '/api/boards/x', '/api/missions/NoSuchMission', '/api/boards/NoSuchBoard1/dependencies', '/api/nothing/here']) {
			const answer = await api('GET', path);
			expect(answer.status, path).toBe(404);
			expect(answer.body.error.code, path).toBe('not_found');
		}
		const mission = (await api('POST', '/api/missions', { title: 'Registers' })).body;
		const board = (await api('POST', `/api/missions/${mission.id}/boards`, { title: 'Board' })).body;
		expect((await api('GET', `/api/boards/${board.id}/issues`)).status).toBe(404);
		expect((await api('GET', `/api/boards/${board.id}/risks`)).status).toBe(200);
		expect((await api('GET', `/api/boards/${board.id}/dependencies/DEP-99`)).status).toBe(404);
	});

	it('serves an OpenAPI 3.1 document, generated from the schemas, with every API route', async () => {
		const answer = await client(server, null)('GET', '/api/openapi.json');
		expect(answer.status).toBe(200);
		const document = answer.body;
		expect(document.openapi).toBe('3.1.0');
		const paths = Object.keys(document.paths);
		for (const route of apiRoutes()) expect(paths, route).toContain(route);
		expect(document.components.schemas.MissionCreate.properties.title).toMatchObject({ type: 'string', minLength: 1, maxLength: 200 });
		expect(document.components.schemas.DependencyCreate.required).toEqual(expect.arrayContaining(['title', 'providerDepartment', 'receiverDepartment']));
		// Every $ref points at a schema that exists.
		const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((match) => match[1]!);
		expect(refs.length).toBeGreaterThan(20);
		for (const name of refs) expect(document.components.schemas, name).toHaveProperty(name);
	});

	it('loads the sample mission once, and removes it with its boards, documents and unused departments in one step', async () => {
		const loaded = await api('POST', '/api/workspace/sample');
		expect(loaded.status).toBe(201);
		const { missionId, boardIds, departmentIds } = loaded.body.sample;
		expect(boardIds).toHaveLength(2);
		expect(departmentIds.length).toBeGreaterThan(5);
		expect((await api('POST', '/api/workspace/sample')).status).toBe(409);

		const mission = (await api('GET', `/api/missions/${missionId}`)).body;
		expect(mission.sample).toBe(true);
		expect(mission.boards.map((b: { id: string }) => b.id).sort()).toEqual([...boardIds].sort());
		const first = (await api('GET', `/api/boards/${boardIds[0]}`)).body;
		expect(first.counts.dependencies.total).toBeGreaterThan(0);
		expect(first.counts.dependencies.red + first.counts.blockers.escalated + first.counts.actions.overdue).toBeGreaterThan(0);
		// Every department a sample record names is in the registry.
		const registry = new Set((await api('GET', '/api/departments')).body.departments.map((d: { id: string }) => d.id));
		const dependencies = (await api('GET', `/api/boards/${boardIds[0]}/dependencies`)).body.records;
		for (const dependency of dependencies) {
			expect(registry).toContain(dependency.providerDepartment);
			expect(registry).toContain(dependency.receiverDepartment);
		}

		// A department that a real board uses survives the removal.
		const kept = departmentIds[0];
		const real = (await api('POST', '/api/missions', { title: 'Real mission' })).body;
		await api('POST', `/api/missions/${real.id}/boards`, { title: 'Real board', departmentIds: [kept] });

		const removed = await api('DELETE', '/api/workspace/sample');
		expect(removed.body).toEqual({ removed: true });
		expect((await api('GET', '/api/workspace/sample')).body).toEqual({ sample: null });
		expect((await api('GET', `/api/missions/${missionId}`)).status).toBe(404);
		for (const id of boardIds) {
			expect((await api('GET', `/api/boards/${id}`)).status).toBe(404);
			expect(await server.backend.store.listDocs(`board:${id}`)).toEqual([]);
		}
		const after = new Set((await api('GET', '/api/departments?archived=true')).body.departments.map((d: { id: string }) => d.id));
		expect(after).toContain(kept);
		for (const id of departmentIds.slice(1)) expect(after).not.toContain(id);
		expect((await api('DELETE', '/api/workspace/sample')).body).toEqual({ removed: false });
	});
});

/** Every `+server.ts` under src/routes/api as an OpenAPI path (`[id]` → `{id}`, `[register]` → each register). */
function apiRoutes(): string[] {
	const root = fileURLToPath(new URL('../src/routes/api', import.meta.url));
	const files: string[] = [];
	const walk = (dir: string) => {
		for (const name of readdirSync(dir)) {
			const path = join(dir, name);
			if (statSync(path).isDirectory()) walk(path);
			else if (name === '+server.ts') files.push(relative(root, dir));
		}
	};
	walk(root);
	const routes: string[] = [];
	for (const dir of files) {
		if (dir.includes('[...')) continue;
		const path = `/api/${dir}`.replace(/\/$/, '').replace(/\[(\w+)\]/g, '{$1}');
		if (path.includes('{register}')) for (const register of registerNames) routes.push(path.replace('{register}', register));
		else routes.push(path);
	}
	expect(routes.length).toBeGreaterThan(15);
	return routes;
}
