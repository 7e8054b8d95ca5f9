/**
 * Issue 10, item 4: one anonymous client must not lock everyone out. Bad credentials count per
 * address and per credential id (`<kind>.<id>`), apart; a credential that verifies is never
 * refused; behind a trusted proxy websocket upgrades use the forwarded address; with Redis,
 * N instances share one budget instead of giving N.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import { api, buildAccessFixture, socketClient, type AccessFixture } from './access-fixture.ts';
import { upgradeAnswer } from './helpers/clients.ts';
import { startRedis, type RunningRedis } from './helpers/redis-server.ts';
import { startTestServer, testAdminToken, type TestServer } from './helpers/server.ts';

const badToken = (id: string) => `mct.${id}.${'B'.repeat(43)}`;
const tight = { rateLimits: { badCredential: { burst: 5, refillMs: 60_000 } } };

describe('no collateral lockout (issue 10, item 4)', () => {
	let server: TestServer;
	let fixture: AccessFixture;

	beforeAll(async () => {
		server = await startTestServer({ accessLimits: tight, env: { ADDRESS_HEADER: 'x-forwarded-for' } });
		fixture = await buildAccessFixture(server);
	});
	afterAll(async () => {
		await server?.close();
	});

	it('after a flood of bad credentials from one address, good ones from it still work everywhere', async () => {
		const statuses: number[] = [];
		for (let i = 0; i < 40; i++) statuses.push((await api(server, 'GET', '/api/me', { bearer: badToken(`Guess${String(i).padStart(4, '0')}`) })).status);
		expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
		expect(statuses.at(-1)).toBe(429);
		// The same address, valid credentials: HTTP, /yjs and socket.io all accept them.
		expect((await api(server, 'GET', '/api/me', { cookie: fixture.editorA.cookie })).status).toBe(200);
		expect((await api(server, 'GET', '/api/me', { bearer: testAdminToken })).status).toBe(200);
		expect((await upgradeAnswer(`${server.wsUrl}/yjs/${boardDocName(fixture.boardX.id)}`, { cookie: fixture.editorA.cookie })).status).toBe(101);
		const socket = await socketClient(server, { cookie: fixture.editorA.cookie });
		expect(socket.connected).toBe(true);
		socket.close();
	});

	it('behind a trusted proxy, websocket upgrades are counted per forwarded address', async () => {
		const url = `${server.wsUrl}/yjs/${boardDocName(fixture.boardX.id)}`;
		const attacker = { 'x-forwarded-for': '203.0.113.66' };
		const statuses: number[] = [];
		for (let i = 0; i < 8; i++) statuses.push((await upgradeAnswer(`${url}?token=${badToken(`Flood${i}00`)}`, attacker)).status);
		expect(statuses.at(-1)).toBe(429);
		// Someone else behind the same proxy with a mistyped token is told 401, not locked out…
		expect((await upgradeAnswer(`${url}?token=${badToken('Typo000')}`, { 'x-forwarded-for': '203.0.113.77' })).status).toBe(401);
		// …and the attacker's own valid credential still works.
		expect((await upgradeAnswer(url, { ...attacker, cookie: fixture.editorA.cookie })).status).toBe(101);
	});

	it('guessing the secret of one credential id from many addresses is limited per id', async () => {
		const url = `${server.wsUrl}/yjs/${boardDocName(fixture.boardX.id)}`;
		const statuses: number[] = [];
		for (let i = 0; i < 8; i++) statuses.push((await upgradeAnswer(`${url}?token=mcw.${fixture.wall.id}.${'C'.repeat(42)}${i}`, { 'x-forwarded-for': `198.51.100.${i + 1}` })).status);
		expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
		expect(statuses.at(-1)).toBe(429);
		// The wall's real token is not refused.
		expect((await upgradeAnswer(`${url}?token=${fixture.wall.token}`, { 'x-forwarded-for': '198.51.100.99' })).status).toBe(101);
	});
});

describe('budgets shared through Redis (issue 10, item 4)', () => {
	let redis: RunningRedis;
	let instances: TestServer[] = [];

	beforeAll(async () => {
		redis = await startRedis({ appendonly: false });
		instances = [
			await startTestServer({ accessLimits: { rateLimits: { badCredential: { burst: 6, refillMs: 60_000 } } }, env: { REDIS_URL: redis.url } }),
			await startTestServer({ accessLimits: { rateLimits: { badCredential: { burst: 6, refillMs: 60_000 } } }, env: { REDIS_URL: redis.url } })
		];
	});
	afterAll(async () => {
		await Promise.all(instances.map((instance) => instance.close()));
		await redis?.stop();
	});

	it('two instances give one budget, not two', async () => {
		const [a, b] = instances as [TestServer, TestServer];
		const statuses: number[] = [];
		for (let i = 0; i < 3; i++) statuses.push((await api(a, 'GET', '/api/me', { bearer: badToken(`SharedA${i}0`) })).status);
		for (let i = 0; i < 3; i++) statuses.push((await api(b, 'GET', '/api/me', { bearer: badToken(`SharedB${i}0`) })).status);
		expect(statuses).toEqual([401, 401, 401, 401, 401, 401]);
		expect((await api(a, 'GET', '/api/me', { bearer: badToken('SharedA90') })).status).toBe(429);
		expect((await api(b, 'GET', '/api/me', { bearer: testAdminToken })).status).toBe(200);
	});
});
