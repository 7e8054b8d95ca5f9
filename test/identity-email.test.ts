/**
 * Invites by email and sign-in by email link, against a real SMTP server (`smtp-server`) in-process:
 * the invite goes to the address and makes it the person's; a link asked for that address signs the
 * same person in once, for 15 minutes; unknown addresses get the same answer and no mail; limits per
 * client and per address; a mail server that is down delays mail without losing or doubling it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type ApiAnswer } from './access-fixture.ts';
import { eventually } from './helpers/clients.ts';
import { freePort, startSmtpTestServer, type ReceivedMail, type SmtpTestServer } from './helpers/smtp-test-server.ts';
import { knownOriginEnv, startTestServer, testAdminToken, type TestServer } from './helpers/server.ts';

const admin = { bearer: testAdminToken };
const fast = { pollIntervalMs: 50, firstRetryMs: 100, maxRetryMs: 200 };

function linkIn(mail: ReceivedMail | undefined, pattern: RegExp): string {
	const link = mail && pattern.exec(mail.text)?.[0];
	if (!link) throw new Error(`no link in ${mail ? mail.text : 'no mail'}`);
	return link;
}

async function mailTo(smtp: SmtpTestServer, address: string, count = 1): Promise<ReceivedMail> {
	await eventually(() => expect(smtp.to(address).length).toBeGreaterThanOrEqual(count), 5_000);
	return smtp.to(address)[count - 1]!;
}

/** Opens an emailed sign-in link and presses its button (a form post from our origin). */
async function useEmailLink(server: TestServer, link: string): Promise<{ page: ApiAnswer; post: Response; cookie: string | undefined }> {
	const url = new URL(link);
	const page = await api(server, 'GET', `${url.pathname}${url.search}`);
	const post = await fetch(`${server.url}/login/email`, {
		method: 'POST',
		redirect: 'manual',
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'text/html' },
		body: new URLSearchParams({ token: url.searchParams.get('token') ?? '', ...(url.searchParams.has('next') ? { next: url.searchParams.get('next') ?? '' } : {}) })
	});
	const cookie = post.headers.getSetCookie().find((line) => line.startsWith('mc_session='))?.split(';')[0];
	return { page, post, cookie };
}

/** Asks for a sign-in link on the sign-in page's form, as a browser there does (`next` from `/login?next=…`). */
async function askOnSignInPage(server: TestServer, email: string, next: string): Promise<Response> {
	return fetch(`${server.url}/login?/email`, {
		method: 'POST',
		redirect: 'manual',
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'text/html' },
		body: new URLSearchParams({ email, next })
	});
}

/** A person who joined through an invite sent to their address. */
async function invitedPerson(server: TestServer, smtp: SmtpTestServer, departmentId: string, email: string, name: string): Promise<string> {
	const created = await api(server, 'POST', '/api/invites', { ...admin, body: { departmentId, role: 'viewer', email } });
	const link = linkIn(await mailTo(smtp, email), /http:\/\/\S+\/invite\/mci\.\S+/);
	expect((created.body as { link: string }).link).toBe(link);
	const redeemed = await api(server, 'POST', '/api/invites/redeem', { body: { token: new URL(link).pathname.split('/').pop(), name } });
	expect(redeemed.status).toBe(201);
	return (redeemed.body as { person: { id: string } }).person.id;
}

