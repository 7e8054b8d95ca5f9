/**
 * A 5,000-record board in Chromium. Asserts behaviour (a remote edit changes only its own row; the
 * table renders a window, not every row) and prints the figures: time to interactive on a first
 * visit and on a return visit (IndexedDB copy), and how long a remote edit takes to reach the
 * other page's screen. Figures are printed, never asserted (no timing assertions in tests).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createBoard, fillBoard, openBoard, row, signIn, timeToFirstRows, timeToInteractive, ukContext, type SignedIn } from './board-helpers.ts';

const records = 5_000;

describe(`board page with ${records} records (Chromium)`, () => {
	let server: TestServer;
	let browser: Browser;
	let signedIn: SignedIn;
	let boardId: string;
	const contexts: BrowserContext[] = [];
	const figures: Record<string, string> = {};

	beforeAll(async () => {
		server = await startTestServer();
		browser = await launchBrowser();
		signedIn = await signIn(browser, server.url);
		boardId = await createBoard(server.url, 'Large board');
		await fillBoard(server, boardId, records);
	});
	afterAll(async () => {
		for (const context of contexts) await context.close();
		await browser?.close();
		await server?.close();
		if (Object.keys(figures).length > 0) console.log(`\nBoard page, ${records} records (Chromium, this machine):\n${Object.entries(figures).map(([k, v]) => `  ${k}: ${v}`).join('\n')}\n`);
	});

	async function person(): Promise<Page> {
		const { context, page } = await ukContext(browser, server.url, signedIn);
		contexts.push(context);
		return page;
	}

	it('opens with a window of rows, not all of them', async () => {
		const page = await person();
		await openBoard(page, boardId);
		figures['first rows on screen, first visit (the server’s first screen)'] = `${Math.round(await timeToFirstRows(page))} ms`;
		figures['time to interactive, first visit (empty IndexedDB, server encodes the state)'] = `${Math.round(await timeToInteractive(page))} ms`;
		const rendered = await page.locator('tbody tr[data-id]').count();
		expect(rendered).toBeGreaterThan(10);
		expect(rendered).toBeLessThan(100);
		expect(await page.locator('[role="tab"][aria-selected="true"] .count').textContent()).toBe('1,250');

		await page.reload();
		await openBoard(page, boardId);
		figures['time to interactive, return visit (IndexedDB copy)'] = `${Math.round(await timeToInteractive(page))} ms`;

		// Another device's first visit, now that the server has the board's state encoded.
		const other = await person();
		await openBoard(other, boardId);
		figures['time to interactive, first visit on another device (server state warm)'] = `${Math.round(await timeToInteractive(other))} ms`;

		// Keyboard: End goes to the last row, rendering it on the way.
		await page.locator('tbody tr[data-id]').first().focus();
		await page.keyboard.press('End');
		await page.waitForFunction(() => document.activeElement?.getAttribute('data-ref') === 'DEP-1250');
	});

	it('applies a remote edit to its own row only', async () => {
		const watcher = await person();
		const editor = await person();
		await openBoard(watcher, boardId);
		await openBoard(editor, boardId);
		const id = await row(watcher, 'DEP-3').getAttribute('data-id');

		// The watcher records which rows change, and when the edited one shows the new status (a
		// select's value is a property, not a DOM mutation, so it is polled every frame).
		await watcher.evaluate((editedId) => {
			const state = { rows: new Set<string>(), at: 0 };
			(window as unknown as { __rowChanges: typeof state }).__rowChanges = state;
			new MutationObserver((mutations) => {
				for (const mutation of mutations) {
					const node = mutation.target instanceof Element ? mutation.target : mutation.target.parentElement;
					const changed = node?.closest('tr[data-id]')?.getAttribute('data-id');
					if (changed) state.rows.add(changed);
				}
			}).observe(document.querySelector('tbody')!, { subtree: true, childList: true, characterData: true, attributes: true });
			const select = () => document.querySelector<HTMLSelectElement>(`tr[data-id="${editedId}"] select[aria-label^="Status of"]`);
			const initial = select()?.value;
			const poll = () => {
				if (select()?.value !== initial) state.at = performance.timeOrigin + performance.now();
				else requestAnimationFrame(poll);
			};
			requestAnimationFrame(poll);
		}, id);

		const sentAt = await editor.evaluate(() => {
			const select = document.querySelector<HTMLSelectElement>('select[aria-label="Status of DEP-3"]')!;
			select.value = select.value === 'agreed' ? 'disputed' : 'agreed';
			const at = performance.timeOrigin + performance.now();
			select.dispatchEvent(new Event('change', { bubbles: true }));
			return at;
		});
		await watcher.waitForFunction(() => (window as unknown as { __rowChanges: { at: number } }).__rowChanges.at > 0);
		// Let any other row re-render that the edit might wrongly cause show up.
		await watcher.waitForTimeout(500);
		const seen = await watcher.evaluate(() => {
			const state = (window as unknown as { __rowChanges: { rows: Set<string>; at: number } }).__rowChanges;
			return { rows: [...state.rows], at: state.at };
		});
		// Only the edited row may change (its cells can re-render, or only its select's value).
		expect(seen.rows.filter((changed) => changed !== id)).toEqual([]);
		expect(seen.at).toBeGreaterThan(0);
		figures['remote edit, editor’s change → watcher’s row updated (through the server)'] = `${Math.round(seen.at - sentAt)} ms`;
	});
});
