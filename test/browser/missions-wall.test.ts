/**
 * The wall across missions in real Chromium, as a wall display scoped to three missions: the
 * Missions Board screen and each mission's screen fit 1920×1080 and 3840×2160 without scrolling,
 * rotate (and pause, next, previous from the keyboard), follow an actual pushed through the API,
 * and have no serious accessibility violations.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, isoDateAt } from '#lib/board/dates.ts';
import { adminCredential, api, caller } from '../access-fixture.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const today = isoDateAt(Date.now());

describe('wall across missions (Chromium)', () => {
	let server: TestServer;
	let browser: Browser;
	let token: string;
	const missions: { id: string; targetId: string }[] = [];

	const call = caller(() => server);

	beforeAll(async () => {
		server = await startTestServer();
		browser = await launchBrowser();
		for (const title of ['Kickstart growth', 'Safer streets', 'Clean power']) {
			const mission = await call('POST', '/api/missions', { title });
			await call('POST', `/api/missions/${mission.id}/boards`, { title: `${title} board` });
			const target = await call('POST', `/api/missions/${mission.id}/targets`, { metric: { name: `${title} metric`, unit: 'points', better: 'higher' }, baseline: { date: addDays(today, -300), value: 10 }, target: { date: addDays(today, 900), value: 130 } });
			await call('POST', `/api/missions/${mission.id}/confidence`, { level: 'amber', narrative: `${title}: on the edge` });
			missions.push({ id: mission.id, targetId: target.id });
		}
		token = (await call('POST', '/api/wall-displays', { name: 'Cabinet room', missionIds: missions.map((mission) => mission.id) })).token;
	});
	afterAll(async () => {
		await browser?.close();
		await server?.close();
	});

	for (const viewport of [{ width: 1920, height: 1080 }, { width: 3840, height: 2160 }]) {
		it(`fits ${viewport.width}×${viewport.height} on every screen${viewport.width === 1920 ? ' and rotates' : ''}`, async () => {
			const context = await browser.newContext({ baseURL: server.url, viewport, reducedMotion: 'reduce' });
			const page = await context.newPage();
			await page.goto(`/wall/missions?token=${encodeURIComponent(token)}&seconds=8`);
			await page.locator('.freshness.live').waitFor();
			await page.keyboard.press('Space');
			await page.getByRole('button', { name: 'Resume' }).waitFor();
			expect(new URL(page.url()).searchParams.has('token')).toBe(false);
			const fits = () => page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight && document.documentElement.scrollWidth <= window.innerWidth);
			if ((await page.locator('.wall').getAttribute('data-screen')) !== '0') await page.keyboard.press('ArrowLeft');
			await page.locator('.wall[data-screen="0"]').waitFor();
			expect(await page.locator('tbody tr').count()).toBe(3);
			expect(await fits()).toBe(true);
			expect(await seriousViolations(page)).toEqual([]);

			await page.keyboard.press('ArrowRight');
			await page.locator('.wall[data-screen="1"]').waitFor();
			await page.getByRole('img', { name: /Trajectory of Kickstart growth metric/ }).waitFor();
			expect(await fits()).toBe(true);
			expect(await seriousViolations(page)).toEqual([]);

			// Rotating does not depend on the screen's size: it is timed once, at 1080p (17 s of waiting).
			if (viewport.width === 1920) {
				// Resumed, it moves on by itself; paused, it stays.
				await page.keyboard.press('Space');
				await page.locator('.wall[data-screen="2"]').waitFor({ timeout: 15_000 });
				await page.keyboard.press('Space');
				await page.getByRole('button', { name: 'Resume' }).waitFor();
				const pushed = await api(server, 'POST', `/api/missions/${missions[1]!.id}/targets/${missions[1]!.targetId}/actuals`, { ...adminCredential, body: { date: today, value: 12 } });
				expect(pushed.status).toBe(201);
				await page.getByText(/Behind by/).first().waitFor();
				await page.waitForTimeout(9_000);
				expect(await page.locator('.wall').getAttribute('data-screen')).toBe('2');
			}
			await context.close();
		});
	}
});
