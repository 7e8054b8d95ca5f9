/**
 * The workspace's date locale over the real API: a lead sets it, a tag the runtime cannot format in is
 * refused with a message that says what to give, and nobody but a lead can change it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCredential, api, createInvite, redeem } from './access-fixture.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

describe('the workspace date locale', () => {
	let server: TestServer;

	beforeAll(async () => {
		server = await startTestServer();
	});
	afterAll(async () => {
		await server?.close();
	});

	it('is en-GB until a lead sets another language tag', async () => {
		expect((await api(server, 'GET', '/api/workspace', adminCredential)).body).toMatchObject({ dateLocale: 'en-GB' });
		const changed = await api(server, 'PATCH', '/api/workspace', { ...adminCredential, body: { dateLocale: 'fr-FR' } });
		expect(changed.status).toBe(200);
		expect(changed.body).toMatchObject({ dateLocale: 'fr-FR' });
		expect((await api(server, 'GET', '/api/workspace', adminCredential)).body).toMatchObject({ dateLocale: 'fr-FR' });
	});

	it('refuses a tag it cannot format dates in, with 400 and a clear message, and keeps the locale', async () => {
		for (const wrong of ['xx-YY', 'en_GB', 'French', '']) {
			const refused = await api(server, 'PATCH', '/api/workspace', { ...adminCredential, body: { dateLocale: wrong } });
			expect(refused.status).toBe(400);
			expect(refused.body).toMatchObject({
				error: { code: 'invalid_request', issues: [{ path: 'dateLocale', message: 'must be a language tag such as en-GB or fr-FR' }] }
			});
		}
		expect((await api(server, 'GET', '/api/workspace', adminCredential)).body).toMatchObject({ dateLocale: 'fr-FR' });
	});

	it('refuses a change from anyone but a lead', async () => {
		const department = await api(server, 'POST', '/api/departments', { ...adminCredential, body: { name: 'Department Alpha', code: 'ALPHA', colour: '#335577' } });
		const departmentId = (department.body as { id: string }).id;
		const editor = await redeem(server, (await createInvite(server, { departmentId, role: 'editor' })).token, 'Ed Itor');
		const refused = await api(server, 'PATCH', '/api/workspace', { cookie: editor.cookie, body: { dateLocale: 'de-DE' } });
		expect(refused.status).toBe(403);
		expect((await api(server, 'GET', '/api/workspace', { cookie: editor.cookie })).body).toMatchObject({ dateLocale: 'fr-FR' });
	});
});
