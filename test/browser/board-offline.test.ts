import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.ts';
import { startTestServer, tempDir, type TestServer } from '../helpers/server.ts';
import { createBoard, createByKeyboard, ensureTestDepartments, openBoard, row, signIn, ukContext, waitForSync } from './board-helpers.ts';

describe('board page offline (Chromium)', () => {
	const dir = tempDir('mc-board-offline-');
	let server: TestServer | undefined;
	let browser: Browser;
	const contexts: BrowserContext[] = [];

	beforeAll(async () => {
		server = await startTestServer({ dataDir: dir.path });
		browser = await launchBrowser();
	});
	afterAll(async () => {
		for (const context of contexts) await context.close();
		await browser?.close();
		await server?.close();
		dir.remove();
	});

	it('keeps edits made without the server across a reload and delivers them when it is back', async () => {
		const running = server!;
		const port = running.port;
		const signedIn = await signIn(browser, running.url);
		const boardId = await createBoard(running.url, 'Offline board');
		await ensureTestDepartments(running.url);
		const a = await ukContext(browser, running.url, signedIn);
		const b = await ukContext(browser, running.url, signedIn);
		contexts.push(a.context, b.context);
		await openBoard(a.page, boardId);
		await openBoard(b.page, boardId);
		// The service worker has kept the page, its data and scripts.
		await a.page.locator('[data-offline-ready]').waitFor();
		// It serves board pages only, and its own fetches run under a same-origin policy.
		expect(await a.page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).map((registration) => registration.scope))).toEqual([
			`${running.url}/boards/`
		]);
		expect((await fetch(`${running.url}/service-worker.js`)).headers.get('content-security-policy')).toBe("default-src 'self'");

		await running.close();
		server = undefined;
		await waitForSync(a.page, ['reconnecting', 'offline']);

		await createByKeyboard(a.page, { title: 'Written while the server was down' });
		await a.page.keyboard.press('Escape');
		await a.page.locator('[data-sync-state]', { hasText: 'waiting' }).waitFor();

		await a.page.reload();
		await row(a.page, 'DEP-1').locator('.title-button', { hasText: 'Written while the server was down' }).waitFor();
		await a.page.locator('[data-sync-state]', { hasText: /\d+ changes? waiting/ }).waitFor();
		expect(await row(b.page, 'DEP-1').count()).toBe(0);

		server = await startTestServer({ dataDir: dir.path, env: { PORT: String(port) } });
		await waitForSync(a.page, ['saved'], 30_000);
		await row(b.page, 'DEP-1').locator('.title-button', { hasText: 'Written while the server was down' }).waitFor({ timeout: 30_000 });
		await waitForSync(b.page, ['live', 'saved'], 30_000);
	});
});
