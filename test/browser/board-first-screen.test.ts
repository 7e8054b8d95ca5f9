/**
 * The board's first open: the page shows the first screen of rows, cut out of the server's
 * document, before the live document has arrived and applied; then the live board takes over and
 * nothing is lost. The page's sync socket is held (Playwright's WebSocket routing) so "before the
 * document applied" is a state the test controls, not a race it hopes to win: while it is held,
 * another client edits a record that is on screen, and that edit must show once the page is live.
 */
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateRecord } from '../../src/lib/board/board-doc.ts';
import { registerOf } from '../../src/lib/board/layout.ts';
import { boardDocName } from '../../src/lib/protocol/doc-names.ts';
import { adminPrincipal } from '../../server/auth/principal.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { connectClient, type TestClient } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createBoard, fillBoard, row, signIn, ukContext, waitForSync, type SignedIn } from './board-helpers.ts';

const records = 400;
const admin = { id: adminPrincipal.id, name: adminPrincipal.name };

/** Holds the page's sync socket until `release()`: the page's messages wait, the server is not reached. */
async function holdSyncSocket(page: Page): Promise<{ release: () => void }> {
	let release!: () => void;
	const released = new Promise<void>((resolve) => (release = resolve));
	await page.routeWebSocket(/\/yjs\//, async (socket: WebSocketRoute) => {
		const waiting: (string | Buffer)[] = [];
		let server: WebSocketRoute | undefined;
		socket.onMessage((message) => (server ? server.send(message) : waiting.push(message)));
		await released;
		server = socket.connectToServer();
		for (const message of waiting) server.send(message);
	});
	return { release };
}

