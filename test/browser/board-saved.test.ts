/**
 * "Saved" is shown only once the server holds the change: the store's writes are held back (a
 * gate in front of the real SQLite store) and the page must say "Saving…" until they are durable,
 * for a change that adds (a new record) and one that only deletes (text removed from a field).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../server/store/index.ts';
import type { Store } from '../../server/store/store.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { startTestServer, tempDir, type TestServer } from '../helpers/server.ts';
import { createBoard, createByKeyboard, ensureTestDepartments, openBoard, signIn, ukContext, waitForSync } from './board-helpers.ts';

/** The real store, with document writes that wait while the gate is shut. */
function gatedStore(inner: Store): { store: Store; shut(): void; open(): void } {
	let gate: Promise<void> | undefined;
	let release: (() => void) | undefined;
	const store = new Proxy(inner, {
		get(target, property, receiver) {
			if (property === 'appendUpdates') {
				return async (...args: Parameters<Store['appendUpdates']>) => {
					if (gate) await gate;
					return target.appendUpdates(...args);
				};
			}
			const value: unknown = Reflect.get(target, property, receiver);
			return typeof value === 'function' ? value.bind(target) : value;
		}
	});
	return {
		store,
		shut() {
			gate = new Promise((resolve) => (release = resolve));
		},
		open() {
			gate = undefined;
			release?.();
		}
	};
}

describe('the saved state is honest (Chromium)', () => {
	const dir = tempDir('mc-board-saved-');
	let server: TestServer;
	let browser: Browser;
	let gated: ReturnType<typeof gatedStore>;
	let context: BrowserContext;
	let page: Page;
	let boardId: string;

	beforeAll(async () => {
		gated = gatedStore(await createStore({ dataDir: dir.path }));
		server = await startTestServer({ dataDir: dir.path, store: gated.store });
		browser = await launchBrowser();
		const signedIn = await signIn(browser, server.url);
		boardId = await createBoard(server.url, 'Saved board');
		await ensureTestDepartments(server.url);
		({ context, page } = await ukContext(browser, server.url, signedIn));
		await openBoard(page, boardId);
	});
	afterAll(async () => {
		gated?.open();
		await context?.close();
		await browser?.close();
		await server?.close();
		dir.remove();
	});

	/** Updates the hub accepted and has not yet stored (its queued-writes gauge). */
	const pendingOnServer = async () => (await server.backend.metrics.queuedWrites.get()).values[0]?.value ?? 0;
	const state = () => page.locator('[data-sync-state]').getAttribute('data-sync-state');

	it('says "Saving…" while the server has not stored a new record, and "saved" once it has', async () => {
		gated.shut();
		await createByKeyboard(page, { title: 'Held back by the store' });
		await expect.poll(pendingOnServer).toBeGreaterThan(0);
		expect(await state()).toBe('saving');
		gated.open();
		await waitForSync(page, ['saved']);
		expect(await pendingOnServer()).toBe(0);
	});

	it('does the same for a change that only deletes', async () => {
		const field = page.locator('textarea[id$="-deliverable"]');
		await field.fill('Text that will be removed');
		await waitForSync(page, ['saved']);
		gated.shut();
		await field.focus();
		await page.keyboard.press('Control+a');
		await page.keyboard.press('Backspace');
		await expect.poll(pendingOnServer).toBeGreaterThan(0);
		expect(await state()).toBe('saving');
		gated.open();
		await waitForSync(page, ['saved']);
	});
});
