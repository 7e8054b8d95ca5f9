/**
 * The board's detail panel links a dependency to a mission milestone (a select and a Link button,
 * by keyboard) and flags the milestone as at risk as soon as the dependency's forecast passes the
 * milestone's date, with the same reason `GET /api/missions/:id/milestones` gives.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, isoDateAt } from '#lib/board/dates.ts';
import { dateFormat } from '#lib/date-format.ts';
import { caller, childcareBoard } from '../access-fixture.ts';
import { launchBrowser, signedInContext } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitForSync } from './board-helpers.ts';

/** Dates as the workspace's default locale writes them. */
const shortDate = (date: string, relativeTo: string) => dateFormat('en-GB').near(date, relativeTo);

describe('milestone picker on the board (Chromium)', () => {
	let server: TestServer;
	let browser: Browser;
	let missionId: string;
	let boardId: string;
	let milestoneId: string;
	let ref: string;
	const today = isoDateAt(Date.now());
	const milestoneDate = addDays(today, 30);
	const forecast = addDays(today, 60);

	const call = caller(() => server);

	beforeAll(async () => {
		server = await startTestServer();
		browser = await launchBrowser();
		const childcare = await childcareBoard(call);
		({ missionId, boardId } = childcare);
		const { provider, receiver } = childcare;
		await call('POST', `/api/missions/${missionId}/milestones`, { title: 'Funding agreed', date: addDays(today, 10) });
		milestoneId = (await call('POST', `/api/missions/${missionId}/milestones`, { title: 'Pilot live', date: milestoneDate })).id;
		ref = (
			await call('POST', `/api/boards/${boardId}/dependencies`, {
				title: 'Childcare eligibility data share',
				providerDepartment: provider,
				providerOwner: { name: 'Tom Hughes' },
				receiverDepartment: receiver,
				receiverOwner: { name: 'Marcus Lee' },
				deliverable: 'Signed data-sharing agreement',
				neededBy: milestoneDate,
				forecast: addDays(today, 20)
			})
		).ref;
	});
	afterAll(async () => {
		await browser?.close();
		await server?.close();
	});

	it('links a dependency to a milestone and shows it at risk when the forecast passes the milestone', { timeout: 90_000 }, async () => {
		const { context, page } = await signedInContext(browser, server.url);
		await page.setViewportSize({ width: 1440, height: 900 });
		await page.goto(`/boards/${boardId}?ref=${ref}`);
		await waitForSync(page, ['live', 'saved']);
		const detail = page.locator('.detail');
		const milestones = detail.locator('section.milestones');
		await milestones.getByText('Not linked to a milestone of the mission.').waitFor();

		// Keyboard: focus the picker, choose with the arrow keys, tab to Link and press Enter.
		const picker = milestones.getByLabel('Link to a milestone');
		await picker.focus();
		await picker.selectOption(milestoneId);
		await page.keyboard.press('Tab');
		expect(await milestones.getByRole('button', { name: 'Link', exact: true }).evaluate((button) => button === document.activeElement)).toBe(true);
		await page.keyboard.press('Enter');
		const linked = milestones.locator('li', { hasText: 'Pilot live' });
		await linked.waitFor();
		expect(await linked.textContent()).toContain(`Affects milestone ‘Pilot live’ (${shortDate(milestoneDate, today)})`);
		expect(await linked.textContent()).not.toContain('at risk');
		await expect.poll(async () => (await call('GET', `/api/boards/${boardId}/dependencies/${ref}`)).milestones, { timeout: 10_000 }).toEqual([milestoneId]);

		// A forecast after the milestone's date flags it, live, with the reason.
		const reason = `${ref} forecast ${shortDate(forecast, milestoneDate)} is after the milestone's ${shortDate(milestoneDate, forecast)}`;
		await detail.getByLabel('Forecast', { exact: true }).fill(forecast);
		await detail.getByLabel('Forecast', { exact: true }).press('Tab');
		await linked.locator('.flag').waitFor();
		expect((await linked.textContent())?.replace(/\s+/g, ' ')).toContain(`(${shortDate(milestoneDate, today)}) — at risk: ${reason}`);
		await expect
			.poll(async () => ((await call('GET', `/api/missions/${missionId}/milestones`)).milestones as { id: string; atRisk: boolean; reasons: { message: string }[] }[]).find((m) => m.id === milestoneId), {
				timeout: 10_000
			})
			.toMatchObject({ atRisk: true, reasons: [expect.objectContaining({ message: reason })] });

		await milestones.scrollIntoViewIfNeeded();
		if (process.env.MILESTONE_SCREENSHOT) await page.screenshot({ path: process.env.MILESTONE_SCREENSHOT });

		// Unlinking takes the flag away.
		await milestones.getByRole('button', { name: 'Unlink from ‘Pilot live’' }).click();
		await milestones.getByText('Not linked to a milestone of the mission.').waitFor();
		await expect.poll(async () => (await call('GET', `/api/boards/${boardId}/dependencies/${ref}`)).milestones, { timeout: 10_000 }).toEqual([]);
		await context.close();
	});
});
