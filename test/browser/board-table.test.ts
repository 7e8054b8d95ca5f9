/**
 * The register tables in Chromium: the keyboard model, sorting, filters and search, `?ref=` and
 * `?tab=` in the address, and a record another program wrote badly (an error row, not a crash).
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { registerMap } from '../../src/lib/board/layout.ts';
import { adminPrincipal } from '../../server/auth/principal.ts';
import { boardDocName } from '../../src/lib/protocol/doc-names.ts';
import type { TestServer } from '../helpers/server.ts';
import { openBoard, row, useSampleBoard } from './board-helpers.ts';

describe('register tables (Chromium)', () => {
	const fixture = useSampleBoard();
	let server: TestServer;
	let boardId: string;
	beforeAll(() => ({ server, boardId } = fixture));

	const page = () => fixture.page();

	const refs = (p: Page) => p.locator('tbody tr[data-ref]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-ref')));
	const focusedRef = (p: Page) => p.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-ref'));

	it('moves with the keyboard, opens and closes details, and keeps the tab and ref in the address', async () => {
		const p = await page();
		await openBoard(p, boardId);
		await row(p, 'DEP-1').focus();
		await p.keyboard.press('ArrowDown');
		await p.keyboard.press('ArrowDown');
		expect(await focusedRef(p)).toBe('DEP-3');
		await p.keyboard.press('Enter');
		await p.locator('aside.detail h2:focus').waitFor();
		expect(new URL(p.url()).searchParams.get('ref')).toBe('DEP-3');
		await p.keyboard.press('Escape');
		await p.locator('aside.detail').waitFor({ state: 'detached' });
		expect(await focusedRef(p)).toBe('DEP-3');
		expect(new URL(p.url()).searchParams.get('ref')).toBeNull();

		await p.keyboard.press('/');
		expect(await p.evaluate(() => document.activeElement?.id)).toBe('board-search');

		const tabs = p.getByRole('tab');
		expect(await tabs.count()).toBe(8);
		await p.getByRole('tab', { name: /Dependencies/ }).focus();
		await p.keyboard.press('ArrowRight');
		expect(await p.getByRole('tab', { selected: true }).textContent()).toContain('Blockers');
		expect(new URL(p.url()).searchParams.get('tab')).toBe('blockers');
		expect(await p.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe('tab-blockers');

		await openBoard(p, boardId, '?ref=ACT-3');
		expect(await p.getByRole('tab', { selected: true }).textContent()).toContain('Actions');
		expect(await p.locator('aside.detail .kicker .ref').textContent()).toBe('ACT-3');
	});

	it('sorts by a column (aria-sort), filters and searches', async () => {
		const p = await page();
		await openBoard(p, boardId);
		expect((await refs(p)).slice(0, 3)).toEqual(['DEP-1', 'DEP-2', 'DEP-3']);
		const slip = p.getByRole('columnheader', { name: /Slip/ });
		// Slip sorts worst first on the first click, then the other way.
		await slip.getByRole('button').click();
		expect(await slip.getAttribute('aria-sort')).toBe('descending');
		expect(await p.getByRole('columnheader', { name: /Ref/ }).getAttribute('aria-sort')).toBeNull();
		// The sample's biggest slip: DEP-6 is forecast 35 days after it is needed.
		expect((await refs(p))[0]).toBe('DEP-6');
		await slip.getByRole('button').click();
		expect(await slip.getAttribute('aria-sort')).toBe('ascending');
		expect((await refs(p))[0]).not.toBe('DEP-6');

		await p.getByLabel('Filter by status').selectOption('late');
		const late = await refs(p);
		expect(late.length).toBeGreaterThan(0);
		for (const ref of late) expect(await p.getByLabel(`Status of ${ref}`, { exact: true }).inputValue()).toBe('late');
		await p.getByRole('button', { name: 'Clear filters' }).click();

		await p.getByLabel('Search dependencies').fill('childcare');
		expect(await refs(p)).toEqual(['DEP-2']);
		expect(await p.locator('.shown').textContent()).toContain('1 of 12');
		await p.getByLabel('Search dependencies').fill('');

		await p.getByLabel('Late or forecast late only').check();
		const overdue = await refs(p);
		expect(overdue.length).toBeGreaterThan(0);
		expect(overdue).not.toContain('DEP-3');
		expect(overdue).toContain('DEP-2');
	});

	it('shows a record another program wrote badly as an error row, and the rest of the board', async () => {
		await server.backend.hub.transact(boardDocName(boardId), adminPrincipal, (doc) => {
			const broken = new Y.Map<unknown>();
			registerMap(doc, 'blockers').set('brokenRecord1', broken);
			broken.set('title', 42);
		});
		const p = await page();
		const errors: string[] = [];
		p.on('pageerror', (error) => errors.push(error.message));
		await openBoard(p, boardId, '?tab=blockers');
		const errorRow = p.locator('tr[data-id="brokenRecord1"]');
		await errorRow.waitFor();
		expect(await errorRow.textContent()).toContain('Record brokenRecord1 cannot be shown');
		expect(await errorRow.textContent()).toContain('title');
		expect(await p.locator('tbody tr[data-ref]').count()).toBe(12);
		expect(errors).toEqual([]);
	});
});
