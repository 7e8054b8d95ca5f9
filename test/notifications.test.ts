/**
 * Notifications end to end on a real server: changes made through the JSON API and the hub (as a
 * browser's would be) reach the right people live over socket.io and by email (read from a real SMTP
 * server), nobody else, and nobody about a board they cannot see; the inbox, read marks, preferences
 * and one-click unsubscribe.
 */
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addComment, escalateBlocker, setRating } from '#lib/board/board-doc.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import type { NotificationView } from '#lib/protocol/notifications.ts';
import type { Principal } from '../server/auth/principal.ts';
import { api, buildAccessFixture, socketClient, type AccessFixture, type Person } from './access-fixture.ts';
import { eventually } from './helpers/clients.ts';
import { knownOriginEnv, startTestServer, testAdminToken, type TestServer } from './helpers/server.ts';
import { startSmtpTestServer, type SmtpTestServer } from './helpers/smtp-test-server.ts';

const admin = { bearer: testAdminToken };

describe('notifications', () => {
	let smtp: SmtpTestServer;
	let server: TestServer;
	let fixture: AccessFixture;
	const sockets: Socket[] = [];
	const received = new Map<string, NotificationView[]>();
	const emailOf = (person: Person) => `${person.name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.gov.uk`;

	beforeAll(async () => {
		smtp = await startSmtpTestServer();
		server = await startTestServer({
			env: { ...(await knownOriginEnv()), SMTP_URL: smtp.url, MAIL_FROM: 'missions@example.gov.uk' },
			outboxLimits: { pollIntervalMs: 50 },
			accessLimits: { rateLimits: { invite: { burst: 1_000, refillMs: 1 } } }
		});
		fixture = await buildAccessFixture(server);
		for (const person of [fixture.lead, fixture.editorA, fixture.editorB, fixture.viewerA]) {
			expect((await api(server, 'PATCH', `/api/people/${person.id}`, { ...admin, body: { email: emailOf(person) } })).status).toBe(200);
			const socket = await socketClient(server, { cookie: person.cookie });
			sockets.push(socket);
			received.set(person.principalId, []);
			socket.on('notification:new', (notification: NotificationView) => received.get(person.principalId)?.push(notification));
		}
	});

	afterAll(async () => {
		for (const socket of sockets) socket.disconnect();
		await server?.close();
		await smtp?.close();
	});

	const principal = async (person: Person): Promise<Principal> => {
		const found = await server.backend.access.people.principal(person.principalId);
		if (!found) throw new Error(`no principal for ${person.name}`);
		return found;
	};
	const kinds = (person: Person) => (received.get(person.principalId) ?? []).map((notification) => notification.kind);
	const mailsTo = (person: Person) => smtp.to(emailOf(person));

	it('made owner, @mentioned, a dependency turning red, an escalation: the right person is told live and by email, nobody else', async () => {
		const board = fixture.boardX.id;
		const viewer = { name: fixture.viewerA.name, id: fixture.viewerA.principalId };
		const created = await api(server, 'POST', `/api/boards/${board}/dependencies`, {
			cookie: fixture.editorA.cookie,
			headers: { origin: server.url },
			body: { title: 'Pupil data', providerDepartment: fixture.departments.a, providerOwner: viewer, receiverDepartment: fixture.departments.b, receiverOwner: { name: fixture.editorA.name, id: fixture.editorA.principalId }, deliverable: 'the data' }
		});
		expect(created.status).toBe(201);
		const dependency = created.body as { id: string; ref: string };
		await eventually(() => expect(kinds(fixture.viewerA)).toEqual(['owner']));

		const editor = await principal(fixture.editorA);
		await server.backend.hub.transact(boardDocName(board), editor, (doc) => addComment(doc, 'dependencies', dependency.id, { text: `@${fixture.viewerA.name} can you confirm? cc @${fixture.editorB.name}` }, { name: editor.name, id: editor.id }));
		await server.backend.hub.transact(boardDocName(board), editor, (doc) => setRating(doc, dependency.id, { rating: 'red', narrative: 'Slipping' }, { name: editor.name, id: editor.id }));
		const blocker = await api(server, 'POST', `/api/boards/${board}/blockers`, { ...admin, body: { title: 'Funding', owner: { name: 'Lead' }, unblocker: fixture.viewerA.name, raisedOn: '2026-05-01' } });
		const blockerId = (blocker.body as { id: string }).id;
		await server.backend.hub.transact(boardDocName(board), editor, (doc) => escalateBlocker(doc, blockerId, { level: 'missions_unit_lead', on: '2026-05-02', forum: 'Missions Unit' }, { name: editor.name, id: editor.id }));

		await eventually(() => expect(kinds(fixture.viewerA)).toEqual(['owner', 'mention', 'dependency_red', 'escalated']));
		expect(received.get(fixture.viewerA.principalId)?.[0]).toMatchObject({ ref: dependency.ref, boardId: board, path: `/boards/${board}?ref=${dependency.ref}`, text: expect.stringContaining(`${fixture.editorA.name} made you an owner of ${dependency.ref}`) });
		await eventually(() => expect(mailsTo(fixture.viewerA)).toHaveLength(4), 5_000);
		const mail = mailsTo(fixture.viewerA)[0];
		expect(mail?.subject).toContain(dependency.ref);
		expect(mail?.text).toContain(`${server.url}/boards/${board}?ref=${dependency.ref}`);
		expect(mail?.text).toMatch(/Stop these emails with one click: http:\/\/\S+\/unsubscribe\?token=mcu\./);
		expect(mail?.text).not.toMatch(/mc_session|mce\.|mci\./);

		// Editor B cannot see board X: not told about the mention; the author is told why.
		expect(kinds(fixture.editorB)).toEqual([]);
		expect(mailsTo(fixture.editorB)).toHaveLength(0);
		await eventually(() => expect(kinds(fixture.editorA)).toEqual(['mention_unseen']));
		// The one who made each change, and the lead, heard nothing.
		expect(kinds(fixture.lead)).toEqual([]);

		const inbox = (await api(server, 'GET', '/api/me/notifications', { cookie: fixture.viewerA.cookie })).body as { notifications: NotificationView[]; unread: number };
		expect(inbox.unread).toBe(4);
		expect(inbox.notifications.map((notification) => notification.kind)).toEqual(expect.arrayContaining(['owner', 'mention', 'dependency_red', 'escalated']));
		const first = inbox.notifications[0]?.id ?? '';
		expect((await api(server, 'POST', '/api/me/notifications/read', { cookie: fixture.viewerA.cookie, headers: { origin: server.url }, body: { ids: [first] } })).body).toEqual({ unread: 3 });
		expect((await api(server, 'POST', '/api/me/notifications/read', { cookie: fixture.viewerA.cookie, headers: { origin: server.url }, body: { all: true } })).body).toEqual({ unread: 0 });
		expect((await api(server, 'POST', '/api/me/notifications/read', { cookie: fixture.viewerA.cookie, headers: { origin: server.url }, body: { ids: [] } })).status).toBe(400);
		// Another person cannot mark them.
		expect(((await api(server, 'GET', '/api/me/notifications', { cookie: fixture.editorB.cookie })).body as { notifications: unknown[] }).notifications).toEqual([]);
		expect((await api(server, 'GET', '/api/me/notifications', { bearer: fixture.wall.token })).status).toBe(403);
	});

	it('follows each person’s preferences, and one click in an email stops them', async () => {
		const board = fixture.boardX.id;
		const cookie = fixture.viewerA.cookie;
		const put = await api(server, 'PUT', '/api/me/notifications/preferences', { cookie, headers: { origin: server.url }, body: { email: { owner: 'immediate', mention: 'off', dependency: 'digest', escalated: 'immediate' }, dailyDigest: true } });
		expect(put.status).toBe(200);
		expect((await api(server, 'PUT', '/api/me/notifications/preferences', { cookie, headers: { origin: server.url }, body: { email: { owner: 'loud' }, dailyDigest: true } })).status).toBe(400);
		const before = mailsTo(fixture.viewerA).length;
		const editor = await principal(fixture.editorA);
		const action = await api(server, 'POST', `/api/boards/${board}/actions`, { ...admin, body: { text: 'Talk it over', owner: { name: 'Lead' }, due: '2030-01-01' } });
		const actionId = (action.body as { id: string }).id;
		await server.backend.hub.transact(boardDocName(board), editor, (doc) => addComment(doc, 'actions', actionId, { text: `@${fixture.viewerA.name} thoughts?` }, { name: editor.name, id: editor.id }));
		await eventually(() => expect(kinds(fixture.viewerA).at(-1)).toBe('mention'));
		await server.backend.identity.outbox?.flush();
		expect(mailsTo(fixture.viewerA)).toHaveLength(before);

		const link = /http:\/\/\S+\/unsubscribe\?token=(mcu\.\S+)/.exec(mailsTo(fixture.viewerA)[0]?.text ?? '');
		const page = await api(server, 'GET', `/unsubscribe?token=${link?.[1]}`);
		expect(page.text).toContain('Stop emails');
		const stop = await fetch(`${server.url}/unsubscribe`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'text/html' }, body: new URLSearchParams({ token: link?.[1] ?? '' }) });
		expect(stop.status).toBe(200);
		expect(await stop.text()).toContain('you will get no more emails');
		expect((await api(server, 'GET', '/api/me/notifications/preferences', { cookie })).body).toEqual({ email: { owner: 'off', mention: 'off', dependency: 'off', escalated: 'off' }, dailyDigest: false });
		const forged = await fetch(`${server.url}/unsubscribe`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'text/html' }, body: new URLSearchParams({ token: `mcu.${fixture.editorA.principalId}.${'A'.repeat(43)}` }) });
		expect(forged.status).toBe(404);
	});
});
