/**
 * Notifications with two real server instances on one real Redis and a real SMTP server: one event
 * gives one email (whichever instance accepted the change, both holding the board), and the daily
 * digest goes out once per person per day however many instances run it at once: what happened
 * since the last one, what is due, what others changed on your records; nothing when there is
 * nothing to say; its one-click unsubscribe link stops the next one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addComment } from '#lib/board/board-doc.ts';
import { addDays, isoDateAt } from '#lib/board/dates.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import type { Principal } from '../server/auth/principal.ts';
import { localDayAndHour } from '../server/notifications/daily-digest.ts';
import { api, buildAccessFixture, type AccessFixture, type Person } from './access-fixture.ts';
import { eventually } from './helpers/clients.ts';
import { startRedis, type RunningRedis } from './helpers/redis-server.ts';
import { knownOriginEnv, startTestServer, testAdminToken, type TestServer } from './helpers/server.ts';
import { startSmtpTestServer, type SmtpTestServer } from './helpers/smtp-test-server.ts';

const admin = { bearer: testAdminToken };
const hour = 3_600_000;
const day = 24 * hour;

describe('notifications across two instances on one Redis', () => {
	let redis: RunningRedis;
	let smtp: SmtpTestServer;
	let a: TestServer;
	let b: TestServer;
	let origin: string;
	let fixture: AccessFixture;
	const emailOf = (person: Person) => `${person.name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.gov.uk`;
	const digestsTo = (person: Person) => smtp.to(emailOf(person)).filter((mail) => mail.subject.startsWith('Your digest'));
	const othersTo = (person: Person) => smtp.to(emailOf(person)).filter((mail) => !mail.subject.startsWith('Your digest'));
	const flushBoth = async () => {
		await Promise.all([a.backend.notifications.settled(), b.backend.notifications.settled()]);
		await Promise.all([a.backend.identity.outbox?.flush(), b.backend.identity.outbox?.flush()]);
	};
	const principal = async (person: Person): Promise<Principal> => {
		const found = await a.backend.access.people.principal(person.principalId);
		if (!found) throw new Error(`no principal for ${person.name}`);
		return found;
	};
	/** Both instances run the day's digest at the same moment; resolves how many each queued. */
	const digestBoth = async (at: number) => {
		const counts = await Promise.all([a.backend.notifications.digest?.tick(at), b.backend.notifications.digest?.tick(at)]);
		await flushBoth();
		return counts;
	};

	beforeAll(async () => {
		redis = await startRedis();
		smtp = await startSmtpTestServer();
		const known = await knownOriginEnv();
		origin = known.ORIGIN;
		const env = { REDIS_URL: redis.url, SMTP_URL: smtp.url, MAIL_FROM: 'missions@example.gov.uk', ORIGIN: origin };
		// The digests' clocks are driven by the test (tick at chosen moments), not by the minute timer.
		const options = { outboxLimits: { pollIntervalMs: 50 }, digestLimits: { checkEveryMs: day }, accessLimits: { rateLimits: { invite: { burst: 1_000, refillMs: 1 } } } };
		a = await startTestServer({ ...options, env: { ...env, PORT: known.PORT } });
		b = await startTestServer({ ...options, env });
		fixture = await buildAccessFixture(a);
		for (const person of [fixture.lead, fixture.editorA, fixture.editorB, fixture.viewerA]) {
			expect((await api(b, 'PATCH', `/api/people/${person.id}`, { ...admin, body: { email: emailOf(person) } })).status).toBe(200);
		}
	});

	afterAll(async () => {
		await Promise.all([a?.close(), b?.close()]);
		await smtp?.close();
		await redis?.stop();
	});

	it('one event, one email: the instance that accepted the change tells the person once, while both hold the board', async () => {
		const board = fixture.boardX.id;
		// Both instances hold the board's document, so each sees the change (one directly, one through Redis).
		await Promise.all([a.backend.hub.withDoc(boardDocName(board), () => undefined), b.backend.hub.withDoc(boardDocName(board), () => undefined)]);
		const created = await api(b, 'POST', `/api/boards/${board}/dependencies`, {
			cookie: fixture.editorA.cookie,
			headers: { origin },
			body: { title: 'Pupil data', providerDepartment: fixture.departments.a, providerOwner: { name: fixture.viewerA.name, id: fixture.viewerA.principalId }, receiverDepartment: fixture.departments.b, receiverOwner: { name: fixture.editorA.name, id: fixture.editorA.principalId }, deliverable: 'the data' }
		});
		expect(created.status).toBe(201);
		await eventually(() => expect(othersTo(fixture.viewerA)).toHaveLength(1), 10_000);
		await flushBoth();
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(othersTo(fixture.viewerA)).toHaveLength(1);
		expect(othersTo(fixture.viewerA)[0]?.subject).toContain((created.body as { ref: string }).ref);
		// One notification, readable from either instance.
		for (const server of [a, b]) {
			const inbox = (await api(server, 'GET', '/api/me/notifications', { cookie: fixture.viewerA.cookie })).body as { notifications: Array<{ kind: string }> };
			expect(inbox.notifications.map((notification) => notification.kind)).toEqual(['owner']);
		}
		// Nobody else was mailed (the editor made the change; the others are not owners).
		for (const person of [fixture.editorA, fixture.editorB, fixture.lead]) expect(smtp.to(emailOf(person))).toHaveLength(0);
	});

	it('one digest per person per day, whichever instances run it; nothing when there is nothing to say; unsubscribe stops it', async () => {
		const board = fixture.boardX.id;
		const viewerCookie = fixture.viewerA.cookie;
		// Vic takes mentions in the digest; Edna keeps the defaults (everything at once, and the digest).
		expect((await api(a, 'PUT', '/api/me/notifications/preferences', { cookie: viewerCookie, headers: { origin }, body: { email: { owner: 'immediate', mention: 'digest', dependency: 'immediate', escalated: 'immediate' }, dailyDigest: true } })).status).toBe(200);
		const editor = await principal(fixture.editorA);
		const dependencyId = (((await api(a, 'GET', `/api/boards/${board}/dependencies`, { cookie: viewerCookie })).body as { records: Array<{ id: string }> }).records[0] ?? { id: '' }).id;
		await b.backend.hub.transact(boardDocName(board), editor, (doc) => addComment(doc, 'dependencies', dependencyId, { text: `@${fixture.viewerA.name} can you confirm the date?` }, { name: editor.name, id: editor.id }));
		// An action of Edna's, due in three days, which the lead then re-words.
		const due = addDays(isoDateAt(Date.now()), 3);
		const action = await api(a, 'POST', `/api/boards/${board}/actions`, { cookie: fixture.lead.cookie, headers: { origin }, body: { text: 'Send the pupil figures', owner: { name: fixture.editorA.name, id: fixture.editorA.principalId }, due } });
		expect(action.status).toBe(201);
		const actionRef = (action.body as { ref: string }).ref;
		expect((await api(b, 'PATCH', `/api/boards/${board}/actions/${actionRef}`, { cookie: fixture.lead.cookie, headers: { origin }, body: { text: 'Send the pupil figures by region' } })).status).toBe(200);
		await flushBoth();
		// The mention went to the digest, not to an email of its own.
		await eventually(async () => expect(((await api(a, 'GET', '/api/me/notifications', { cookie: viewerCookie })).body as { notifications: unknown[] }).notifications).toHaveLength(2));
		expect(othersTo(fixture.viewerA)).toHaveLength(1);

		// Before the workspace's digest hour, nothing goes.
		const first = Date.now() + hour;
		const { hour: localHour } = localDayAndHour(first, 'Europe/London');
		if (localHour < 23) {
			expect((await api(a, 'PATCH', '/api/workspace', { ...admin, body: { digestHour: localHour + 1 } })).status).toBe(200);
			expect(await digestBoth(first)).toEqual([0, 0]);
		}
		expect((await api(a, 'PATCH', '/api/workspace', { ...admin, body: { digestHour: 0, timeZone: 'Europe/London' } })).status).toBe(200);
		expect((await api(a, 'PATCH', '/api/workspace', { ...admin, body: { timeZone: 'Mars/Olympus' } })).status).toBe(400);

		const counts = await digestBoth(first);
		expect(counts.sort()).toEqual([0, 2]);
		// Again, on both: the day is done.
		expect(await digestBoth(first + 5 * 60_000)).toEqual([0, 0]);
		await new Promise((resolve) => setTimeout(resolve, 300));
		const [viewerDigest] = digestsTo(fixture.viewerA);
		expect(digestsTo(fixture.viewerA)).toHaveLength(1);
		expect(viewerDigest?.text).toContain(`${fixture.editorA.name} mentioned you on DEP-`);
		expect(viewerDigest?.text).toMatch(/Stop these emails with one click: http:\/\/\S+\/unsubscribe\?token=mcu\./);
		expect(viewerDigest?.text).not.toMatch(/mc_session|mce\.|mci\./);
		const [editorDigest] = digestsTo(fixture.editorA);
		expect(digestsTo(fixture.editorA)).toHaveLength(1);
		expect(editorDigest?.text).toContain('Due within a week');
		expect(editorDigest?.text).toMatch(/Changed on your records\r?\n\r?\n- ACT-\d+ Send the pupil figures.* \(Board X: skills pipeline\): created, text by Lena Lead/);
		// Nothing happened to the lead or to Ed, and they own nothing due: no digest.
		expect(digestsTo(fixture.lead)).toHaveLength(0);
		expect(digestsTo(fixture.editorB)).toHaveLength(0);

		// Vic stops emails from the digest's own link.
		const token = /\/unsubscribe\?token=(mcu\.\S+)/.exec(viewerDigest?.text ?? '')?.[1] ?? '';
		const stop = await fetch(`${b.url}/unsubscribe`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin, accept: 'text/html' }, body: new URLSearchParams({ token }) });
		expect(stop.status).toBe(200);

		// The next day: a new mention for Vic (who unsubscribed) and nothing new for Edna but her action, still due.
		await a.backend.hub.transact(boardDocName(board), editor, (doc) => addComment(doc, 'dependencies', dependencyId, { text: `@${fixture.viewerA.name} any news?` }, { name: editor.name, id: editor.id }));
		await flushBoth();
		expect((await digestBoth(first + day)).sort()).toEqual([0, 1]);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(digestsTo(fixture.viewerA)).toHaveLength(1);
		expect(digestsTo(fixture.editorA)).toHaveLength(2);
		expect(digestsTo(fixture.editorA)[1]?.text).not.toContain('Changed on your records');

		// An instance that died holding a day's lease: another takes the day over once the lease has run out.
		const third = first + 2 * day;
		const { day: thirdDay } = localDayAndHour(third, 'Europe/London');
		await a.backend.store.putRecord('digest-runs', thirdDay, { day: thirdDay, status: 'running', by: 'gone', leaseUntil: third - 1 });
		expect((await digestBoth(third)).sort()).toEqual([0, 1]);
		expect(digestsTo(fixture.editorA)).toHaveLength(3);
	});

	it('an instance starting on data from before the per-person indexes moves notifications into inboxes and sends waiting mail once', async () => {
		const store = a.backend.store;
		const at = Date.now();
		const old = { id: 'old-one', kind: 'owner', text: 'Lena Lead made you an owner of DEP-9 “Old”', boardId: fixture.boardX.id, boardTitle: fixture.boardX.title, register: 'dependencies', recordId: 'r-old', ref: 'DEP-9', title: 'Old', path: `/boards/${fixture.boardX.id}?ref=DEP-9`, by: 'Lena Lead', at, recipient: fixture.editorB.principalId };
		await store.putRecord('notifications', old.id, old);
		await store.putRecord('outbox', 'old-mail', { id: 'old-mail', to: emailOf(fixture.editorB), subject: 'Queued before the upgrade', text: 'Hello', kind: 'test', status: 'pending', attempts: 0, nextAttemptAt: at, createdAt: at });
		// Two instances start on it at once.
		const [c, d] = await Promise.all([0, 1].map(() => startTestServer({ outboxLimits: { pollIntervalMs: 50 }, digestLimits: { checkEveryMs: day }, env: { REDIS_URL: redis.url, SMTP_URL: smtp.url, MAIL_FROM: 'missions@example.gov.uk', ORIGIN: origin } })));
		try {
			await Promise.all([c?.backend.notifications.settled(), d?.backend.notifications.settled()]);
			expect(await store.listRecords('notifications')).toEqual([]);
			const inbox = (await api(c as TestServer, 'GET', '/api/me/notifications', { cookie: fixture.editorB.cookie })).body as { notifications: Array<{ id: string }>; unread: number };
			expect(inbox.notifications.map((notification) => notification.id)).toEqual(['old-one']);
			await eventually(() => expect(smtp.to(emailOf(fixture.editorB)).filter((mail) => mail.subject === 'Queued before the upgrade')).toHaveLength(1), 10_000);
			await Promise.all([c?.backend.identity.outbox?.flush(), d?.backend.identity.outbox?.flush()]);
			expect(smtp.to(emailOf(fixture.editorB)).filter((mail) => mail.subject === 'Queued before the upgrade')).toHaveLength(1);
			expect(await c?.backend.identity.outbox?.pending()).toBe(0);
		} finally {
			await Promise.all([c?.close(), d?.close()]);
		}
	});
});