describe('board first open (Chromium)', () => {
	let server: TestServer;
	let browser: Browser;
	let signedIn: SignedIn;
	let boardId: string;
	let editor: TestClient;
	const contexts: BrowserContext[] = [];

	beforeAll(async () => {
		server = await startTestServer();
		browser = await launchBrowser();
		signedIn = await signIn(browser, server.url);
		boardId = await createBoard(server.url, 'First screen board');
		await fillBoard(server, boardId, records);
		editor = connectClient(server.wsUrl, boardDocName(boardId));
		await editor.synced;
	});
	afterAll(async () => {
		editor?.destroy();
		for (const context of contexts) await context.close();
		await browser?.close();
		await server?.close();
	});

	async function person(): Promise<Page> {
		const { context, page } = await ukContext(browser, server.url, signedIn);
		contexts.push(context);
		return page;
	}

	it('shows the first rows before the document has applied, then goes live without losing an edit made meanwhile', async () => {
		const page = await person();
		const socket = await holdSyncSocket(page);
		await page.goto(`/boards/${boardId}`);

		// The first screen is on the page, inert, while the live document has not arrived.
		const firstScreen = page.locator('[data-first-screen]');
		await firstScreen.locator('tbody tr[data-id]').first().waitFor({ timeout: 30_000 });
		expect(await firstScreen.getAttribute('inert')).not.toBeNull();
		expect(await firstScreen.locator('tbody tr[data-id]').first().getAttribute('data-ref')).toBe('DEP-1');
		const shownRows = await firstScreen.locator('tbody tr[data-id]').count();
		expect(shownRows).toBeGreaterThan(10);
		// The rows above may be the server's HTML still: the page's own first screen marks itself once its script runs.
		await page.waitForFunction(() => performance.getEntriesByName('mc:board-rows').length > 0, undefined, { timeout: 30_000 });
		const marks = await page.evaluate(() => ({
			rows: performance.getEntriesByName('mc:board-rows').length,
			interactive: performance.getEntriesByName('mc:board-interactive').length
		}));
		expect(marks).toEqual({ rows: 1, interactive: 0 });
		expect(await page.locator('[data-sync-state]').getAttribute('data-sync-state')).not.toMatch(/^(live|saved)$/);
		// Keeping the page for offline use (a service worker fetching every script again) waits for the live board.
		expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);

		// Another client edits a record on that screen between the render and the live board.
		const id = (await row(page, 'DEP-2').getAttribute('data-id')) ?? '';
		expect(registerOf(editor.doc, id)).toBe('dependencies');
		const heldTitle = 'Edited while the page showed its first screen';
		updateRecord(editor.doc, 'dependencies', id, { title: heldTitle }, admin);
		expect(await row(page, 'DEP-2').textContent()).not.toContain(heldTitle);

		socket.release();
		await waitForSync(page, ['live', 'saved'], 30_000);
		await firstScreen.waitFor({ state: 'detached' });
		await expect.poll(() => row(page, 'DEP-2').textContent(), { timeout: 10_000 }).toContain(heldTitle);
		// Once live, the page is kept for offline use.
		await page.locator('[data-offline-ready]').waitFor({ timeout: 30_000 });
		expect(await page.evaluate(() => performance.getEntriesByName('mc:board-interactive').length)).toBe(1);

		// The page is live: the next edit from the other client arrives too.
		const liveTitle = 'Edited once the page was live';
		updateRecord(editor.doc, 'dependencies', id, { title: liveTitle }, admin);
		await expect.poll(() => row(page, 'DEP-2').textContent(), { timeout: 10_000 }).toContain(liveTitle);
	});

	it("puts the first screen in the server's HTML: with JavaScript off, the rows are on the page", async () => {
		const context = await browser.newContext({ baseURL: server.url, storageState: signedIn, javaScriptEnabled: false, viewport: { width: 1440, height: 900 } });
		contexts.push(context);
		const page = await context.newPage();
		const response = await page.goto(`/boards/${boardId}`);
		expect(response?.status()).toBe(200);
		// The cut-out document travels as base64, not as a list of numbers that must be parsed before the first paint.
		expect(await response?.text()).not.toContain('new Uint8Array(');
		const firstScreen = page.locator('[data-server-first-screen] [data-first-screen]');
		expect(await firstScreen.getAttribute('inert')).not.toBeNull();
		expect(await page.locator('h1').textContent()).toBe('First screen board');
		const refs = await firstScreen.locator('tbody tr[data-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-ref')));
		expect(refs.slice(0, 3)).toEqual(['DEP-1', 'DEP-2', 'DEP-3']);
		expect(refs.length).toBeGreaterThan(10);
		// Drawn, not just present: the first row has a height and its title is visible.
		expect((await firstScreen.locator('tbody tr[data-id]').first().boundingBox())?.height ?? 0).toBeGreaterThan(20);
		expect(await page.locator('[data-sync-state]').count()).toBe(0);
	});

	it('opens the register named in the address on its first screen', async () => {
		const page = await person();
		const socket = await holdSyncSocket(page);
		await page.goto(`/boards/${boardId}?tab=actions`);
		const firstRow = page.locator('[data-first-screen] tbody tr[data-id]').first();
		await firstRow.waitFor({ timeout: 30_000 });
		expect(await firstRow.getAttribute('data-ref')).toBe('ACT-1');
		socket.release();
		await waitForSync(page, ['live', 'saved'], 30_000);
		expect(await page.locator('[data-first-screen]').count()).toBe(0);
		expect(await page.locator('tbody tr[data-id]').first().getAttribute('data-ref')).toBe('ACT-1');
	});

	/** Where the table's header row starts, in CSS pixels from the top of the viewport. */
	const tableTop = (page: Page) => page.locator('.register-table thead').evaluate((head) => head.getBoundingClientRect().top);

	for (const viewport of [
		{ width: 1440, height: 900 },
		{ width: 390, height: 844 }
	]) {
		it(`draws the server's first screen in the live board's layout at ${viewport.width}×${viewport.height}: the table does not move on takeover`, async () => {
			const still = await browser.newContext({
				baseURL: server.url,
				storageState: signedIn,
				javaScriptEnabled: false,
				viewport,
				locale: 'en-GB',
				timezoneId: 'Europe/London'
			});
			contexts.push(still);
			const picture = await still.newPage();
			expect((await picture.goto(`/boards/${boardId}`))?.status()).toBe(200);
			const firstScreen = picture.locator('[data-server-first-screen]');
			// The live board's tab row and toolbar, drawn but not usable, and the register's count.
			expect(await firstScreen.locator('[role="tab"]').count()).toBe(8);
			expect(await firstScreen.locator('[role="tablist"]').evaluate((tabs) => tabs.closest('[inert]') !== null)).toBe(true);
			const count = (await firstScreen.locator('#tab-dependencies .count').textContent()) ?? '';
			expect(count).toMatch(/^\d+$/);
			// Every tab's count is known, so the tabs are as wide as the live ones.
			const counts = await firstScreen.locator('[role="tab"] .count').allTextContents();
			for (const each of counts) expect(each).toMatch(/^[\d,]+$/);
			expect(await firstScreen.locator('.toolbar .shown').textContent()).toContain(`${count} dependencies`);
			expect(await firstScreen.locator('#board-search').isDisabled()).toBe(true);
			for (const holder of await firstScreen.locator('[inert]').all()) expect(await holder.getAttribute('aria-busy')).toBe('true');
			expect(await firstScreen.locator('#board-search').evaluate((input) => input.closest('[inert]') !== null)).toBe(true);
			expect(await firstScreen.locator('[role="status"]').textContent()).toBe('Loading the board…');
			const serverTop = await tableTop(picture);

			// axe needs the page's scripting: the same HTML with the app's own scripts refused is the server's picture still.
			const { context: checked, page: axePage } = await ukContext(browser, server.url, signedIn, { viewport });
			contexts.push(checked);
			await axePage.route(/\/_app\/.*\.js(\?|$)/, (route) => route.abort());
			await axePage.goto(`/boards/${boardId}`);
			await axePage.locator('[data-server-first-screen]').waitFor();
			expect(await tableTop(axePage)).toBe(serverTop);
			expect(await seriousViolations(axePage)).toEqual([]);

			const { context, page } = await ukContext(browser, server.url, signedIn, { viewport });
			contexts.push(context);
			await page.goto(`/boards/${boardId}`);
			await waitForSync(page, ['live', 'saved'], 30_000);
			await page.locator('[data-first-screen]').waitFor({ state: 'detached' });
			expect(await page.locator('#tab-dependencies .count').textContent()).toBe(count);
			expect(await page.locator('[role="tab"] .count').allTextContents()).toEqual(counts);
			const liveTop = await tableTop(page);
			expect(Math.abs(liveTop - serverTop), `table top: server ${serverTop}px, live ${liveTop}px`).toBeLessThanOrEqual(4);
		});
	}
});
