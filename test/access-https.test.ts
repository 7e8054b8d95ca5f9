/**
 * Served over HTTPS (ORIGIN=https://…, as behind a TLS proxy): the session cookie is Secure, links
 * use the public origin, and answers carry Strict-Transport-Security. Its own file: adapter-node
 * reads ORIGIN once per process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCredential, api, createInvite } from './access-fixture.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

describe('served over HTTPS', () => {
	let server: TestServer;

	beforeAll(async () => {
		server = await startTestServer({ env: { ORIGIN: 'https://missions.example.gov' } });
	});
	afterAll(async () => {
		await server?.close();
	});

	it('sets a Secure session cookie, gives https links and asks browsers to stay on HTTPS', async () => {
		const department = ((await api(server, 'POST', '/api/departments', { ...adminCredential, body: { name: 'Secure Dept', code: 'SEC', colour: '#000000' } })).body as { id: string }).id;
		const invite = await createInvite(server, { departmentId: department, role: 'editor' });
		expect(invite.link).toMatch(/^https:\/\/missions\.example\.gov\/invite\/mci\./);
		const redeemed = await api(server, 'POST', '/api/invites/redeem', { body: { token: invite.token, name: 'Cookie Secure' } });
		expect(redeemed.status).toBe(201);
		const cookie = redeemed.headers.get('set-cookie') ?? '';
		expect(cookie).toMatch(/HttpOnly/);
		expect(cookie).toMatch(/SameSite=Lax/);
		expect(cookie).toMatch(/; Secure/);
		expect((await api(server, 'GET', '/api/me', { cookie: cookie.split(';')[0] })).headers.get('strict-transport-security')).toContain('max-age=');
	});
});
