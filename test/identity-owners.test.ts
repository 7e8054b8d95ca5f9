/**
 * Owners as people, through the JSON API of a real server: the people directory (any signed-in
 * person; names and department codes only; not for wall displays), and the owners migration that
 * ties free-text owners to people by name, safely re-run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addComment } from '#lib/board/board-doc.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import { adminPrincipal } from '../server/auth/principal.ts';
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

	it('gives each person their work: owned, their department’s, waiting on them, due, mentioned; on the API, the page and the home page', async () => {
		const board = fixture.boardX.id;
		const editor = { name: fixture.editorA.name, id: fixture.editorA.principalId };
		const today = new Date().toISOString().slice(0, 10);
		await api(server, 'POST', `/api/boards/${board}/actions`, { ...admin, body: { text: 'Overdue thing', owner: editor, due: '2020-01-01' } });
		await api(server, 'POST', `/api/boards/${board}/blockers`, { ...admin, body: { title: 'Needs Alpha', owner: { name: 'Lead' }, unblocker: 'ALPHA', raisedOn: today } });
		const discussed = await api(server, 'POST', `/api/boards/${board}/actions`, { ...admin, body: { text: 'Talk it through', owner: { name: 'Lead' }, due: '2030-01-01' } });
		const recordId = (discussed.body as { id: string }).id;
		await server.backend.hub.transact(boardDocName(board), adminPrincipal, (doc) => addComment(doc, 'actions', recordId, { text: `Over to you @${fixture.editorA.name}` }, { name: 'Administrator', id: 'admin' }));

		const work = await api(server, 'GET', '/api/me/work', { cookie: fixture.editorA.cookie });
		expect(work.status).toBe(200);
		const body = work.body as { counts: Record<string, number>; items: Array<{ reason: string; title: string; boardId: string }> };
		const titles = (reason: string) => body.items.filter((item) => item.reason === reason).map((item) => item.title);
		expect(titles('overdue')).toEqual(['Overdue thing']);
		expect(titles('owner')).toEqual(expect.arrayContaining(['Data share', 'Overdue thing']));
		expect(titles('provides')).toEqual(['Data share']);
		expect(titles('waiting_on_you')).toEqual(['Needs Alpha']);
		expect(titles('mentioned')).toEqual(['Talk it through']);
		expect(body.counts).toMatchObject({ overdue: 1, waitingOnYou: 1, mentioned: 1 });
		// Editor B cannot read board X: none of it is theirs to see.
		const other = (await api(server, 'GET', '/api/me/work', { cookie: fixture.editorB.cookie })).body as { items: Array<{ boardId: string }> };
		expect(other.items.filter((item) => item.boardId === board)).toEqual([]);
		expect((await api(server, 'GET', '/api/me/work', { bearer: fixture.wall.token })).status).toBe(403);

		const page = await api(server, 'GET', '/me/work', { cookie: fixture.editorA.cookie });
		expect(page.status).toBe(200);
		expect(page.text).toContain('Overdue thing');
		const home = await api(server, 'GET', '/', { cookie: fixture.editorA.cookie });
		expect(home.text).toMatch(/<strong>1<\/strong> overdue/);
	});
});
