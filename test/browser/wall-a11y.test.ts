/**
 * Accessibility of the wall in real Chromium, on the sample mission: every view passes axe-core
 * (WCAG 2.2 A/AA rules) with no serious or critical violation, the dependency map's table
 * alternative lists every dependency, and the rotation can be paused from the keyboard with the
 * pause announced.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wallViewLabels, wallViews } from '../../src/lib/protocol/meeting.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { api, createWallDisplay } from '../wall-fixtures.ts';

type Listed = { records: Array<{ ref: string; archived: boolean; status: string; providerDepartment: string; receiverDepartment: string }> };

/** The view a heading names: "Since the last …" names the since view after the meeting it compares with. */
const viewLabelOf = (title: string) => (/^Since the last |^In the last 7 days$/.test(title) ? wallViewLabels.since : title);


describe('the wall is accessible (Chromium, axe-core)', () => {
	let server: TestServer;
	let browser: Browser;
	let page: Page;
	let missionId: string;
	let boardIds: string[];

	beforeAll(async () => {
		server = await startTestServer();
		browser = await launchBrowser();
		const sample = await api<{ sample: { missionId: string; boardIds: string[] } }>(server, '/api/workspace/sample', { method: 'POST', body: {} });
		({ missionId, boardIds } = sample.body.sample);
		const display = await createWallDisplay(server, missionId);
		const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, reducedMotion: 'reduce' });
		page = await context.newPage();
		await page.goto(`${server.url}/wall?token=${encodeURIComponent(display.token)}`);
		await page.locator('.freshness-live').waitFor({ timeout: 10_000 });
		await page.locator('.loading').waitFor({ state: 'detached', timeout: 10_000 });
	});

	afterAll(async () => {
		await browser?.close();
		await server?.close();
	});

	it('pauses from the keyboard, and says so', async () => {
		await page.keyboard.press('Space');
		await expect.poll(() => page.locator('[aria-live="polite"]').first().textContent(), { timeout: 10_000 }).toContain('Rotation paused');
		expect(await page.locator('.next').textContent()).toContain('Paused');
	});

	it('has no serious or critical axe violation on any view', async () => {
		const seen: string[] = [];
		for (let i = 0; i < wallViews.length; i++) {
			const title = (await page.locator('.wall h1').textContent())?.trim() ?? '';
			seen.push(title);
			expect(await seriousViolations(page), title).toEqual([]);
			await page.keyboard.press('ArrowRight');
			await expect.poll(async () => (await page.locator('.wall h1').textContent())?.trim(), { timeout: 10_000 }).not.toBe(title);
		}
		expect(seen.map(viewLabelOf).sort()).toEqual(wallViews.map((view) => wallViewLabels[view]).sort());
	}, 240_000);

	it('fits 1920×1080 and 3840×2160 on every view: no scrolling, nothing cut off', async () => {
		for (const viewport of [{ width: 1920, height: 1080 }, { width: 3840, height: 2160 }]) {
			await page.setViewportSize(viewport);
			await page.waitForFunction((width) => window.innerWidth === width && parseFloat(getComputedStyle(document.querySelector('.wall')!).fontSize) >= width / 100, viewport.width);
			for (let i = 0; i < wallViews.length; i++) {
				const title = (await page.locator('.wall h1').textContent())?.trim() ?? '';
				const fit = await page.evaluate(() => {
					const main = document.querySelector('.wall-main')!;
					const view = main.querySelector('.view')!;
					return {
						pageScrolls: document.documentElement.scrollHeight > window.innerHeight || document.documentElement.scrollWidth > window.innerWidth,
						clipped: view.scrollHeight > main.clientHeight + 1 || view.scrollWidth > main.clientWidth + 1,
						fontPx: parseFloat(getComputedStyle(document.querySelector('.wall')!).fontSize)
					};
				});
				expect({ title, ...fit, fontPx: undefined }, `${viewport.width}×${viewport.height}`).toEqual({ title, pageScrolls: false, clipped: false, fontPx: undefined });
				// Big type: one em is about 1.7% of the screen width (32 px at 1080p).
				expect(fit.fontPx).toBeGreaterThanOrEqual(viewport.width / 60);
				await page.keyboard.press('ArrowRight');
				await expect.poll(async () => (await page.locator('.wall h1').textContent())?.trim(), { timeout: 10_000 }).not.toBe(title);
			}
		}
		await page.setViewportSize({ width: 1920, height: 1080 });
	}, 240_000);

	it('lists every route of the map in its table alternative, each open dependency counted once', async () => {
		while ((await page.locator('.wall h1').textContent())?.trim() !== wallViewLabels.map) await page.keyboard.press('ArrowRight');
		await page.locator('.map-svg').waitFor({ timeout: 15_000 });
		const open: Listed['records'] = [];
		for (const boardId of boardIds) {
			const listed = await api<Listed>(server, `/api/boards/${boardId}/dependencies`);
			open.push(...listed.body.records.filter((dependency) => !dependency.archived && !['delivered', 'cancelled'].includes(dependency.status)));
		}
		expect(open.length).toBeGreaterThan(10);
		const pairs = new Set(open.map((dependency) => `${dependency.providerDepartment}→${dependency.receiverDepartment}`));
		const table = page.locator('.aggregated-map table');
		expect(await table.locator('tbody tr').count()).toBe(pairs.size);
		const counts = await table.locator('tbody tr td:nth-child(3)').allTextContents();
		expect(counts.reduce((sum, count) => sum + Number(count), 0)).toBe(open.length);
		// The table is for screen readers on the wall: present, not drawn.
		expect(await page.locator('.aggregated-map .map-table').evaluate((element) => element.getBoundingClientRect().width)).toBeLessThanOrEqual(1);
		// The drawing is a group of arrows a keyboard reaches, each a button named in words.
		expect(await page.locator('.map-svg').getAttribute('role')).toBe('group');
		expect(await page.locator('.map-svg [role="button"]').count()).toBe(pairs.size);
		expect(await seriousViolations(page)).toEqual([]);
	});
});
