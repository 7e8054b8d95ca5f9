import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeCodes } from '../../src/lib/protocol/close-codes.ts';
import { boardDocName } from '../../src/lib/protocol/doc-names.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createBoard, createByKeyboard, ensureTestDepartments, openBoard, row, signIn, ukContext, waitForSync, type SignedIn } from './board-helpers.ts';

describe('board page: two people on one board (Chromium)', () => {
	let server: TestServer;
	let browser: Browser;
	let signedIn: SignedIn;
	const contexts: BrowserContext[] = [];

	beforeAll(async () => {
		server = await startTestServer();
		browser = await launchBrowser();
		signedIn = await signIn(browser, server.url);
	});
	afterEach(async () => {
		for (const context of contexts.splice(0)) await context.close();
	});
	afterAll(async () => {
		await browser?.close();
		await server?.close();
	});

	/** Two signed-in people (separate contexts: separate IndexedDB) on the same new board. */
	async function twoPeople(): Promise<{ boardId: string; a: Page; b: Page }> {
		const boardId = await createBoard(server.url);
		await ensureTestDepartments(server.url);
		const a = await ukContext(browser, server.url, signedIn);
		const b = await ukContext(browser, server.url, signedIn);
		contexts.push(a.context, b.context);
		await openBoard(a.page, boardId);
		await openBoard(b.page, boardId);
		return { boardId, a: a.page, b: b.page };
	}

	const selectValue = (page: Page, label: string) => page.getByLabel(label, { exact: true }).inputValue();

	async function waitForValue(page: Page, label: string, value: string): Promise<void> {
		await page.waitForFunction(
			([name, wanted]) => {
				const element = Array.from(document.querySelectorAll('select, input, textarea')).find((el) => el.getAttribute('aria-label') === name);
				return (element as HTMLSelectElement | undefined)?.value === wanted;
			},
			[label, value] as const
		);
	}

	it('shows a record created and edited in one page in the other', { timeout: 120_000 }, async () => {
		const { a, b } = await twoPeople();
		await createByKeyboard(a, { title: 'Grid connection forecast' });
		await row(b, 'DEP-1').locator('.title-button', { hasText: 'Grid connection forecast' }).waitFor();

		await a.getByLabel('Status of DEP-1', { exact: true }).selectOption('agreed');
		await waitForValue(b, 'Status of DEP-1', 'agreed');

		await a.getByLabel('What exactly is to be delivered').fill('Monthly extract of connection requests');
		await row(b, 'DEP-1').locator('.title-button').click();
		await b.waitForFunction(
			() => (document.querySelector('textarea[id$="-deliverable"]') as HTMLTextAreaElement | null)?.value === 'Monthly extract of connection requests'
		);
		await waitForSync(a, ['saved']);
		expect(await selectValue(b, 'Status of DEP-1')).toBe('agreed');
	});

	it('merges two people typing in the same text field', { timeout: 120_000 }, async () => {
		const { a, b } = await twoPeople();
		await createByKeyboard(a, { title: 'Shared text field' });
		const field = (page: Page) => page.locator('textarea[id$="-deliverable"]');
		await field(a).fill('the data extract');
		await row(b, 'DEP-1').locator('.title-button').click();
		await b.waitForFunction(() => (document.querySelector('textarea[id$="-deliverable"]') as HTMLTextAreaElement).value === 'the data extract');

		await field(a).focus();
		await a.keyboard.press('Home');
		await field(b).focus();
		await b.keyboard.press('End');
		await Promise.all([a.keyboard.type('Monthly: ', { delay: 15 }), b.keyboard.type(' by region', { delay: 15 })]);

		const merged = 'Monthly: the data extract by region';
		for (const page of [a, b]) {
			await page.waitForFunction(
				(text) => (document.querySelector('textarea[id$="-deliverable"]') as HTMLTextAreaElement).value === text,
				merged
			);
			expect(await field(page).inputValue()).toBe(merged);
		}
	});

	it('undoes only this page’s own change', { timeout: 120_000 }, async () => {
		const { a, b } = await twoPeople();
		await createByKeyboard(a, { title: 'Undo scope' });
		await a.keyboard.press('Escape');
		await row(b, 'DEP-1').waitFor();

		await a.getByLabel('Status of DEP-1', { exact: true }).selectOption('agreed');
		await waitForValue(b, 'Status of DEP-1', 'agreed');
		const owner = b.getByLabel('Owner of DEP-1', { exact: true });
		await owner.fill('Niamh Doyle');
		await owner.press('Enter');
		await waitForValue(a, 'Owner of DEP-1', 'Niamh Doyle');

		await a.getByLabel('Status of DEP-1', { exact: true }).focus();
		await a.keyboard.press('Control+z');
		for (const page of [a, b]) {
			await waitForValue(page, 'Status of DEP-1', 'proposed');
			expect(await page.getByLabel('Owner of DEP-1', { exact: true }).inputValue()).toBe('Niamh Doyle');
		}
		// The record itself (A's first change) is still there: undo went one step back.
		expect(await row(b, 'DEP-1').count()).toBe(1);

		await a.keyboard.press('Control+Shift+z');
		await waitForValue(b, 'Status of DEP-1', 'agreed');
	});

	it('announces other people’s changes politely and shows who is on the board', { timeout: 120_000 }, async () => {
		const { a, b } = await twoPeople();
		await a.locator('.presence .person:not(.me)').first().waitFor();
		expect(await a.locator('.presence').textContent()).toContain('Administrator');
		await createByKeyboard(b, { title: 'Announced record' });
		const region = a.locator('[aria-live="polite"][aria-atomic="true"]');
		await a.waitForFunction(() => /Administrator (added|updated) DEP-1/.test(document.querySelector('[aria-live="polite"][aria-atomic="true"]')?.textContent ?? ''));
		expect(await region.textContent()).toMatch(/DEP-1/);
		// B has DEP-1 open: A's row shows who is editing it.
		await row(a, 'DEP-1').locator('.editors').waitFor();
	});

	it('says so and stops reconnecting when access to the board is withdrawn', async () => {
		const { boardId, a } = await twoPeople();
		const closed = server.backend.hub.disconnectWhere((peer) => peer.docName === boardDocName(boardId), closeCodes.accessRevoked);
		expect(closed).toBe(2);
		await waitForSync(a, ['access-removed']);
		expect(await a.getByRole('alert').first().textContent()).toContain('Your access to this board was removed');
		// Longer than the longest reconnection back-off: nobody came back.
		await new Promise((resolve) => setTimeout(resolve, 3_500));
		expect(server.backend.hub.loaded(boardDocName(boardId))?.peers.size ?? 0).toBe(0);
	});

	it('asks to sign in again after a 4401', async () => {
		const { boardId, a } = await twoPeople();
		server.backend.hub.disconnectWhere((peer) => peer.docName === boardDocName(boardId), closeCodes.signedOut);
		await waitForSync(a, ['signed-out']);
		expect(await a.locator('[data-sync-state]').textContent()).toContain('You have been signed out');
		expect(await a.locator('[data-sync-state] a[href="/login"]').count()).toBe(1);
	});
});
