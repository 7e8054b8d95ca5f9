/**
 * Invites and board join links end to end through the JSON API and the pages: who invited you to
 * what, one use per person, expiry, withdrawal, secrets kept only as hashes, and the "done" case:
 * a lead invites three departments to one board and one of them to a second board, and each
 * person sees and can do exactly what their role allows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import { collections } from '#lib/protocol/workspace.ts';
import { adminCredential, api, buildAccessFixture, createInvite, docClient, redeem, rejectedCount, storedDoc, type AccessFixture, type DocClient } from './access-fixture.ts';
import { eventually, upgradeAnswer } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

describe('invites and board join links', () => {
	let server: TestServer;
	let fixture: AccessFixture;
	const clients: DocClient[] = [];

	beforeAll(async () => {
		server = await startTestServer({ accessLimits: { rateLimits: { invite: { burst: 1_000, refillMs: 1 } } } });
		fixture = await buildAccessFixture(server);
	});

	afterAll(async () => {
		for (const client of clients) client.destroy();
		await server?.close();
	});

	it('shows who invited you to what, and makes you a person of that department with that role', async () => {
		const { token, link, invite } = await createInvite(server, { departmentId: fixture.departments.b, role: 'viewer' }, { cookie: fixture.lead.cookie });
		expect(link).toBe(`${server.url}/invite/${token}`);
		const preview = await api(server, 'POST', '/api/invites/preview', { body: { token } });
		expect(preview.body).toMatchObject({ status: 'active', invitedBy: fixture.lead.name, department: { name: 'Department Beta', code: 'BETA' }, role: 'viewer' });
		const page = await api(server, 'GET', `/invite/${token}`);
		expect(page.status).toBe(200);
		expect(page.text).toContain(fixture.lead.name);
		expect(page.text).toContain('Department Beta');
		const person = await redeem(server, token, 'Nia New');
		const me = (await api(server, 'GET', '/api/me', { cookie: person.cookie })).body;
		expect(me).toMatchObject({ id: person.principalId, kind: 'person', name: 'Nia New', role: 'viewer', department: { id: fixture.departments.b } });
		expect((me as { boards: Array<{ id: string; access: string }> }).boards).toEqual([{ id: fixture.boardY.id, title: fixture.boardY.title, path: `/boards/${fixture.boardY.id}`, access: 'read' }]);
		const listed = ((await api(server, 'GET', '/api/invites', { cookie: fixture.lead.cookie })).body as { invites: Array<{ id: string; uses: number }> }).invites.find((entry) => entry.id === invite.id);
		expect(listed).toMatchObject({ uses: 1 });
	});

	it('without mail, a person who joined without an address is told plainly that sign-in links are not available', async () => {
		const { token } = await createInvite(server, { departmentId: fixture.departments.b, role: 'viewer' }, { cookie: fixture.lead.cookie });
		const person = await redeem(server, token, 'Ola Nomail');
		const page = await api(server, 'GET', '/me/email?next=%2F', { cookie: person.cookie });
		expect(page.status).toBe(200);
		expect(page.text).toContain('Sign-in links by email are not available here');
		const given = await api(server, 'POST', '/api/me/email', { cookie: person.cookie, headers: { origin: server.url }, body: { email: 'ola@example.gov.uk' } });
		expect(given.status).toBe(404);
		expect(given.body).toMatchObject({ error: { code: 'not_configured', message: expect.stringContaining('not available here') } });
	});

	it('keeps only a hash of the secret, and never lists it', async () => {
		const { token, invite } = await createInvite(server, { departmentId: fixture.departments.a, role: 'editor' });
		const secret = token.split('.')[2] ?? '';
		expect(secret.length).toBeGreaterThanOrEqual(43);
		const stored = JSON.stringify(await server.backend.store.getRecord(collections.invites, invite.id));
		expect(stored).not.toContain(secret);
		expect(stored).toMatch(/"secretHash":"[0-9a-f]{64}"/);
		const listed = (await api(server, 'GET', '/api/invites', { cookie: fixture.lead.cookie })).text;
		expect(listed).not.toContain(secret);
		expect(listed).not.toContain('secretHash');
		const tokens = await api(server, 'POST', '/api/tokens', { cookie: fixture.editorA.cookie, body: { name: 'script' } });
		const apiSecret = (tokens.body as { token: string }).token;
		expect(JSON.stringify(await server.backend.store.listRecords(collections.apiTokens))).not.toContain(apiSecret.split('.')[2]);
		expect(JSON.stringify(await server.backend.store.listRecords(collections.wallDisplays))).not.toContain(fixture.wall.token.split('.')[2]);
	});

	it('refuses a wrong secret exactly like an unknown link', async () => {
		const { token } = await createInvite(server, { departmentId: fixture.departments.a, role: 'editor' });
		const [prefix, id, secret] = token.split('.');
		const wrongSecret = `${prefix}.${id}.${secret?.slice(0, -4)}AAAA`;
		const unknownId = `${prefix}.NoSuchInvite1.${secret}`;
		const a = await api(server, 'POST', '/api/invites/redeem', { body: { token: wrongSecret, name: 'Guess' } });
		const b = await api(server, 'POST', '/api/invites/redeem', { body: { token: unknownId, name: 'Guess' } });
		expect(a.status).toBe(404);
		expect(a.text).toBe(b.text);
		expect(a.body).toMatchObject({ error: { code: 'invite_invalid' } });
		const pageA = await api(server, 'GET', `/invite/${wrongSecret}`);
		expect(pageA.text).not.toContain('Department Alpha');
		expect(pageA.text).toContain('This link is not valid');
	});

	it('an expired, used-up or withdrawn invite makes no one', async () => {
		const expired = await api(server, 'POST', '/api/invites/redeem', { body: { token: fixture.expiredInviteToken, name: 'Late Larry' } });
		expect(expired.status).toBe(410);
		expect(expired.body).toMatchObject({ error: { code: 'invite_expired' } });
		expect((await api(server, 'GET', `/invite/${fixture.expiredInviteToken}`)).text).toContain('This invite has expired');

		const once = await createInvite(server, { departmentId: fixture.departments.a, role: 'editor', maxUses: 1 });
		// Two people race for the last use: exactly one gets in.
		const race = await Promise.all(['First Fay', 'Second Sid'].map((name) => api(server, 'POST', '/api/invites/redeem', { body: { token: once.token, name } })));
		expect(race.map((answer) => answer.status).sort()).toEqual([201, 410]);
		expect(race.find((answer) => answer.status === 410)?.body).toMatchObject({ error: { code: 'invite_used_up' } });

		const withdrawn = await createInvite(server, { departmentId: fixture.departments.a, role: 'editor' });
		expect((await api(server, 'DELETE', `/api/invites/${withdrawn.invite.id}`, { cookie: fixture.lead.cookie })).body).toMatchObject({ invite: { status: 'revoked' } });
		const refused = await api(server, 'POST', '/api/invites/redeem', { body: { token: withdrawn.token, name: 'Too Late' } });
		expect(refused.body).toMatchObject({ error: { code: 'invite_revoked' } });
		const people = ((await api(server, 'GET', '/api/people', { cookie: fixture.lead.cookie })).body as { people: Array<{ name: string }> }).people.map((person) => person.name);
		expect(people).not.toContain('Late Larry');
		expect(people).not.toContain('Too Late');
		expect(people.filter((name) => name === 'First Fay' || name === 'Second Sid')).toHaveLength(1);
	});

	it('only leads make invites, wall displays and see people', async () => {
		for (const cookie of [fixture.editorA.cookie, fixture.viewerA.cookie]) {
			expect((await api(server, 'POST', '/api/invites', { cookie, body: { departmentId: fixture.departments.a, role: 'lead' } })).status).toBe(403);
			expect((await api(server, 'POST', '/api/wall-displays', { cookie, body: { name: 'Mine', boardIds: [fixture.boardX.id] } })).status).toBe(403);
			expect((await api(server, 'GET', '/api/people', { cookie })).status).toBe(403);
			expect((await api(server, 'GET', '/people', { cookie })).status).toBe(403);
			expect((await api(server, 'GET', '/access/invites', { cookie })).status).toBe(403);
		}
		expect((await api(server, 'GET', '/api/invites', { bearer: fixture.wall.token })).status).toBe(403);
	});

	it('a board join link joins the department to the board; a member already signed in joins it without a new identity', async () => {
		const dept = ((await api(server, 'POST', '/api/departments', { ...adminCredential, body: { name: 'Department Gamma', code: 'GAMMA', colour: '#224466' } })).body as { id: string }).id;
		const link = await createInvite(server, { departmentId: dept, role: 'editor', boardId: fixture.boardX.id }, { cookie: fixture.lead.cookie });
		expect(link.link).toBe(`${server.url}/join/${link.token}`);
		const answer = await api(server, 'POST', '/api/invites/redeem', { body: { token: link.token, name: 'Gus Gamma' } });
		expect(answer.body).toMatchObject({ path: `/boards/${fixture.boardX.id}` });
		const board = (await api(server, 'GET', `/api/boards/${fixture.boardX.id}`, adminCredential)).body as { departmentIds: string[] };
		expect(board.departmentIds).toContain(dept);

		// A member of B, signed in, opens a join link of B for board X and adds it for B.
		const joinB = await createInvite(server, { departmentId: fixture.departments.b, role: 'editor', boardId: fixture.boardX.id });
		const page = await api(server, 'GET', `/join/${joinB.token}`, { cookie: fixture.editorB.cookie });
		expect(page.text).toContain('Add “Board X: skills pipeline” for BETA');
		const joined = await fetch(`${server.url}/join/${joinB.token}?/join`, {
			method: 'POST',
			headers: { cookie: fixture.editorB.cookie, origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
			body: '',
			redirect: 'manual'
		});
		expect(joined.status).toBe(303);
		expect(joined.headers.get('location')).toBe(`/boards/${fixture.boardX.id}`);
		expect((await api(server, 'GET', `/api/boards/${fixture.boardX.id}`, { cookie: fixture.editorB.cookie })).status).toBe(200);
		await api(server, 'DELETE', `/api/boards/${fixture.boardX.id}/departments/${fixture.departments.b}`, { cookie: fixture.lead.cookie });
		expect((await api(server, 'GET', `/api/boards/${fixture.boardX.id}`, { cookie: fixture.editorB.cookie })).status).toBe(404);
	});

	it('done: three departments invited to one board, one of them to a second; each person sees and does exactly what their role allows', async () => {
		const lead = { cookie: fixture.lead.cookie };
		const dept = async (name: string, code: string) => ((await api(server, 'POST', '/api/departments', { ...lead, body: { name, code, colour: '#446688' } })).body as { id: string }).id;
		const [dfe, dhsc, hmt] = [await dept('Department for Education', 'DfE'), await dept('Health and Social Care', 'DHSC'), await dept('HM Treasury', 'HMT')];
		const mission = ((await api(server, 'POST', '/api/missions', { ...lead, body: { title: 'Opportunity for all' } })).body as { id: string }).id;
		const board = async (title: string) => ((await api(server, 'POST', `/api/missions/${mission}/boards`, { ...lead, body: { title } })).body as { id: string }).id;
		const shared = await board('Early years workforce');
		const second = await board('Teacher pay review');
		const secret = await board('Spending review (Missions Unit only)');

		// Join links: DfE (editors) and DHSC (viewers) and HMT (editors) to the shared board; DfE also to the second.
		const dfeEditor = await redeem(server, (await createInvite(server, { departmentId: dfe, role: 'editor', boardId: shared }, lead)).token, 'Dee Education');
		const dhscViewer = await redeem(server, (await createInvite(server, { departmentId: dhsc, role: 'viewer', boardId: shared }, lead)).token, 'Hal Health');
		const hmtEditor = await redeem(server, (await createInvite(server, { departmentId: hmt, role: 'editor', boardId: shared }, lead)).token, 'Tess Treasury');
		const dfeViewer = await redeem(server, (await createInvite(server, { departmentId: dfe, role: 'viewer', boardId: second }, lead)).token, 'Vin Education');

		const boardsOf = async (cookie: string) => ((await api(server, 'GET', '/api/me', { cookie })).body as { boards: Array<{ id: string; access: string }> }).boards.map(({ id, access }) => `${id}:${access}`).sort();
		expect(await boardsOf(dfeEditor.cookie)).toEqual([`${second}:write`, `${shared}:write`].sort());
		expect(await boardsOf(dfeViewer.cookie)).toEqual([`${second}:read`, `${shared}:read`].sort());
		expect(await boardsOf(dhscViewer.cookie)).toEqual([`${shared}:read`]);
		expect(await boardsOf(hmtEditor.cookie)).toEqual([`${shared}:write`]);
		const leadBoards = await boardsOf(fixture.lead.cookie);
		for (const id of [shared, second, secret]) expect(leadBoards).toContain(`${id}:write`);

		// Documents: editors write the shared board, the viewer's write is dropped, nobody outside opens the others.
		const open = (id: string, cookie: string) => {
			const client = docClient(server, boardDocName(id), { cookie });
			clients.push(client);
			return client;
		};
		const dfeDoc = open(shared, dfeEditor.cookie);
		const hmtDoc = open(shared, hmtEditor.cookie);
		const dhscDoc = open(shared, dhscViewer.cookie);
		await Promise.all([dfeDoc.synced, hmtDoc.synced, dhscDoc.synced]);
		dfeDoc.doc.getMap('probe').set('dfe', 1);
		hmtDoc.doc.getMap('probe').set('hmt', 2);
		const before = await rejectedCount(server, 'read_only');
		dhscDoc.doc.getMap('probe').set('dhsc', 3);
		await eventually(async () => expect(await rejectedCount(server, 'read_only')).toBeGreaterThan(before));
		await eventually(() => expect(dhscDoc.doc.getMap('probe').toJSON()).toMatchObject({ dfe: 1, hmt: 2 }));
		expect((await storedDoc(server, boardDocName(shared))).getMap('probe').toJSON()).toEqual({ dfe: 1, hmt: 2 });
		for (const [cookie, id] of [[hmtEditor.cookie, second], [dhscViewer.cookie, second], [dfeEditor.cookie, secret]] as const) {
			expect((await upgradeAnswer(`${server.wsUrl}/yjs/${encodeURIComponent(boardDocName(id))}`, { cookie })).status).toBe(404);
			expect((await api(server, 'GET', `/api/boards/${id}`, { cookie })).status).toBe(404);
		}
		// The viewer cannot add a record by the API either; the editor can.
		expect((await api(server, 'POST', `/api/boards/${shared}/actions`, { cookie: dhscViewer.cookie, body: { text: 'Draft the plan', owner: { name: 'Hal' }, due: '2031-01-01' } })).status).toBe(403);
		expect((await api(server, 'POST', `/api/boards/${second}/actions`, { cookie: dfeEditor.cookie, body: { text: 'Draft the plan', owner: { name: 'Dee' }, due: '2031-01-01' } })).status).toBe(201);
	});
});