describe('invites and sign-in by email', () => {
	let smtp: SmtpTestServer;
	let server: TestServer;
	let departmentId: string;

	beforeAll(async () => {
		smtp = await startSmtpTestServer();
		server = await startTestServer({
			env: { ...(await knownOriginEnv()), SMTP_URL: smtp.url, MAIL_FROM: 'Mission Control <missions@example.gov.uk>' },
			outboxLimits: fast,
			accessLimits: { rateLimits: { invite: { burst: 1_000, refillMs: 1 }, signIn: { burst: 1_000, refillMs: 1 } } }
		});
		departmentId = ((await api(server, 'POST', '/api/departments', { ...admin, body: { name: 'Department Alpha', code: 'ALPHA', colour: '#335577' } })).body as { id: string }).id;
	});

	afterAll(async () => {
		await server?.close();
		await smtp?.close();
	});

	it('sends an invite to the address; accepting it makes the address the person’s, and signs in by link later', async () => {
		const created = await api(server, 'POST', '/api/invites', { ...admin, body: { departmentId, role: 'editor', email: 'Ella.Evans@Example.gov.uk' } });
		expect(created.status).toBe(201);
		expect(created.body).toMatchObject({ sent: true, invite: { email: 'ella.evans@example.gov.uk', maxUses: 1 } });
		const invite = await mailTo(smtp, 'ella.evans@example.gov.uk');
		expect(invite.subject).toContain('invited you to Mission Control');
		const link = linkIn(invite, /http:\/\/\S+\/invite\/mci\.\S+/);
		expect(link).toBe((created.body as { link: string }).link);

		const token = new URL(link).pathname.split('/').pop();
		const redeemed = await api(server, 'POST', '/api/invites/redeem', { body: { token, name: 'Ella Evans' } });
		expect(redeemed.status).toBe(201);
		const personId = (redeemed.body as { person: { id: string } }).person.id;
		const firstCookie = redeemed.headers.get('set-cookie')?.split(';')[0] ?? '';
		const person = await api(server, 'GET', `/api/people/${personId}`, admin);
		expect(person.body).toMatchObject({ email: 'ella.evans@example.gov.uk', departmentId, role: 'editor' });

		// Signed out (or on a new laptop): a link by email brings back the same person.
		expect((await api(server, 'DELETE', '/api/me/sessions/current', { cookie: firstCookie, headers: { origin: server.url } })).status).toBeLessThan(300);
		const asked = await api(server, 'POST', '/api/sign-in/email', { body: { email: 'ella.evans@example.gov.uk' } });
		expect(asked.status).toBe(202);
		const mail = await mailTo(smtp, 'ella.evans@example.gov.uk', 2);
		expect(mail.subject).toBe('Your sign-in link for Mission Control');
		expect(mail.raw).toMatch(/^from: .*missions@example\.gov\.uk/im);
		const signInLink = linkIn(mail, /http:\/\/\S+\/login\/email\?token=mce\.\S+/);
		const used = await useEmailLink(server, signInLink);
		expect(used.page.status).toBe(200);
		expect(used.page.text).toContain('Continue to sign in');
		expect(used.post.status).toBe(303);
		expect(used.post.headers.get('location')).toBe('/');
		const me = await api(server, 'GET', '/api/me', { cookie: used.cookie });
		expect(me.body).toMatchObject({ id: `person:${personId}`, name: 'Ella Evans', department: { id: departmentId } });
		const people = (await api(server, 'GET', '/api/people', admin)).body as { people: Array<{ email?: string }> };
		expect(people.people.filter((entry) => entry.email === 'ella.evans@example.gov.uk')).toHaveLength(1);

		// The link works once.
		const again = await useEmailLink(server, signInLink);
		expect(again.post.status).toBe(410);
		expect(again.cookie).toBeUndefined();
	});

	it('lands an email-link sign-in on the page asked for before signing in, never off-site', async () => {
		const email = 'fay.ford@example.gov.uk';
		const personId = await invitedPerson(server, smtp, departmentId, email, 'Fay Ford');
		const signIn = await fetch(`${server.url}/login?next=${encodeURIComponent('/boards/b1?ref=DEP-4')}`);
		expect(await signIn.text()).toContain('name="next" value="/boards/b1?ref=DEP-4"');

		expect((await askOnSignInPage(server, email, '/boards/b1?ref=DEP-4')).status).toBe(200);
		const link = linkIn(await mailTo(smtp, email, 2), /http:\/\/\S+\/login\/email\?token=mce\.\S+/);
		expect(new URL(link).searchParams.get('next')).toBe('/boards/b1?ref=DEP-4');
		const used = await useEmailLink(server, link);
		expect(used.page.text).toContain('name="next" value="/boards/b1?ref=DEP-4"');
		expect(used.post.status).toBe(303);
		expect(used.post.headers.get('location')).toBe('/boards/b1?ref=DEP-4');
		expect((await api(server, 'GET', '/api/me', { cookie: used.cookie })).body).toMatchObject({ id: `person:${personId}` });

		// An off-site `next` is dropped when the link is made, and again when it is used.
		expect((await askOnSignInPage(server, email, '//evil.example/steal')).status).toBe(200);
		const plain = linkIn(await mailTo(smtp, email, 3), /http:\/\/\S+\/login\/email\?token=mce\.\S+/);
		expect(new URL(plain).searchParams.has('next')).toBe(false);
		const forged = await useEmailLink(server, `${plain}&next=${encodeURIComponent('https://evil.example/')}`);
		expect(forged.post.status).toBe(303);
		expect(forged.post.headers.get('location')).toBe('/');
	});

	it('offers a person without an address a link to add one, on /me and the home page, and nobody else', async () => {
		const bare = await api(server, 'POST', '/api/invites', { ...admin, body: { departmentId, role: 'viewer' } });
		const without = await api(server, 'POST', '/api/invites/redeem', { body: { token: (bare.body as { link: string }).link.split('/').pop(), name: 'Olu Ode' } });
		const withoutCookie = without.headers.get('set-cookie')?.split(';')[0] ?? '';
		const email = 'pia.park@example.gov.uk';
		await api(server, 'POST', '/api/invites', { ...admin, body: { departmentId, role: 'viewer', email } });
		const link = linkIn(await mailTo(smtp, email), /http:\/\/\S+\/invite\/mci\.\S+/);
		const withOne = await api(server, 'POST', '/api/invites/redeem', { body: { token: new URL(link).pathname.split('/').pop(), name: 'Pia Park' } });
		const withCookie = withOne.headers.get('set-cookie')?.split(';')[0] ?? '';
		for (const path of ['/me', '/']) {
			const offered = await api(server, 'GET', path, { cookie: withoutCookie });
			expect(offered.status, path).toBe(200);
			expect(offered.text, path).toContain('<a href="/me/email">Add your email address</a>');
			const notOffered = await api(server, 'GET', path, { cookie: withCookie });
			expect(notOffered.status, path).toBe(200);
			expect(notOffered.text, path).not.toContain('href="/me/email"');
		}
	});

	it('asks a person who joined by an invite without an address for one, confirms it by link, and signs the same person in later', async () => {
		const created = await api(server, 'POST', '/api/invites', { ...admin, body: { departmentId, role: 'editor', maxUses: 2 } });
		expect(created.status).toBe(201);
		const token = (created.body as { link: string }).link.split('/').pop() ?? '';

		// The invite page sends someone who joined without an address on to give one.
		const page = await fetch(`${server.url}/invite/${token}?/redeem`, {
			method: 'POST',
			redirect: 'manual',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'text/html' },
			body: new URLSearchParams({ name: 'Nia Page' })
		});
		expect(page.status).toBe(303);
		expect(page.headers.get('location')).toMatch(/^\/me\/email\?next=%2F/);
		const pageCookie = page.headers.getSetCookie().find((line) => line.startsWith('mc_session='))?.split(';')[0];
		const asked = await api(server, 'GET', page.headers.get('location') ?? '', { cookie: pageCookie });
		expect(asked.status).toBe(200);
		expect(asked.text).toContain('Give your email address');

		const redeemed = await api(server, 'POST', '/api/invites/redeem', { body: { token, name: 'Noor Nash' } });
		expect(redeemed.status).toBe(201);
		const personId = (redeemed.body as { person: { id: string } }).person.id;
		const cookie = redeemed.headers.get('set-cookie')?.split(';')[0] ?? '';
		const asOne = { cookie, headers: { origin: server.url } };

		// Bad input: a clear 400, nothing sent; nobody signed in: 401.
		const bad = await api(server, 'POST', '/api/me/email', { ...asOne, body: { email: 'noor at example' } });
		expect(bad.status).toBe(400);
		expect(bad.body).toMatchObject({ error: { code: 'invalid_request', message: expect.stringContaining('email address') } });
		expect((await api(server, 'POST', '/api/me/email', { ...asOne, body: { address: 'noor.nash@example.gov.uk' } })).status).toBe(400);
		expect((await api(server, 'POST', '/api/me/email', { body: { email: 'noor.nash@example.gov.uk' }, headers: { origin: server.url } })).status).toBe(401);
		expect(smtp.to('noor.nash@example.gov.uk')).toHaveLength(0);

		const given = await api(server, 'POST', '/api/me/email', { ...asOne, body: { email: 'Noor.Nash@Example.gov.uk' } });
		expect(given.status).toBe(202);
		// Not theirs until the link is used.
		expect((await api(server, 'GET', `/api/people/${personId}`, admin)).body).not.toHaveProperty('email');
		const confirmation = await mailTo(smtp, 'noor.nash@example.gov.uk');
		expect(confirmation.subject).toBe('Confirm your email address for Mission Control');
		const link = linkIn(confirmation, /http:\/\/\S+\/login\/email\?token=mce\.\S+/);
		const confirmed = await useEmailLink(server, link);
		expect(confirmed.post.status).toBe(303);
		expect(confirmed.cookie).toBeDefined();
		expect((await api(server, 'GET', `/api/people/${personId}`, admin)).body).toMatchObject({ email: 'noor.nash@example.gov.uk', departmentId, role: 'editor' });
		expect((await useEmailLink(server, link)).post.status).toBe(410);
		const twice = await api(server, 'POST', '/api/me/email', { ...asOne, body: { email: 'other@example.gov.uk' } });
		expect(twice.status).toBe(409);

		// Signed out everywhere: a sign-in link to the confirmed address brings back the same person.
		for (const session of [cookie, confirmed.cookie]) {
			expect((await api(server, 'DELETE', '/api/me/sessions/current', { cookie: session, headers: { origin: server.url } })).status).toBeLessThan(300);
		}
		expect((await api(server, 'GET', '/api/me', { cookie })).status).toBe(401);
		expect((await api(server, 'POST', '/api/sign-in/email', { body: { email: 'noor.nash@example.gov.uk' } })).status).toBe(202);
		const signIn = await useEmailLink(server, linkIn(await mailTo(smtp, 'noor.nash@example.gov.uk', 2), /http:\/\/\S+\/login\/email\?token=mce\.\S+/));
		expect(signIn.post.status).toBe(303);
		const me = await api(server, 'GET', '/api/me', { cookie: signIn.cookie });
		expect(me.body).toMatchObject({ id: `person:${personId}`, name: 'Noor Nash', department: { id: departmentId } });
	});

	it('refuses to confirm an address another person already has, and says so only to that mailbox', async () => {
		const created = await api(server, 'POST', '/api/invites', { ...admin, body: { departmentId, role: 'viewer' } });
		const token = (created.body as { link: string }).link.split('/').pop() ?? '';
		const redeemed = await api(server, 'POST', '/api/invites/redeem', { body: { token, name: 'Odd Taker' } });
		const cookie = redeemed.headers.get('set-cookie')?.split(';')[0] ?? '';
		const taken = 'ella.evans@example.gov.uk';
		const before = smtp.to(taken).length;
		expect((await api(server, 'POST', '/api/me/email', { cookie, headers: { origin: server.url }, body: { email: taken } })).status).toBe(202);
		const used = await useEmailLink(server, linkIn(await mailTo(smtp, taken, before + 1), /http:\/\/\S+\/login\/email\?token=mce\.\S+/));
		expect(used.post.status).toBe(409);
		expect(used.cookie).toBeUndefined();
		const people = (await api(server, 'GET', '/api/people', admin)).body as { people: Array<{ name: string; email?: string }> };
		expect(people.people.filter((entry) => entry.email === taken).map((entry) => entry.name)).toEqual(['Ella Evans']);
	});

	it('answers an unknown address exactly like a known one, and sends nothing', async () => {
		const known = await api(server, 'POST', '/api/sign-in/email', { body: { email: 'ella.evans@example.gov.uk' } });
		const unknown = await api(server, 'POST', '/api/sign-in/email', { body: { email: 'nobody@example.gov.uk' } });
		expect(unknown.status).toBe(202);
		expect(unknown.text).toBe(known.text);
		await server.backend.identity.outbox?.flush();
		expect(smtp.to('nobody@example.gov.uk')).toHaveLength(0);
		const stored = JSON.stringify(await server.backend.store.listRecords('outbox'));
		expect(stored).not.toContain('nobody@example.gov.uk');
	});

	it('refuses an expired link and a link that is not ours, with the same message', async () => {
		await invitedPerson(server, smtp, departmentId, 'erin@example.gov.uk', 'Erin Expired');
		await api(server, 'POST', '/api/sign-in/email', { body: { email: 'erin@example.gov.uk' } });
		const link = linkIn(await mailTo(smtp, 'erin@example.gov.uk', 2), /http:\/\/\S+\/login\/email\?token=mce\.\S+/);
		const id = new URL(link).searchParams.get('token')?.split('.')[1] ?? '';
		const record = (await server.backend.store.getRecord('email-links', id)) as { expiresAt: number };
		await server.backend.store.putRecord('email-links', id, { ...record, expiresAt: Date.now() - 1 });
		const expired = await useEmailLink(server, link);
		expect(expired.post.status).toBe(410);
		expect(expired.cookie).toBeUndefined();
		const forged = await useEmailLink(server, `${server.url}/login/email?token=mce.${id}.${'A'.repeat(43)}`);
		expect(forged.post.status).toBe(404);
		expect(forged.cookie).toBeUndefined();
		const message = (text: string) => /<p class="error-text" role="alert">([^<]*)<\/p>/.exec(text)?.[1];
		expect(message(await expired.post.text())).toBe(message(await forged.post.text()));
	});

	it('keeps only the hash of a link’s secret, and erases a sent mail’s body', async () => {
		await invitedPerson(server, smtp, departmentId, 'hana@example.gov.uk', 'Hana Hash');
		await api(server, 'POST', '/api/sign-in/email', { body: { email: 'hana@example.gov.uk' } });
		const link = linkIn(await mailTo(smtp, 'hana@example.gov.uk', 2), /http:\/\/\S+\/login\/email\?token=mce\.\S+/);
		const secret = new URL(link).searchParams.get('token')?.split('.')[2] ?? '';
		expect(secret.length).toBeGreaterThanOrEqual(43);
		await eventually(async () => expect(JSON.stringify(await server.backend.store.listRecords('outbox'))).not.toContain(secret), 5_000);
		expect(JSON.stringify(await server.backend.store.listRecords('email-links'))).not.toContain(secret);
	});

	it('refuses bad input clearly', async () => {
		const notEmail = await api(server, 'POST', '/api/sign-in/email', { body: { email: 'not an address' } });
		expect(notEmail.status).toBe(400);
		expect(notEmail.body).toMatchObject({ error: { code: 'invalid_request' } });
		const extra = await api(server, 'POST', '/api/sign-in/email', { body: { email: 'a@example.gov.uk', admin: true } });
		expect(extra.status).toBe(400);
		const text = await fetch(`${server.url}/api/sign-in/email`, { method: 'POST', body: '<email>a@example.gov.uk</email>', headers: { 'content-type': 'application/xml' } });
		expect(text.status).toBe(400);
		const badInvite = await api(server, 'POST', '/api/invites', { ...admin, body: { departmentId, email: 'nope' } });
		expect(badInvite.status).toBe(400);
	});

	it('sends at most three links per address in a short time, and still answers 202', async () => {
		const address = 'busy@example.gov.uk';
		await invitedPerson(server, smtp, departmentId, address, 'Busy Bee');
		const statuses: number[] = [];
		for (let i = 0; i < 5; i++) statuses.push((await api(server, 'POST', '/api/sign-in/email', { body: { email: address } })).status);
		expect(statuses).toEqual([202, 202, 202, 202, 202]);
		await mailTo(smtp, address, 4);
		await server.backend.identity.outbox?.flush();
		expect(smtp.to(address).filter((mail) => mail.subject.includes('sign-in link'))).toHaveLength(3);
	});
});

