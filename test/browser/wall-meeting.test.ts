/**
 * Meeting mode in real Chromium: a chair's page and a wall. The chair's next and focus move the
 * wall; pausing stops the rotation (and resuming starts it again); a key pressed on the wall does
 * not take the meeting from the chair; ending the meeting hands the wall back to its playlist.
 * Prints the chair-to-wall latency it saw (no timing assertion).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { api, createMission, createWallDisplay, lateDependency, setPlaylist, signedIn, type MissionFixture } from '../wall-fixtures.ts';

const heading = async (page: Page) => (await page.locator('.wall h1').first().textContent())?.trim();

describe('meeting mode: the wall follows the chair (Chromium)', () => {
	let server: TestServer;
	let browser: Browser;
	let mission: MissionFixture;
	let chair: Page;
	let wall: Page;
	let dependencyRef: string;

	beforeAll(async () => {
		server = await startTestServer();
		browser = await launchBrowser();
		mission = await createMission(server);
		const created = await api<{ ref: string }>(server, `/api/boards/${mission.boardIds[0]}/dependencies`, { body: lateDependency('Local plan housing trajectories', mission.departmentIds) });
		dependencyRef = created.body.ref;
		await setPlaylist(server, mission.missionId, [
			{ view: 'summary', seconds: 5 },
			{ view: 'dependencies', seconds: 5 },
			{ view: 'actions', seconds: 5 }
		]);
		const display = await createWallDisplay(server, mission.missionId);
		const wallContext = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
		wall = await wallContext.newPage();
		await wall.goto(`${server.url}/wall?token=${encodeURIComponent(display.token)}`);
		await wall.locator('.freshness-live').waitFor({ timeout: 10_000 });
		({ page: chair } = await signedIn(browser, server.url));
	});

	afterAll(async () => {
		await browser?.close();
		await server?.close();
	});

	it('a started meeting takes the wall; the chair\'s next moves it', async () => {
		await chair.goto('/meetings');
		await chair.getByRole('button', { name: 'Start a meeting' }).click();
		await chair.waitForURL('**/meetings/mtg_*');
		await expect.poll(() => wall.locator('.driver').textContent(), { timeout: 10_000 }).toContain('following the chair, Administrator');
		await expect.poll(() => chair.locator('.controls .who').textContent(), { timeout: 10_000 }).toContain('1 wall following');

		const before = await heading(wall);
		// Time from the chair's click to the wall's heading changing, on one clock.
		await wall.evaluate(() => {
			const target = document.querySelector('.wall h1')!.parentElement!;
			new MutationObserver(() => ((window as unknown as { movedAt: number }).movedAt ??= Date.now())).observe(target, { subtree: true, childList: true, characterData: true });
		});
		const clickedAt = await chair.evaluate(() => {
			const button = Array.from(document.querySelectorAll('button')).find((candidate) => candidate.textContent?.includes('Next ▶'))!;
			const at = Date.now();
			button.click();
			return at;
		});
		await expect.poll(() => heading(wall), { timeout: 5_000 }).not.toBe(before);
		const movedAt = await wall.evaluate(() => (window as unknown as { movedAt: number }).movedAt);
		console.info(`chair → wall in Chromium: ${movedAt - clickedAt} ms (one sample, same machine)`);
	});

	it('the chair\'s focus shows the record on the wall and pauses the rotation; resuming rotates again', async () => {
		await chair.getByRole('button', { name: 'Red and late dependencies' }).click();
		await expect.poll(() => heading(wall), { timeout: 5_000 }).toBe('Red and late dependencies');
		const focus = chair.getByRole('combobox', { name: 'In focus' });
		await expect.poll(async () => (await focus.locator('option').allTextContents()).join('|'), { timeout: 5_000 }).toContain(dependencyRef);
		await focus.selectOption({ label: `${dependencyRef} Local plan housing trajectories` });
		// The row is marked, and the record fills the screen on the focus card; refs carry their board's code.
		await expect.poll(() => wall.locator('tr[aria-current="true"] th').textContent(), { timeout: 5_000 }).toMatch(new RegExp(`·${dependencyRef}$`));
		await expect.poll(() => wall.locator('.focus-card h2').textContent(), { timeout: 5_000 }).toBe('Local plan housing trajectories');
		await expect.poll(() => wall.locator('.next').textContent(), { timeout: 5_000 }).toContain('Paused');

		// Longer than one dwell (5 s): a rotation still running would have moved on.
		await chair.waitForTimeout(6_500);
		expect(await heading(wall)).toBe('Red and late dependencies');

		await chair.getByRole('button', { name: 'Resume rotation' }).click();
		await expect.poll(() => heading(wall), { timeout: 10_000 }).not.toBe('Red and late dependencies');
	});

	it('the chair\'s pause stops the rotation; keys on the wall do not take the meeting', async () => {
		await chair.getByRole('button', { name: 'Pause rotation' }).click();
		await expect.poll(() => wall.locator('.next').textContent(), { timeout: 5_000 }).toContain('Paused');
		const paused = await heading(wall);
		await wall.keyboard.press('ArrowRight');
		await expect.poll(() => wall.locator('[aria-live="polite"]').first().textContent(), { timeout: 5_000 }).toContain('is driving this screen');
		await chair.waitForTimeout(6_500);
		expect(await heading(wall)).toBe(paused);
	});

	it('ending the meeting hands the wall back to its own rotation', async () => {
		await chair.getByRole('button', { name: 'End the meeting' }).click();
		await chair.getByRole('button', { name: 'Yes, end the meeting' }).click();
		await chair.getByRole('heading', { name: 'Record of the meeting' }).waitFor();
		await expect.poll(async () => (await wall.locator('.driver').textContent())?.trim(), { timeout: 10_000 }).toBe('Playlist');
		const own = await heading(wall);
		await wall.keyboard.press('ArrowRight');
		await expect.poll(() => heading(wall), { timeout: 5_000 }).not.toBe(own);
	});
});
