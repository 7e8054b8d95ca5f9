/**
 * A revoked wall display says so plainly, never a login page: when its link is opened after the
 * revocation, when it is revoked while showing, and when the kiosk reloads afterwards.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createMission, createWallDisplay, revokeWallDisplay, type MissionFixture } from '../wall-fixtures.ts';

const revokedMessage = "This display's access was revoked.";
const advice = 'Ask a Missions Unit lead for a new display link.';

async function expectNoLoginPage(page: Page): Promise<void> {
	expect(new URL(page.url()).pathname).toBe('/wall');
	expect(await page.locator('input').count()).toBe(0);
	expect(await page.locator('a[href^="/login"]').count()).toBe(0);
	expect(await page.textContent('body')).not.toMatch(/sign in/i);
}

describe('a revoked wall display (Chromium)', () => {
	let server: TestServer;
	let browser: Browser;
	let mission: MissionFixture;

	beforeAll(async () => {
		server = await startTestServer();
		browser = await launchBrowser();
		mission = await createMission(server);
	});

	afterAll(async () => {
		await browser?.close();
		await server?.close();
	});

	it('shows the revoked message when its link is opened after the revocation', async () => {
		const display = await createWallDisplay(server, mission.missionId);
		await revokeWallDisplay(server, display.id);
		const page = await (await browser.newContext()).newPage();
		await page.goto(`${server.url}/wall?token=${encodeURIComponent(display.token)}`);
		expect(await page.locator('h1').textContent()).toBe(revokedMessage);
		expect(await page.textContent('body')).toContain(advice);
		await expectNoLoginPage(page);
	});

	it('switches to the revoked message when revoked while showing, and keeps it across a reload', async () => {
		const display = await createWallDisplay(server, mission.missionId);
		const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
		await page.goto(`${server.url}/wall?token=${encodeURIComponent(display.token)}`);
		await page.locator('.freshness-live').waitFor({ timeout: 10_000 });

		await revokeWallDisplay(server, display.id);
		await page.getByRole('alert').filter({ hasText: revokedMessage }).waitFor({ timeout: 10_000 });
		expect(await page.textContent('body')).toContain(advice);
		// It stopped: no freshness indicator, no banner, nothing reconnecting.
		expect(await page.locator('.freshness').count()).toBe(0);
		await expectNoLoginPage(page);

		await page.reload();
		expect(await page.locator('h1').textContent()).toBe(revokedMessage);
		await expectNoLoginPage(page);
	});

	it('a wall opened with no link at all asks for one, and still shows no login page', async () => {
		const page = await (await browser.newContext()).newPage();
		await page.goto(`${server.url}/wall`);
		expect(await page.locator('h1').textContent()).toBe('This screen needs a display link.');
		await expectNoLoginPage(page);
	});
});
