/**
 * Real Chromium for browser tests, driven by playwright-core (never a downloaded browser).
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { chromiumLaunchOptions } from './chromium-path.ts';
import { testAdminToken } from './server.ts';

/**
 * A Chromium of this caller's own. Under vitest's browser project it is a connection to the run's
 * one shared Chromium (test/helpers/chromium-server.ts): `close()` closes this connection's
 * contexts and leaves the browser to the other files. Elsewhere (scripts, benches) it launches one.
 */
export async function launchBrowser(): Promise<Browser> {
	const endpoint = process.env.VITEST ? (await import('vitest')).inject('chromiumEndpoint') : undefined;
	if (endpoint) return chromium.connect(endpoint);
	return chromium.launch(chromiumLaunchOptions());
}

/** A browser context signed in as the administrator through the sign-in link. */
export async function signedInContext(browser: Browser, baseUrl: string, token = testAdminToken): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1440, height: 900 } });
	const page = await context.newPage();
	const response = await page.goto(`/login?token=${encodeURIComponent(token)}`);
	if (!response?.ok() || new URL(page.url()).pathname === '/login') throw new Error(`sign-in failed at ${page.url()}`);
	return { context, page };
}
