/**
 * Hardening: rate limits on invite redemption, sign-in and bad credentials (HTTP, /yjs and
 * socket.io), security headers and the content-security policy, CSRF on cookie-authenticated
 * writes, no user content rendered as HTML, Secure cookies over HTTPS, and no secret in the logs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import { adminCredential, api, buildAccessFixture, createInvite, redeem, socketClient, type AccessFixture, type ServerLike } from './access-fixture.ts';
import { upgradeAnswer } from './helpers/clients.ts';
import { spawnServer, startTestServer, tempDir, testAdminToken, type SpawnedServer, type TestServer } from './helpers/server.ts';

describe('rate limits', () => {
	let server: TestServer;
	let fixture: AccessFixture;

	beforeAll(async () => {
		server = await startTestServer({ accessLimits: { rateLimits: { invite: { burst: 100, refillMs: 60_000 } } } });
		fixture = await buildAccessFixture(server);
	});
	afterAll(async () => {
		await server?.close();
	});

	it('invite links: opening and redeeming are limited per address, with Retry-After', async () => {
		// The fixture used some of the budget; spend the rest on guesses.
		const guess = 'mci.NoSuchInvite1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
		let answer = await api(server, 'POST', '/api/invites/preview', { body: { token: guess } });
		for (let i = 0; i < 200 && answer.status !== 429; i++) answer = await api(server, 'POST', '/api/invites/redeem', { body: { token: guess, name: 'Guesser' } });
		expect(answer.status).toBe(429);
		expect(answer.body).toMatchObject({ error: { code: 'rate_limited' } });
		expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
		// A real link is refused too while the budget is spent: guessing cannot go on by mixing in good ones.
		const { token } = await createInvite(server, { departmentId: fixture.departments.a, role: 'editor' });
		expect((await api(server, 'POST', '/api/invites/redeem', { body: { token, name: 'Real Person' } })).status).toBe(429);
		expect((await api(server, 'GET', `/invite/${token}`)).text).toContain('Too many attempts');
	});

	it('credentials we do not accept: limited on HTTP, /yjs and socket.io alike; good ones still work elsewhere', async () => {
		const other = await startTestServer({ accessLimits: { rateLimits: { badCredential: { burst: 5, refillMs: 60_000 } } } });
		try {
			const statuses: number[] = [];
			for (let i = 0; i < 5; i++) statuses.push((await api(other, 'GET', '/api/me', { bearer: `mct.NoSuchToken${i}.${'B'.repeat(43)}` })).status);
			expect(statuses).toEqual([401, 401, 401, 401, 401]);
			expect((await api(other, 'GET', '/api/me', { bearer: 'mct.NoSuchToken9.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB' })).status).toBe(429);
			expect((await api(other, 'GET', '/api/me', { cookie: 'mc_session=forgedforgedforgedforgedforged' })).status).toBe(429);
			expect((await upgradeAnswer(`${other.wsUrl}/yjs/${boardDocName('AnyBoard01')}?token=wrong-token-wrong-token`)).status).toBe(429);
			await expect(socketClient(other, { token: 'wrong-token-wrong-token' })).rejects.toMatchObject({ code: 'rate_limited' });
			// Asking without any credential is not an attempt: it is answered as usual.
			expect((await api(other, 'GET', '/api/me')).status).toBe(401);
		} finally {
			await other.close();
		}
	});

	it('sign-in attempts with a token are limited', async () => {
		const other = await startTestServer({ accessLimits: { rateLimits: { signIn: { burst: 3, refillMs: 60_000 } } } });
		try {
			const statuses: number[] = [];
			for (let i = 0; i < 4; i++) statuses.push((await api(other, 'GET', `/login?token=not-the-token-${i}-padding-padding`)).status);
			expect(statuses).toEqual([200, 200, 200, 429]);
		} finally {
			await other.close();
		}
	});
});

describe('headers, CSP, CSRF, escaping, cookies', () => {
	// A server in its own process, as in production: the pages run from the build, untouched by the test runner.
	let spawned: SpawnedServer;
	let data: { path: string; remove(): void };
	let server: ServerLike;
	let fixture: AccessFixture;

	beforeAll(async () => {
		data = tempDir();
		spawned = await spawnServer({ DATA_DIR: data.path, LOG_LEVEL: 'info' });
		server = { url: spawned.url, wsUrl: spawned.wsUrl };
		fixture = await buildAccessFixture(server);
	});
	afterAll(async () => {
		await spawned?.stop();
		data?.remove();
	});

	it('pages carry a strict content-security policy with a per-response nonce, and every answer the security headers', async () => {
		const first = await api(server, 'GET', '/me', { cookie: fixture.editorA.cookie });
		const second = await api(server, 'GET', '/me', { cookie: fixture.editorA.cookie });
		expect(first.status).toBe(200);
		const csp = first.headers.get('content-security-policy') ?? '';
		expect(csp).toMatch(/default-src 'self'/);
		expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
		expect(csp).toMatch(/object-src 'none'/);
		expect(csp).toMatch(/frame-ancestors 'none'/);
		expect(csp).toMatch(/base-uri 'self'/);
		expect(csp).not.toMatch(/unsafe-eval/);
		expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
		const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
		expect(second.headers.get('content-security-policy')).not.toContain(`nonce-${nonce}'`);
		for (const answer of [first, await api(server, 'GET', '/api/me', { cookie: fixture.editorA.cookie }), await api(server, 'GET', `/boards/${fixture.boardY.id}`, { cookie: fixture.editorA.cookie }), await api(server, 'GET', '/api/people')]) {
			expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
			expect(answer.headers.get('x-frame-options')).toBe('DENY');
			expect(answer.headers.get('referrer-policy')).toBe('same-origin');
			expect(answer.headers.get('cross-origin-opener-policy')).toBe('same-origin');
			expect(answer.headers.get('permissions-policy')).toContain('camera=()');
			expect(answer.headers.get('content-security-policy')).toBeTruthy();
		}
		expect(first.headers.get('cache-control')).toContain('no-store');
	});

	it('a cookie-authenticated change from another site is refused (JSON as well as forms)', async () => {
		const evil = 'http://evil.example';
		const json = await api(server, 'POST', '/api/tokens', { cookie: fixture.editorA.cookie, body: { name: 'x' }, headers: { origin: evil } });
		expect(json.status).toBe(403);
		const crossSite = await api(server, 'POST', '/api/tokens', { cookie: fixture.editorA.cookie, body: { name: 'x' }, headers: { 'sec-fetch-site': 'cross-site' } });
		expect(crossSite.status).toBe(403);
		const form = await fetch(`${server.url}/me?/createToken`, { method: 'POST', headers: { cookie: fixture.editorA.cookie, origin: evil, 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=x', redirect: 'manual' });
		expect(form.status).toBe(403);
		const tokens = (await api(server, 'GET', '/api/tokens', { cookie: fixture.editorA.cookie })).body as { tokens: unknown[] };
		expect(tokens.tokens).toHaveLength(0);
		// The same request from our own origin works; a script with a bearer token needs no origin.
		expect((await api(server, 'POST', '/api/tokens', { cookie: fixture.editorA.cookie, body: { name: 'x' }, headers: { origin: server.url } })).status).toBe(201);
	});

	it('names are shown as text, never as HTML', async () => {
		const attacker = await redeem(server, (await createInvite(server, { departmentId: fixture.departments.a, role: 'editor' })).token, '<img src=x onerror=alert(1)>');
		expect((await api(server, 'GET', '/api/me', { cookie: attacker.cookie })).body).toMatchObject({ name: '<img src=x onerror=alert(1)>' });
		const people = await api(server, 'GET', '/people', { cookie: fixture.lead.cookie });
		expect(people.status).toBe(200);
		expect(people.text).toContain('&lt;img src=x onerror=alert(1)>');
		expect(people.text).not.toContain('<img src=x');
		// Control characters are refused outright.
		const { token } = await createInvite(server, { departmentId: fixture.departments.a, role: 'editor' });
		expect((await api(server, 'POST', '/api/invites/redeem', { body: { token, name: 'Bell\u0007' } })).status).toBe(400);
	});

	it('the session cookie is httpOnly and SameSite=Lax, and not Secure over plain HTTP (see access-https.test.ts)', async () => {
		const { token } = await createInvite(server, { departmentId: fixture.departments.a, role: 'editor' });
		const plain = await api(server, 'POST', '/api/invites/redeem', { body: { token, name: 'Cookie Plain' } });
		const cookie = plain.headers.get('set-cookie') ?? '';
		expect(cookie).toMatch(/^mc_session=[A-Za-z0-9_-]{43};/);
		expect(cookie).toMatch(/HttpOnly/);
		expect(cookie).toMatch(/SameSite=Lax/);
		expect(cookie).not.toMatch(/Secure/);
	});
});

describe('secrets are never logged', () => {
	let spawned: SpawnedServer;
	let data: { path: string; remove(): void };

	beforeAll(async () => {
		data = tempDir();
		spawned = await spawnServer({ DATA_DIR: data.path, LOG_LEVEL: 'trace' });
	});
	afterAll(async () => {
		await spawned?.stop();
		data?.remove();
	});

	it('no token, invite secret, session cookie or admin token appears in the log at trace level', async () => {
		const server: ServerLike = { url: spawned.url, wsUrl: spawned.wsUrl };
		const department = ((await api(server, 'POST', '/api/departments', { ...adminCredential, body: { name: 'Logged Dept', code: 'LOG', colour: '#123456' } })).body as { id: string }).id;
		const mission = ((await api(server, 'POST', '/api/missions', { ...adminCredential, body: { title: 'Logged mission' } })).body as { id: string }).id;
		const board = ((await api(server, 'POST', `/api/missions/${mission}/boards`, { ...adminCredential, body: { title: 'Logged board', departmentIds: [department] } })).body as { id: string }).id;
		const invite = await createInvite(server, { departmentId: department, role: 'editor' });
		const person = await redeem(server, invite.token, 'Logan Log');
		const apiToken = ((await api(server, 'POST', '/api/tokens', { cookie: person.cookie, body: { name: 'logged' } })).body as { token: string }).token;
		const wall = ((await api(server, 'POST', '/api/wall-displays', { ...adminCredential, body: { name: 'Logged wall', boardIds: [board] } })).body as { token: string }).token;
		await api(server, 'GET', '/api/me', { bearer: apiToken });
		await api(server, 'GET', '/api/me', { bearer: `${apiToken.slice(0, -3)}zzz` });
		await api(server, 'POST', '/api/invites/redeem', { body: { token: `${invite.token.slice(0, -3)}zzz`, name: 'Wrong' } });
		await upgradeAnswer(`${spawned.wsUrl}/yjs/${boardDocName(board)}?token=${wall}`);
		await upgradeAnswer(`${spawned.wsUrl}/yjs/${boardDocName(board)}?token=${wall.slice(0, -3)}zzz`);
		await api(server, 'GET', `/wall?token=${wall}`);
		await api(server, 'DELETE', '/api/me/sessions/current', { cookie: person.cookie, headers: { origin: spawned.url } });
		const output = spawned.output();
		expect(output).toContain('invite redeemed');
		const secrets = [invite.token, invite.token.split('.')[2], person.cookie.split('=')[1], apiToken, apiToken.split('.')[2], wall, wall.split('.')[2], testAdminToken];
		for (const secret of secrets) expect(output).not.toContain(secret);
	});
});
