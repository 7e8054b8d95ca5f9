/**
 * Webhooks end to end: a real server, real receivers on port 0 (one that answers, one that is slow,
 * one that fails, one that answers 500 then 200), changes made through the JSON API and the hub as a
 * browser's would be. Signed payloads, retries, the delivery log, disabling after persistent failure,
 * per-board subscriptions, the owner's access, the SSRF refusal, and once-only delivery across two
 * instances on real Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalateBlocker, setRating } from '#lib/board/board-doc.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import type { WebhookDelivery, WebhookView } from '#lib/protocol/webhooks.ts';
import { adminPrincipal } from '../server/auth/principal.ts';
import { api, buildAccessFixture, type AccessFixture } from './access-fixture.ts';
import { eventually } from './helpers/clients.ts';
import { startRedis, type RunningRedis } from './helpers/redis-server.ts';
import { startInstances } from './helpers/scale.ts';
import { startTestServer, testAdminToken, type TestServer } from './helpers/server.ts';
import { startWebhookReceiver, verifySignature, type WebhookReceiver } from './helpers/webhook-receiver.ts';

const admin = { bearer: testAdminToken };
const fastLimits = { pollIntervalMs: 50, firstRetryMs: 100, maxRetryMs: 200, retryForMs: 1_500, timeoutMs: 3_000 };

type Created = WebhookView & { secret: string };

describe('webhooks', () => {
	let receiver: WebhookReceiver;
	let server: TestServer;
	let fixture: AccessFixture;
	const lead = () => ({ cookie: fixture.lead.cookie, headers: { origin: server.url } });
	const hooksPath = () => `/api/missions/${fixture.missionId}/webhooks`;
	const register = async (body: object, as: object = admin): Promise<Created> => {
		const answer = await api(server, 'POST', hooksPath(), { ...as, body });
		expect(answer.status, answer.text).toBe(201);
		return answer.body as Created;
	};
	const dependency = async (boardId: string, title: string) => {
		const answer = await api(server, 'POST', `/api/boards/${boardId}/dependencies`, { ...admin, body: { title, providerDepartment: fixture.departments.a, providerOwner: { name: 'Pat' }, receiverDepartment: fixture.departments.b, receiverOwner: { name: 'Sam' }, deliverable: 'the data' } });
		expect(answer.status, answer.text).toBe(201);
		return answer.body as { id: string; ref: string };
	};

	beforeAll(async () => {
		receiver = await startWebhookReceiver();
		server = await startTestServer({ env: { WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1' }, webhookLimits: fastLimits });
		fixture = await buildAccessFixture(server);
	});

	afterAll(async () => {
		await server?.close();
		await receiver?.close();
	});

	it('delivers signed events for the chosen events and boards, and logs each delivery', async () => {
		const hook = await register({ url: `${receiver.url}/ok/x`, events: ['record.created', 'rating.changed', 'blocker.escalated'], boardIds: [fixture.boardX.id], description: 'Department system' });
		expect(hook.secret).toMatch(/^whsec_/);
		const listed = (await api(server, 'GET', hooksPath(), admin)).body as { webhooks: Array<Record<string, unknown>> };
		expect(listed.webhooks.find((entry) => entry.id === hook.id)).toMatchObject({ url: `${receiver.url}/ok/x`, enabled: true, ownerName: 'Administrator' });
		expect(JSON.stringify(listed)).not.toContain(hook.secret);

		const created = await dependency(fixture.boardX.id, 'Pupil data');
		await dependency(fixture.boardY.id, 'Not subscribed');
		await server.backend.hub.transact(boardDocName(fixture.boardX.id), adminPrincipal, (doc) => setRating(doc, created.id, { rating: 'red', narrative: 'Slipping' }, { name: 'Administrator', id: 'admin' }));
		const blocker = await api(server, 'POST', `/api/boards/${fixture.boardX.id}/blockers`, { ...admin, body: { title: 'Funding', owner: { name: 'Lead' }, unblocker: 'Treasury', raisedOn: '2026-05-01' } });
		const blockerId = (blocker.body as { id: string }).id;
		await server.backend.hub.transact(boardDocName(fixture.boardX.id), adminPrincipal, (doc) => escalateBlocker(doc, blockerId, { level: 'ministers', on: '2026-05-02', forum: 'Cabinet' }, { name: 'Administrator', id: 'admin' }));

		await eventually(() => expect(receiver.to('/ok/x').map((delivery) => delivery.json.type).sort()).toEqual(['blocker.escalated', 'rating.changed', 'record.created', 'record.created']));
		for (const delivery of receiver.to('/ok/x')) {
			expect(verifySignature(hook.secret, delivery.signature, delivery.body)).toBe(true);
			expect(verifySignature('whsec_wrong', delivery.signature, delivery.body)).toBe(false);
		}
		const rating = receiver.to('/ok/x').find((delivery) => delivery.json.type === 'rating.changed')!.json;
		expect(rating).toMatchObject({ mission: { id: fixture.missionId }, board: { id: fixture.boardX.id, title: fixture.boardX.title }, record: { register: 'dependencies', ref: created.ref, title: 'Pupil data' }, by: { name: 'Administrator' } });
		expect(rating.changes).toEqual(expect.arrayContaining([{ field: 'rating', before: null, after: 'red' }]));
		// Nothing from board Y (not subscribed), nothing for record.changed (not chosen).
		expect(receiver.to('/ok/x').some((delivery) => JSON.stringify(delivery.json).includes('Not subscribed'))).toBe(false);

		await server.backend.webhooks.settled();
		const log = (await api(server, 'GET', `${hooksPath()}/${hook.id}`, admin)).body as { deliveries: WebhookDelivery[] };
		expect(log.deliveries).toHaveLength(4);
		expect(log.deliveries.every((delivery) => delivery.status === 'delivered' && delivery.lastStatus === 200 && delivery.attempts === 1)).toBe(true);

		const ping = await api(server, 'POST', `${hooksPath()}/${hook.id}/ping`, admin);
		expect(ping.status).toBe(202);
		await eventually(() => expect(receiver.to('/ok/x').filter((delivery) => delivery.json.type === 'ping')).toHaveLength(1));
		expect((await api(server, 'DELETE', `${hooksPath()}/${hook.id}`, admin)).status).toBe(204);
		expect((await api(server, 'GET', `${hooksPath()}/${hook.id}`, admin)).status).toBe(404);
	});

	it('retries a receiver that answers 500 then 200, with the same delivery id', async () => {
		const hook = await register({ url: `${receiver.url}/flaky/1`, events: ['record.created'] });
		await dependency(fixture.boardX.id, 'Flaky one');
		await eventually(() => expect(receiver.to('/flaky/1')).toHaveLength(2));
		const [first, second] = receiver.to('/flaky/1');
		expect(second?.deliveryId).toBe(first?.deliveryId);
		expect(second?.json.id).toBe(first?.json.id);
		await eventually(async () => {
			const log = (await api(server, 'GET', `${hooksPath()}/${hook.id}`, admin)).body as { deliveries: WebhookDelivery[] };
			expect(log.deliveries).toMatchObject([{ status: 'delivered', attempts: 2, lastStatus: 200 }]);
		});
		await api(server, 'DELETE', `${hooksPath()}/${hook.id}`, admin);
	});

	it('disables a hook whose receiver keeps failing, and a lead can turn it back on', async () => {
		const hook = await register({ url: `${receiver.url}/fail/1`, events: ['record.created'] });
		await dependency(fixture.boardX.id, 'Never arrives');
		await eventually(async () => {
			const current = (await api(server, 'GET', `${hooksPath()}/${hook.id}`, admin)).body as WebhookView & { deliveries: WebhookDelivery[] };
			expect(current).toMatchObject({ enabled: false, disabledReason: expect.stringContaining('HTTP 500') });
			expect(current.deliveries[0]).toMatchObject({ status: 'failed', lastStatus: 500 });
			expect(current.deliveries[0]?.attempts).toBeGreaterThan(2);
		}, 15_000);
		const attempts = receiver.to('/fail/1').length;
		await dependency(fixture.boardX.id, 'While disabled');
		await server.backend.webhooks.settled();
		expect(receiver.to('/fail/1')).toHaveLength(attempts);
		const revived = await api(server, 'PATCH', `${hooksPath()}/${hook.id}`, { ...admin, body: { enabled: true } });
		expect(revived.body).toMatchObject({ enabled: true, disabledReason: null });
		await api(server, 'DELETE', `${hooksPath()}/${hook.id}`, admin);
	});

	it('a slow receiver slows nothing else: the API answers and other hooks are delivered while it holds requests', async () => {
		await register({ url: `${receiver.url}/slow/1`, events: ['record.created'] });
		await register({ url: `${receiver.url}/ok/beside-slow`, events: ['record.created'] });
		for (let index = 0; index < 3; index++) await dependency(fixture.boardX.id, `Busy ${index}`);
		await eventually(() => expect(receiver.to('/ok/beside-slow')).toHaveLength(3));
		// All three API writes were answered, and the other hook served, while the slow one still holds its requests.
		expect(receiver.held()).toBeGreaterThanOrEqual(1);
		receiver.release();
	});

	it('never carries what its owner cannot read: a demoted lead’s hook stops at the boards they lost', async () => {
		const hook = await register({ url: `${receiver.url}/ok/owner`, events: ['record.created'] }, lead());
		expect(hook.ownerName).toBe(fixture.lead.name);
		await dependency(fixture.boardY.id, 'Seen by the lead');
		await eventually(() => expect(receiver.to('/ok/owner')).toHaveLength(1));
		// The lead becomes an editor of department A: board X is theirs to read, board Y is not.
		expect((await api(server, 'PATCH', `/api/people/${fixture.lead.id}`, { ...admin, body: { role: 'editor', departmentId: fixture.departments.a } })).status).toBe(200);
		await dependency(fixture.boardY.id, 'Secret of department B');
		await dependency(fixture.boardX.id, 'Department A work');
		await eventually(() => expect(receiver.to('/ok/owner')).toHaveLength(2));
		await server.backend.webhooks.settled();
		expect(receiver.to('/ok/owner').map((delivery) => (delivery.json.record as { title: string }).title)).toEqual(['Seen by the lead', 'Department A work']);
		// Nor can they manage hooks any more.
		expect((await api(server, 'GET', hooksPath(), lead())).status).toBe(403);
		expect((await api(server, 'PATCH', `/api/people/${fixture.lead.id}`, { ...admin, body: { role: 'lead', departmentId: fixture.departments.unit } })).status).toBe(200);
	});

	it('tells the hook when a meeting ends, with a link to its pack', async () => {
		await register({ url: `${receiver.url}/ok/meetings`, events: ['meeting.ended'] });
		const started = await api(server, 'POST', '/api/meetings', { ...admin, body: { missionId: fixture.missionId, forum: 'Programme board', boardId: fixture.boardX.id } });
		expect(started.status, started.text).toBe(201);
		const meetingId = (started.body as { meetingId: string }).meetingId;
		expect((await api(server, 'POST', `/api/meetings/${meetingId}/end`, admin)).status).toBe(200);
		await eventually(() => expect(receiver.to('/ok/meetings')).toHaveLength(1));
		expect(receiver.to('/ok/meetings')[0]?.json).toMatchObject({ type: 'meeting.ended', meeting: { id: meetingId, forum: 'Programme board' }, board: { id: fixture.boardX.id } });
	});

	it('refuses bad input and people who are not leads', async () => {
		const bad = async (body: unknown, as: object = admin) => (await api(server, 'POST', hooksPath(), { ...as, body })).status;
		expect(await bad({ url: 'not a url', events: ['record.created'] })).toBe(400);
		expect(await bad({ url: `${receiver.url}/ok`, events: [] })).toBe(400);
		expect(await bad({ url: `${receiver.url}/ok`, events: ['record.deleted'] })).toBe(400);
		expect(await bad({ url: `${receiver.url}/ok`, events: ['record.created'], boardIds: ['nosuchboard'] })).toBe(400);
		expect(await bad({ url: `${receiver.url}/ok`, events: ['record.created'], secret: 'mine' })).toBe(400);
		expect(await bad({ url: `${receiver.url}/ok`, events: ['record.created'] }, { cookie: fixture.editorA.cookie, headers: { origin: server.url } })).toBe(403);
		expect((await api(server, 'GET', hooksPath(), { cookie: fixture.viewerA.cookie })).status).toBe(403);
		expect((await api(server, 'GET', hooksPath(), { bearer: fixture.wall.token })).status).toBe(403);
		expect((await api(server, 'GET', hooksPath())).status).toBe(401);
		expect((await api(server, 'GET', '/api/missions/nosuchmission/webhooks', admin)).status).toBe(404);
		expect((await api(server, 'PATCH', `${hooksPath()}/nosuchhook`, { ...admin, body: { enabled: false } })).status).toBe(404);
	});

	it('refuses targets inside the deployment (SSRF), even where one internal address is allowed', async () => {
		for (const url of ['https://169.254.169.254/latest/meta-data/', 'https://10.0.0.1/hook', 'https://[::1]/hook', 'https://[::ffff:127.0.0.2]/hook', 'http://127.0.0.2/hook', 'https://0.0.0.0/hook']) {
			const answer = await api(server, 'POST', hooksPath(), { ...admin, body: { url, events: ['record.created'] } });
			expect(answer.status, url).toBe(400);
			expect(answer.body).toMatchObject({ error: { code: 'invalid_request', message: expect.stringMatching(/private, loopback or reserved|https:\/\//) } });
		}
		// Without WEBHOOK_ALLOWED_NETWORKS, the test receiver itself (loopback) is refused.
		const strict = await startTestServer();
		try {
			const world = await buildAccessFixture(strict);
			const answer = await api(strict, 'POST', `/api/missions/${world.missionId}/webhooks`, { ...admin, body: { url: `${receiver.url}/ok`, events: ['record.created'] } });
			expect(answer.status).toBe(400);
			expect(answer.text).toContain('127.0.0.1');
		} finally {
			await strict.close();
		}
	});
});

describe('webhooks on two instances (real Redis)', () => {
	let redis: RunningRedis;
	let instances: TestServer[] = [];
	let receiver: WebhookReceiver;

	beforeAll(async () => {
		redis = await startRedis();
		receiver = await startWebhookReceiver();
		instances = await startInstances(2, redis.url, { env: { WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1' }, webhookLimits: fastLimits });
	});

	afterAll(async () => {
		for (const instance of instances) await instance.close();
		await receiver?.close();
		await redis?.stop();
	});

	it('delivers each event once, whichever instance accepted the change, while both poll the queue', async () => {
		const [a, b] = instances as [TestServer, TestServer];
		const fixture = await buildAccessFixture(a);
		const registered = await api(b, 'POST', `/api/missions/${fixture.missionId}/webhooks`, { ...admin, body: { url: `${receiver.url}/flaky/two`, events: ['record.created', 'record.changed'] } });
		expect(registered.status, registered.text).toBe(201);
		const titles: string[] = [];
		for (const [index, instance] of [a, b, a, b, a, b].entries()) {
			const title = `Across instances ${index}`;
			titles.push(title);
			const answer = await api(instance, 'POST', `/api/boards/${fixture.boardX.id}/actions`, { ...admin, body: { text: title, owner: { name: 'Lead' }, due: '2030-01-01' } });
			expect(answer.status, answer.text).toBe(201);
		}
		// Each delivery fails once (flaky), so each is retried: by either instance, still once in the end.
		await eventually(() => expect(new Set(receiver.to('/flaky/two').map((delivery) => delivery.deliveryId)).size).toBe(6), 15_000);
		await Promise.all(instances.map((instance) => instance.backend.webhooks.settled()));
		await new Promise((resolve) => setTimeout(resolve, 500));
		const byId = new Map<string, number>();
		for (const delivery of receiver.to('/flaky/two')) byId.set(delivery.deliveryId, (byId.get(delivery.deliveryId) ?? 0) + 1);
		expect([...byId.values()]).toEqual([2, 2, 2, 2, 2, 2]);
		expect(receiver.to('/flaky/two').map((delivery) => (delivery.json.record as { title: string }).title).sort()).toEqual([...titles, ...titles].sort());

		// Each instance keeps the enabled hooks it read: turned off on one, the other hears of it
		// (a Redis message, within milliseconds) and stops too.
		const hookId = (registered.body as { id: string }).id;
		const off = await api(b, 'PATCH', `/api/missions/${fixture.missionId}/webhooks/${hookId}`, { ...admin, body: { enabled: false } });
		expect(off.status, off.text).toBe(200);
		const delivered = receiver.to('/flaky/two').length;
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect((await api(a, 'POST', `/api/boards/${fixture.boardX.id}/actions`, { ...admin, body: { text: 'After the hook was turned off', owner: { name: 'Lead' }, due: '2030-01-01' } })).status).toBe(201);
		// …and on again on the other: the first instance reads them again too.
		const on = await api(a, 'PATCH', `/api/missions/${fixture.missionId}/webhooks/${hookId}`, { ...admin, body: { enabled: true } });
		expect(on.status, on.text).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect((await api(b, 'POST', `/api/boards/${fixture.boardX.id}/actions`, { ...admin, body: { text: 'After it was turned on again', owner: { name: 'Lead' }, due: '2030-01-01' } })).status).toBe(201);
		await eventually(() => expect(receiver.to('/flaky/two').some((delivery) => (delivery.json.record as { title: string }).title === 'After it was turned on again')).toBe(true), 15_000);
		await Promise.all(instances.map((instance) => instance.backend.webhooks.settled()));
		expect(receiver.to('/flaky/two').slice(delivered).map((delivery) => (delivery.json.record as { title: string }).title)).not.toContain('After the hook was turned off');
	});
});
