/**
 * Real Chromium for browser tests, driven by playwright-core (never a downloaded browser).
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath } from './chromium-path.ts';
import { testAdminToken } from './server.ts';

export async function launchBrowser(): Promise<Browser> {
	const executablePath = chromiumPath();
	if (!executablePath) throw new Error('Chromium is required for the browser tests: apt-get install chromium (Debian/Ubuntu), brew install --cask chromium (macOS), or set CHROMIUM_PATH.');
	return chromium.launch({ executablePath, args: chromiumArgs, headless: true });
}

/** A browser context signed in as the administrator through the sign-in link. */
export async function signedInContext(browser: Browser, baseUrl: string, token = testAdminToken): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1440, height: 900 } });
	const page = await context.newPage();
	const response = await page.goto(`/login?token=${encodeURIComponent(token)}`);
	if (!response?.ok() || new URL(page.url()).pathname === '/login') throw new Error(`sign-in failed at ${page.url()}`);
	return { context, page };
}
