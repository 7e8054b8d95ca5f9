/**
 * Single sign-on against a real OpenID Connect provider in-process (`oidc-provider`), driven over
 * HTTP like a browser: sign-in of a known person (found by verified email), a new person waiting
 * for a lead and let in, a tampered state, a replayed code, a wrong nonce, a domain not allowed, an
 * unverified address, a provider that is down, and the provider's sign-out offered after ours. And
 * the returning person: invited by email, back by single sign-on and by email link, always the same.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from './access-fixture.ts';
import { eventually } from './helpers/clients.ts';
import { CookieJar, followToApp, getWithJar, startOidcTestProvider, type OidcTestProvider, type TestAccount } from './helpers/oidc-test-provider.ts';
import { knownOriginEnv, startTestServer, tempDir, testAdminToken, type TestServer } from './helpers/server.ts';
import { freePort, startSmtpTestServer, type SmtpTestServer } from './helpers/smtp-test-server.ts';

const admin = { bearer: testAdminToken };
const departmentId = 'dept-alpha';

interface Attempt {
	/** Where the app sent the browser after the callback. */
	location: string;
	session: string | undefined;
	callbackUrl: string;
	jar: CookieJar;
}

describe('single sign-on with OpenID Connect', () => {
	let provider: OidcTestProvider;
	let smtp: SmtpTestServer;
	let server: TestServer;
	const dir = tempDir();

	beforeAll(async () => {
		provider = await startOidcTestProvider();
		smtp = await startSmtpTestServer();
		const providersFile = join(dir.path, 'providers.json');
		const downPort = await freePort();
		writeFileSync(providersFile, JSON.stringify([{ id: 'down', name: 'Unreachable ID', issuer: `http://127.0.0.1:${downPort}`, clientId: 'x', clientSecret: 'y', allowedDomains: ['example.gov.uk'] }]));
		server = await startTestServer({
			env: {
				...(await knownOriginEnv()),
				OIDC_ISSUER: provider.issuer,
				OIDC_CLIENT_ID: provider.clientId,
				OIDC_CLIENT_SECRET: provider.clientSecret,
				OIDC_NAME: 'Test ID',
				OIDC_ALLOWED_DOMAINS: 'example.gov.uk, second.gov.uk',
				OIDC_DEPARTMENTS: `example.gov.uk=${departmentId}`,
				OIDC_NEW_PEOPLE: 'approval',
				OIDC_PROVIDERS_FILE: providersFile,
				SMTP_URL: smtp.url,
				MAIL_FROM: 'missions@example.gov.uk'
			},
			outboxLimits: { pollIntervalMs: 50 },
			accessLimits: { rateLimits: { invite: { burst: 1_000, refillMs: 1 }, signIn: { burst: 1_000, refillMs: 1 } } }
		});
		provider.register([`${server.url}/login/oidc/default/callback`], [`${server.url}/login`]);
		expect((await api(server, 'POST', '/api/departments', { ...admin, body: { id: departmentId, name: 'Department Alpha', code: 'ALPHA', colour: '#335577' } })).status).toBe(201);
	});

	afterAll(async () => {
		await server?.close();
		await smtp?.close();
		await provider?.close();
		dir.remove();
	});

	/** Starts at `/login/oidc/default`, lets the provider sign `account` in, and opens the callback. */
	async function signIn(account: TestAccount, options: { alterAuthorize?: (url: URL) => void; alterCallback?: (url: URL) => void } = {}): Promise<Attempt> {
		provider.signInAs(account);
		const jar = new CookieJar();
		const start = await getWithJar(`${server.url}/login/oidc/default`, jar);
		expect(start.status).toBe(303);
		const authorize = new URL(start.headers.get('location') ?? '');
		expect(authorize.origin).toBe(provider.issuer);
		options.alterAuthorize?.(authorize);
		const callbackUrl = new URL(await followToApp(authorize.href, server.url));
		options.alterCallback?.(callbackUrl);
		const done = await getWithJar(callbackUrl.href, jar);
		expect(done.status).toBe(303);
		return { location: done.headers.get('location') ?? '', session: jar.get('mc_session'), callbackUrl: callbackUrl.href, jar };
	}

	async function invite(email: string, name: string): Promise<{ id: string; cookie: string }> {
		const created = await api(server, 'POST', '/api/invites', { ...admin, body: { departmentId, role: 'editor', email } });
		expect(created.status).toBe(201);
		const token = new URL((created.body as { link: string }).link).pathname.split('/').pop();
		const redeemed = await api(server, 'POST', '/api/invites/redeem', { body: { token, name } });
		expect(redeemed.status).toBe(201);
		return { id: (redeemed.body as { person: { id: string } }).person.id, cookie: redeemed.headers.get('set-cookie')?.split(';')[0] ?? '' };
	}

	it('offers each configured provider on the sign-in page, and keeps the token form', async () => {
		const page = await api(server, 'GET', '/login');
		expect(page.status).toBe(200);
		expect(page.text).toContain('href="/login/oidc/default"');
		expect(page.text).toContain('Sign in with Test ID');
		expect(page.text).toContain('href="/login/oidc/down"');
		expect(page.text).toContain('Email me a sign-in link');
		expect(page.text).toContain('name="token"');
	});

	it('signs in a person found by their verified address, with PKCE, state and nonce on the way', async () => {
		const ella = await invite('ella@example.gov.uk', 'Ella Evans');
		let authorize: URL | undefined;
		const attempt = await signIn({ email: 'Ella@Example.gov.uk', email_verified: true, name: 'Ella E.' }, { alterAuthorize: (url) => (authorize = new URL(url)) });
		expect(authorize?.searchParams.get('code_challenge_method')).toBe('S256');
		expect(authorize?.searchParams.get('state')).toBeTruthy();
		expect(authorize?.searchParams.get('nonce')).toBeTruthy();
		expect(attempt.location).toBe('/');
		const me = await api(server, 'GET', '/api/me', { cookie: `mc_session=${attempt.session}` });
		expect(me.body).toMatchObject({ id: `person:${ella.id}`, name: 'Ella Evans', role: 'editor', department: { id: departmentId } });
	});

	it('refuses a tampered state: no session', async () => {
		const attempt = await signIn({ email: 'ella@example.gov.uk', email_verified: true, name: 'Ella' }, { alterCallback: (url) => url.searchParams.set('state', 'tampered-state-value') });
		expect(attempt.location).toBe('/login?problem=sign_in_failed');
		expect(attempt.session).toBeUndefined();
	});

	it('refuses a replayed code, in the same browser and in another', async () => {
		const first = await signIn({ email: 'ella@example.gov.uk', email_verified: true, name: 'Ella' });
		expect(first.location).toBe('/');
		const sameBrowser = await getWithJar(first.callbackUrl, new CookieJar());
		expect(sameBrowser.headers.get('location')).toBe('/login?problem=sign_in_failed');
		// Another browser that started its own sign-in and presents the stolen code.
		const thief = new CookieJar();
		await getWithJar(`${server.url}/login/oidc/default`, thief);
		expect(thief.get('mc_oidc')).toBeTruthy();
		const replay = await getWithJar(first.callbackUrl, thief);
		expect(replay.headers.get('location')).toBe('/login?problem=sign_in_failed');
		expect(thief.get('mc_session')).toBeUndefined();
	});

	it('refuses an ID token with the wrong nonce', async () => {
		const attempt = await signIn({ email: 'ella@example.gov.uk', email_verified: true, name: 'Ella' }, { alterAuthorize: (url) => url.searchParams.set('nonce', 'a-nonce-the-app-never-issued') });
		expect(attempt.location).toBe('/login?problem=sign_in_failed');
		expect(attempt.session).toBeUndefined();
	});

	it('refuses an address at a domain not allowed, and an unverified address, with clear pages', async () => {
		const other = await signIn({ email: 'mallory@elsewhere.org', email_verified: true, name: 'Mallory' });
		expect(other.location).toBe('/login?problem=domain_not_allowed');
		expect(other.session).toBeUndefined();
		const unverified = await signIn({ email: 'ella@example.gov.uk', email_verified: false, name: 'Ella' });
		expect(unverified.location).toBe('/login?problem=email_unverified');
		expect(unverified.session).toBeUndefined();
		const page = await api(server, 'GET', other.location);
		expect(page.text).toContain('not at a domain allowed to sign in here');
		expect((await api(server, 'GET', '/api/access-requests', admin)).text).not.toContain('mallory');
	});

	it('a new person waits for a lead, who lets them in; then they sign in', async () => {
		const account = { email: 'nia@example.gov.uk', email_verified: true, name: 'Nia New' };
		const waiting = await signIn(account);
		expect(waiting.location).toBe('/login/waiting');
		expect(waiting.session).toBeUndefined();
		expect((await api(server, 'GET', '/login/waiting')).text).toContain('Waiting for approval');
		// Signing in again while waiting queues nothing new.
		await signIn(account);
		const queue = (await api(server, 'GET', '/api/access-requests', admin)).body as { requests: Array<{ id: string; email: string; departmentId?: string }> };
		const requests = queue.requests.filter((request) => request.email === account.email);
		expect(requests).toEqual([expect.objectContaining({ email: account.email, departmentId })]);
		const editor = await invite('ed@example.gov.uk', 'Ed Editor');
		expect((await api(server, 'GET', '/api/access-requests', { cookie: editor.cookie })).status).toBe(403);
		const approved = await api(server, 'POST', `/api/access-requests/${requests[0]?.id}/approve`, { ...admin, body: { departmentId, role: 'viewer' } });
		expect(approved.status).toBe(200);
		const entered = await signIn(account);
		expect(entered.location).toBe('/');
		const me = await api(server, 'GET', '/api/me', { cookie: `mc_session=${entered.session}` });
		expect(me.body).toMatchObject({ name: 'Nia New', role: 'viewer', department: { id: departmentId } });
		expect(((await api(server, 'GET', '/api/access-requests', admin)).body as { requests: unknown[] }).requests).toHaveLength(0);
	});

	it('a provider that is down gets a clear page; other ways to sign in keep working', async () => {
		const start = await api(server, 'GET', '/login/oidc/down');
		expect(start.status).toBe(303);
		expect(start.headers.get('location')).toBe('/login?problem=provider_unavailable');
		const page = await api(server, 'GET', '/login?problem=provider_unavailable');
		expect(page.status).toBe(200);
		expect(page.text).toContain('cannot be reached right now');
		expect((await api(server, 'GET', '/login/oidc/nonexistent')).headers.get('location')).toBe('/login?problem=not_configured');
		const working = await signIn({ email: 'ella@example.gov.uk', email_verified: true, name: 'Ella' });
		expect(working.location).toBe('/');
		expect((await api(server, 'GET', '/healthz')).status).toBe(200);
	});

	it('signing out ends our session and offers the provider’s sign-out', async () => {
		const attempt = await signIn({ email: 'ella@example.gov.uk', email_verified: true, name: 'Ella' });
		const cookie = `mc_session=${attempt.session}`;
		const out = await fetch(`${server.url}/logout`, { method: 'POST', redirect: 'manual', headers: { cookie, origin: server.url, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: '' });
		expect(out.status).toBe(303);
		expect(out.headers.get('location')).toBe('/login?signed_out=default');
		expect((await api(server, 'GET', '/api/me', { cookie })).status).toBe(401);
		const page = await api(server, 'GET', '/login?signed_out=default');
		const offered = /href="([^"]+)">Also sign out of Test ID/.exec(page.text)?.[1]?.replaceAll('&amp;', '&');
		expect(offered).toBeDefined();
		const endSession = new URL(offered ?? '');
		expect(endSession.origin).toBe(provider.issuer);
		expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${server.url}/login`);
	});

	it('a person invited by email comes back by single sign-on and by email link: same person, department and sessions', async () => {
		const ravi = await invite('ravi@example.gov.uk', 'Ravi Returning');
		expect((await api(server, 'DELETE', '/api/me/sessions/current', { cookie: ravi.cookie, headers: { origin: server.url } })).status).toBeLessThan(300);

		const sso = await signIn({ email: 'ravi@example.gov.uk', email_verified: true, name: 'R. Returning' });
		const ssoCookie = `mc_session=${sso.session}`;
		const viaSso = (await api(server, 'GET', '/api/me', { cookie: ssoCookie })).body;

		expect((await api(server, 'POST', '/api/sign-in/email', { body: { email: 'ravi@example.gov.uk' } })).status).toBe(202);
		await eventually(() => expect(smtp.to('ravi@example.gov.uk').filter((mail) => mail.subject.includes('sign-in link'))).toHaveLength(1), 5_000);
		const link = new URL(/http:\/\/\S+\/login\/email\?token=mce\.\S+/.exec(smtp.to('ravi@example.gov.uk').at(-1)?.text ?? '')?.[0] ?? '');
		const post = await fetch(`${server.url}/login/email`, {
			method: 'POST',
			redirect: 'manual',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'text/html' },
			body: new URLSearchParams({ token: link.searchParams.get('token') ?? '' })
		});
		const linkCookie = post.headers.getSetCookie().find((line) => line.startsWith('mc_session='))?.split(';')[0] ?? '';
		const viaLink = (await api(server, 'GET', '/api/me', { cookie: linkCookie })).body;

		expect(viaSso).toMatchObject({ id: `person:${ravi.id}`, department: { id: departmentId }, role: 'editor' });
		expect(viaLink).toEqual(viaSso);
		const sessionsA = ((await api(server, 'GET', '/api/me/sessions', { cookie: ssoCookie })).body as { sessions: Array<{ id: string }> }).sessions.map((session) => session.id).sort();
		const sessionsB = ((await api(server, 'GET', '/api/me/sessions', { cookie: linkCookie })).body as { sessions: Array<{ id: string }> }).sessions.map((session) => session.id).sort();
		expect(sessionsA).toHaveLength(2);
		expect(sessionsB).toEqual(sessionsA);
		const people = ((await api(server, 'GET', '/api/people', admin)).body as { people: Array<{ name: string }> }).people;
		expect(people.filter((person) => person.name.includes('Returning'))).toHaveLength(1);
	});
});
