/**
 * The Missions Board meeting across missions in real Chromium: items put to the Board "for
 * decision" head the Missions Board view; a lead starts the meeting there; its agenda puts them
 * first; the wall across missions (a wall display's token, 1920×1080 and 3840×2160) follows the
 * chair from screen to screen and to the record in focus, fits without scrolling and is axe clean;
 * a decision recorded in the meeting lands on the right mission's board; when the meeting ends the
 * wall rotates by itself again. `MISSIONS_SCREENSHOTS=<dir>` also saves the screens there.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, isoDateAt } from '#lib/board/dates.ts';
import { caller } from '../access-fixture.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { launchBrowser, signedInContext } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const today = isoDateAt(Date.now());
const shots = process.env.MISSIONS_SCREENSHOTS;

describe('the Missions Board meeting across missions (Chromium)', () => {
	let server: TestServer;
	let browser: Browser;
	let token: string;
	/** In the walls' order (by title): Clean power, Kickstart growth, Safer streets. */
	const missions: { id: string; title: string; boardId: string }[] = [];

	const call = caller(() => server);
	const shoot = async (page: Page, name: string) => {
		if (shots) await page.screenshot({ path: join(shots, name) });
	};
	const fits = (page: Page) => page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight && document.documentElement.scrollWidth <= window.innerWidth);

	beforeAll(async () => {
		server = await startTestServer();
		browser = await launchBrowser();
		const a = await call('POST', '/api/departments', { name: 'Department for Energy', code: 'DESNZ', colour: '#335577' });
		const b = await call('POST', '/api/departments', { name: 'Home Office', code: 'HO', colour: '#553377' });
		for (const title of ['Clean power', 'Kickstart growth', 'Safer streets']) {
			const mission = await call('POST', '/api/missions', { title });
			const board = await call('POST', `/api/missions/${mission.id}/boards`, { title: `${title} delivery`, departmentIds: [a.id, b.id] });
			await call('POST', `/api/missions/${mission.id}/targets`, { metric: { name: `${title} headline`, unit: 'points', better: 'higher' }, baseline: { date: addDays(today, -300), value: 10 }, target: { date: addDays(today, 900), value: 130 } });
			await call('POST', `/api/missions/${mission.id}/confidence`, { level: 'amber', narrative: `${title}: on the edge` });
			missions.push({ id: mission.id, title, boardId: board.id });
		}
		const [clean, growth] = missions;
		const blocker = await call('POST', `/api/boards/${clean!.boardId}/blockers`, { title: 'Grid connection queue reform stuck', owner: { name: 'Priya Shah' }, unblocker: 'DESNZ permanent secretary', severity: 'high', raisedOn: addDays(today, -40) });
		await call('PUT', `/api/boards/${clean!.boardId}/blockers/${blocker.ref}/for-decision`, { note: 'Approve the connection queue reform?' });
		const dependency = await call('POST', `/api/boards/${growth!.boardId}/dependencies`, {
			title: 'Skills data share',
			providerDepartment: a.id,
			providerOwner: { name: 'Tom Hughes' },
			receiverDepartment: b.id,
			receiverOwner: { name: 'Aisha Bello' },
			deliverable: 'Monthly vacancy data',
			rating: 'red'
		});
		await call('PUT', `/api/boards/${growth!.boardId}/dependencies/${dependency.ref}/for-decision`, { note: 'Fund the data share from the reserve?' });
		token = (await call('POST', '/api/wall-displays', { name: 'Cabinet room', missionIds: missions.map((mission) => mission.id) })).token;
	});
	afterAll(async () => {
		await browser?.close();
		await server?.close();
	});

	it('starts from the Missions Board view; the walls follow the chair at 1920×1080 and 3840×2160; decisions go to the right board', async () => {
		const { context, page } = await signedInContext(browser, server.url);
		await page.setViewportSize({ width: 1440, height: 900 });
		await page.goto('/portfolio');
		await page.locator('[data-for-decision]').nth(1).waitFor();
		expect(await page.locator('[data-for-decision]').evaluateAll((items) => items.map((item) => item.getAttribute('data-for-decision')))).toEqual(['BLK-1', 'DEP-1']);
		expect(await seriousViolations(page)).toEqual([]);
		await shoot(page, 'missions-board-for-decision.png');
		await page.getByRole('button', { name: 'Start the Missions Board meeting' }).click();
		await page.waitForURL(/\/meetings\/missions-board\//);
		const meetingUrl = page.url();

		// The agenda: the two items for decision first (in the missions' order), then the rest.
		const kinds = await page.locator('.agenda > li').evaluateAll((items) => items.map((item) => item.getAttribute('data-kind')));
		expect(kinds.slice(0, 2)).toEqual(['for_decision', 'for_decision']);
		expect(kinds.slice(2)).not.toContain('for_decision');
		await page.getByRole('button', { name: 'Next ▶' }).waitFor();
		expect(await seriousViolations(page)).toEqual([]);
		// Paused, so the server's rotation does not move the walls while the test looks at them.
		await page.getByRole('button', { name: 'Pause' }).click();
		await page.getByRole('button', { name: 'Resume' }).waitFor();

		const walls = [];
		for (const viewport of [{ width: 1920, height: 1080 }, { width: 3840, height: 2160 }]) {
			const wallContext = await browser.newContext({ baseURL: server.url, viewport, reducedMotion: 'reduce' });
			const wall = await wallContext.newPage();
			await wall.goto(`/wall/missions?token=${encodeURIComponent(token)}&seconds=5`);
			await wall.getByText('Following the chair: Administrator').waitFor();
			await wall.locator('.wall[data-screen="0"]').waitFor();
			walls.push({ context: wallContext, page: wall, viewport });
		}

		// The chair moves to Safer streets: every wall follows, and its own keys do not move it.
		await page.getByRole('button', { name: 'Safer streets' }).click();
		for (const { page: wall } of walls) {
			await wall.locator('.wall[data-screen="3"]').waitFor();
			await wall.keyboard.press('ArrowLeft');
			await wall.waitForTimeout(300);
			expect(await wall.locator('.wall').getAttribute('data-screen')).toBe('3');
		}
		// The chair shows the Clean power item for decision: the walls go to its screen and mark it.
		await page.getByRole('button', { name: /on the walls.*BLK-1/ }).click();
		for (const { page: wall, viewport } of walls) {
			await wall.locator('.wall[data-screen="1"]').waitFor();
			await wall.locator('[data-focus]').getByText('Grid connection queue reform stuck').waitFor();
			expect(await fits(wall)).toBe(true);
			expect(await seriousViolations(wall)).toEqual([]);
			if (viewport.width === 1920) await shoot(wall, 'wall-missions-board-meeting.png');
		}
		await page.getByRole('button', { name: 'Every mission' }).click();
		for (const { page: wall } of walls) {
			await wall.locator('.wall[data-screen="0"]').waitFor();
			expect(await fits(wall)).toBe(true);
		}

		// A decision on the Clean power board, recorded in the meeting.
		await page.getByLabel('What was decided').fill('Approve the grid connection queue reform');
		await page.getByLabel('On board').selectOption({ label: 'Clean power · Clean power delivery' });
		await page.getByRole('button', { name: 'Record decision' }).click();
		await page.getByText(/Just recorded/).waitFor();
		const decisions = await call('GET', `/api/boards/${missions[0]!.boardId}/decisions`);
		expect(decisions.records.map((record: { text: string; forum: string }) => [record.text, record.forum])).toEqual([['Approve the grid connection queue reform', 'Missions Board']]);
		await page.setViewportSize({ width: 1440, height: 900 });
		await shoot(page, 'missions-board-meeting.png');

		// The meeting ends: the walls rotate by themselves again.
		await page.goto(meetingUrl);
		// Ending asks first, on the server's side: the first press changes nothing.
		await page.getByRole('button', { name: 'End the meeting' }).click();
		await page.getByText('End the meeting for everyone?').waitFor();
		expect((await call('GET', `/api/meetings/${meetingUrl.split('/').pop()}`)).meeting.endedAt).toBeNull();
		await page.getByRole('button', { name: 'Yes, end the meeting' }).click();
		await page.waitForURL(/\/portfolio/);
		for (const { page: wall, context: wallContext } of walls) {
			await wall.getByRole('button', { name: /Pause/ }).waitFor();
			expect(await wall.getByText(/Following the chair/).count()).toBe(0);
			await wallContext.close();
		}
		await context.close();
	}, 180_000);
});