describe('sign-in by email: limits per client', () => {
	let smtp: SmtpTestServer;
	let server: TestServer;

	beforeAll(async () => {
		smtp = await startSmtpTestServer();
		server = await startTestServer({ env: { ...(await knownOriginEnv()), SMTP_URL: smtp.url, MAIL_FROM: 'missions@example.gov.uk' }, outboxLimits: fast, accessLimits: { rateLimits: { signIn: { burst: 2, refillMs: 60_000 } } } });
	});

	afterAll(async () => {
		await server?.close();
		await smtp?.close();
	});

	it('answers 429 with Retry-After once a client spent its budget, whatever the address', async () => {
		const statuses: number[] = [];
		for (const email of ['a@example.gov.uk', 'b@example.gov.uk', 'c@example.gov.uk']) statuses.push((await api(server, 'POST', '/api/sign-in/email', { body: { email } })).status);
		expect(statuses).toEqual([202, 202, 429]);
		const refused = await api(server, 'POST', '/api/sign-in/email', { body: { email: 'd@example.gov.uk' } });
		expect(refused.body).toMatchObject({ error: { code: 'rate_limited' } });
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
	});
});

describe('a mail server that is down', () => {
	it('queues the mail, retries with back-off, and delivers it once when the server is back; the app keeps working', async () => {
		const port = await freePort();
		const server = await startTestServer({ env: { ...(await knownOriginEnv()), SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'missions@example.gov.uk' }, outboxLimits: fast });
		let smtp: SmtpTestServer | undefined;
		try {
			const departmentId = ((await api(server, 'POST', '/api/departments', { ...admin, body: { name: 'Department Alpha', code: 'ALPHA', colour: '#335577' } })).body as { id: string }).id;
			const created = await api(server, 'POST', '/api/invites', { ...admin, body: { departmentId, role: 'viewer', email: 'dora@example.gov.uk' } });
			expect(created.status).toBe(201);
			expect(created.body).toMatchObject({ sent: true });
			await eventually(async () => {
				const records = (await server.backend.store.listRecords('outbox')).map(({ value }) => value as { attempts: number; lastError?: string; status: string });
				expect(records[0]).toMatchObject({ status: 'pending' });
				expect(records[0]?.attempts).toBeGreaterThanOrEqual(2);
				expect(records[0]?.lastError).toBeTruthy();
			}, 5_000);
			expect((await api(server, 'GET', '/healthz')).status).toBe(200);
			expect((await api(server, 'GET', '/api/me', admin)).status).toBe(200);

			smtp = await startSmtpTestServer(port);
			await mailTo(smtp, 'dora@example.gov.uk');
			await new Promise((resolve) => setTimeout(resolve, 500));
			expect(smtp.to('dora@example.gov.uk')).toHaveLength(1);
			expect(await server.backend.identity.outbox?.pending()).toBe(0);
		} finally {
			await server.close();
			await smtp?.close();
		}
	});
});
