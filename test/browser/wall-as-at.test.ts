/**
 * The chair shows the walls "as at" a moment (Chromium): on the meeting page the chair picks the end
 * of the previous meeting; the wall shows a record as it stood then, under the banner "As at … —
 * not live"; "Back to live" brings the live record back. Saves docs/screenshots/wall-as-at.png.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { api, createMission, createWallDisplay, lateDependency, setPlaylist, signedIn } from '../wall-fixtures.ts';

describe('the whole board as at a moment on the wall, the chair’s choice (Chromium)', () => {
	let server: TestServer;
	let browser: Browser;

	beforeAll(async () => {
		server = await startTestServer();
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		await server?.close();
	});

	it('shows a record’s old value with the banner while set, then goes back to live', async () => {
		const { missionId, boardIds, departmentIds } = await createMission(server);
		const made = await api(server, `/api/boards/${boardIds[0]}/dependencies`, { body: lateDependency('Skills data share', departmentIds) });
		expect(made.status).toBe(201);
		await setPlaylist(server, missionId, [{ view: 'dependencies', seconds: 600 }]);
		const first = await api<{ meetingId: string }>(server, '/api/meetings', { body: { missionId, forum: 'Missions Board' } });
		expect((await api(server, `/api/meetings/${first.body.meetingId}/end`, { body: {} })).status).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect((await api(server, `/api/boards/${boardIds[0]}/dependencies/DEP-1`, { method: 'PATCH', body: { title: 'Skills data share, renamed' } })).status).toBe(200);
		const second = await api<{ meetingId: string }>(server, '/api/meetings', { body: { missionId, forum: 'Missions Board' } });
		expect(second.status).toBe(201);

		const display = await createWallDisplay(server, missionId);
		const wallContext = await browser.newContext({ viewport: { width: 1920, height: 1080 }, reducedMotion: 'reduce' });
		const { context, page } = await signedIn(browser, server.url);
		try {
			const wall = await wallContext.newPage();
			await wall.goto(`${server.url}/wall?token=${encodeURIComponent(display.token)}`);
			const rows = wall.locator('.wall-main');
			await expect.poll(() => rows.textContent(), { timeout: 10_000 }).toContain('Skills data share, renamed');
			expect(await wall.locator('.as-at-banner').count()).toBe(0);

			await page.goto(`/meetings/${second.body.meetingId}`);
			const form = page.getByRole('form', { name: 'Show the walls as at' });
			const option = form.locator('option', { hasText: 'End of Missions Board' });
			await page.getByLabel('Show the boards as at').selectOption((await option.getAttribute('value'))!);
			await form.getByRole('button', { name: 'Show as at' }).click();

			const banner = wall.locator('.as-at-banner');
			await banner.waitFor({ timeout: 10_000 });
			expect(await banner.locator('strong').textContent()).toMatch(/^As at \d\d:\d\d, \d{1,2} [A-Z][a-z]+ \d{4} — not live$/);
			await expect.poll(() => rows.textContent(), { timeout: 10_000 }).toContain('Skills data share');
			expect(await rows.textContent()).not.toContain('renamed');
			expect(await page.locator('.as-at-now').textContent()).toMatch(/not live/);
			await wall.screenshot({ path: 'docs/screenshots/wall-as-at.png' });

			await form.getByRole('button', { name: 'Back to live' }).click();
			await expect.poll(() => wall.locator('.as-at-banner').count(), { timeout: 10_000 }).toBe(0);
			await expect.poll(() => rows.textContent(), { timeout: 10_000 }).toContain('Skills data share, renamed');
		} finally {
			await api(server, `/api/meetings/${second.body.meetingId}/end`, { body: {} });
			await context.close();
			await wallContext.close();
		}
	}, 180_000);
});
