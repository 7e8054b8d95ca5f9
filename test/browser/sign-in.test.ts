import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signedInContext } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('sign-in link (Chromium)', () => {
	let server: TestServer;
	let browser: Browser;
	beforeAll(async () => {
		server = await startTestServer();
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		await server?.close();
	});

	it('exchanges the token for a session cookie and drops it from the address bar', async () => {
		const { context, page } = await signedInContext(browser, server.url);
		expect(page.url()).toBe(`${server.url}/`);
		expect(page.url()).not.toContain('token');
		const cookies = await context.cookies();
		const session = cookies.find((cookie) => cookie.name === 'mc_session');
		expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
		expect(await page.getByText('You are signed in as').count()).toBeGreaterThan(0);
		expect(await page.textContent('main')).toContain('Administrator');
		await context.close();
	});

	it('refuses a wrong token and keeps the person signed out', async () => {
		const context = await browser.newContext({ baseURL: server.url });
		const page = await context.newPage();
		await page.goto('/login?token=not-a-valid-token-at-all-000');
		expect(new URL(page.url()).pathname).toBe('/login');
		expect(await page.getByRole('alert').textContent()).toContain('not valid');
		expect((await context.cookies()).some((cookie) => cookie.name === 'mc_session')).toBe(false);
		await context.close();
	});

	it('signs out', async () => {
		const { context, page } = await signedInContext(browser, server.url);
		await page.getByRole('button', { name: 'Sign out' }).click();
		await page.waitForURL('**/login');
		await page.goto('/');
		expect(await page.textContent('main')).toContain('You are not signed in');
		await context.close();
	});
});
