/**
 * The board page for people using assistive technology and for read-only people: axe-core finds
 * no serious or critical violation on any tab, with the details open, in light and dark; a viewer
 * gets every control disabled with the reason on screen.
 */
import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createInvite, redeem } from '../access-fixture.ts';
import { seriousViolations } from '../helpers/axe.ts';
import type { TestServer } from '../helpers/server.ts';
import { api, openBoard, row, useSampleBoard } from './board-helpers.ts';


describe('board page accessibility and read-only access (Chromium)', () => {
	const fixture = useSampleBoard();
	let server: TestServer;
	let browser: Browser;
	let boardId: string;
	beforeAll(() => ({ server, browser, boardId } = fixture));

	for (const colorScheme of ['light', 'dark'] as const) {
		it(`has no serious or critical axe violation on any tab or in the details (${colorScheme})`, { timeout: 180_000 }, async () => {
			const page = await fixture.page(colorScheme);
			// Dark changes only colours: the light run checks every other rule on the same states.
			const colourOnly = colorScheme === 'dark';
			const found: Record<string, string[]> = {};
			for (const tab of ['dependencies', 'blockers', 'actions', 'decisions', 'risks', 'assumptions']) {
				await openBoard(page, boardId, `?tab=${tab}`);
				found[tab] = await seriousViolations(page, { colourOnly });
			}
			for (const ref of ['DEP-2', 'BLK-1', 'ACT-3', 'DEC-4']) {
				await openBoard(page, boardId, `?ref=${ref}`);
				await page.locator('aside.detail').waitFor();
				found[ref] = await seriousViolations(page, { colourOnly });
			}
			expect(found).toEqual({ dependencies: [], blockers: [], actions: [], decisions: [], risks: [], assumptions: [], 'DEP-2': [], 'BLK-1': [], 'ACT-3': [], 'DEC-4': [] });
		});
	}

	it('shows a viewer the board with every control disabled and says why', async () => {
		const board = await api<{ departmentIds: string[] }>(server.url, 'GET', `/api/boards/${boardId}`);
		const invite = await createInvite(server, { departmentId: board.departmentIds[0]!, role: 'viewer' });
		const viewer = await redeem(server, invite.token, 'Val Viewer');
		const context = fixture.track(await browser.newContext({ baseURL: server.url, viewport: { width: 1440, height: 900 }, locale: 'en-GB' }));
		await context.addCookies([{ name: 'mc_session', value: viewer.cookie.slice('mc_session='.length), url: server.url, httpOnly: true, sameSite: 'Lax' }]);
		const page = await context.newPage();
		await openBoard(page, boardId);
		expect(await page.getByRole('note').textContent()).toContain('You can view this board; editing needs an editor role');
		expect(await page.getByRole('button', { name: 'New dependency' }).isDisabled()).toBe(true);
		expect(await page.getByLabel('Status of DEP-1', { exact: true }).isDisabled()).toBe(true);
		expect(await page.getByLabel('Owner of DEP-1', { exact: true }).isDisabled()).toBe(true);

		await page.keyboard.press('n');
		expect(await page.locator('tbody tr[data-id]').count()).toBe(12);
		expect(await page.locator('aside[data-draft]').count()).toBe(0);

		await row(page, 'DEP-1').locator('.title-button').click();
		await page.locator('aside.detail').waitFor();
		expect(await page.getByLabel('Title', { exact: true }).isDisabled()).toBe(true);
		expect(await page.getByLabel('What exactly is to be delivered').isDisabled()).toBe(true);
		expect(await page.getByRole('button', { name: 'Record rating' }).count()).toBe(0);
		expect(await page.getByRole('button', { name: 'Add comment' }).count()).toBe(0);
	});
});
