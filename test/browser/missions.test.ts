/**
 * Mission tracking in real Chromium: the Missions Board view across three missions follows a
 * department's API token pushing an actual, without a reload; the mission page records an actual
 * through its form and redraws the chart; an adviser sees the tracking without any form; both
 * pages have no serious accessibility violations.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, isoDateAt } from '#lib/board/dates.ts';
import { api, caller, createInvite, redeem } from '../access-fixture.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { launchBrowser, signedInContext } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const today = isoDateAt(Date.now());

describe('mission tracking (Chromium)', () => {
	let server: TestServer;
	let browser: Browser;
	const missions: { id: string; targetId: string; title: string }[] = [];
	let departmentId: string;
	let editorToken: string;

	const call = caller(() => server);

	beforeAll(async () => {
		server = await startTestServer();
		browser = await launchBrowser();
		departmentId = (await call('POST', '/api/departments', { name: 'Department for Statistics', code: 'DST', colour: '#225588' })).id;
		for (const title of ['Kickstart growth', 'Safer streets', 'Clean power']) {
			const mission = await call('POST', '/api/missions', { title });
			await call('POST', `/api/missions/${mission.id}/boards`, { title: `${title} board`, departmentIds: [departmentId] });
			const target = await call('POST', `/api/missions/${mission.id}/targets`, {
				metric: { name: `${title} headline metric`, unit: 'points', better: 'higher' },
				baseline: { date: addDays(today, -300), value: 10 },
				target: { date: addDays(today, 900), value: 130 },
				sourceDepartmentId: departmentId
			});
			missions.push({ id: mission.id, targetId: target.id, title });
		}
		const editor = await redeem(server, (await createInvite(server, { departmentId, role: 'editor' })).token, 'Stella Statistics');
		editorToken = ((await api(server, 'POST', '/api/tokens', { cookie: editor.cookie, body: { name: 'Statistics feed' } })).body as { token: string }).token;
	});
	afterAll(async () => {
		await browser?.close();
		await server?.close();
	});

	it('shows every mission on the Missions Board view and follows an actual pushed with an API token, live', async () => {
		const { context, page } = await signedInContext(browser, server.url);
		await page.goto('/portfolio');
		await page.getByText('Live', { exact: true }).waitFor();
		await page.evaluate(() => Object.assign(window, { notReloaded: true }));
		for (const mission of missions) await page.getByRole('rowheader', { name: new RegExp(mission.title) }).waitFor();
		const row = page.locator(`tr[data-mission="${missions[1]!.id}"]`);
		expect(await row.locator(`[data-target="${missions[1]!.targetId}"]`).textContent()).toContain('No data yet');

		const pushed = await api(server, 'POST', `/api/missions/${missions[1]!.id}/targets/${missions[1]!.targetId}/actuals`, { bearer: editorToken, body: { date: today, value: 12 } });
		expect(pushed.status).toBe(201);
		await row.locator(`[data-target="${missions[1]!.targetId}"]`).getByText(/Behind by/).waitFor();
		expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
		expect(await page.locator(`tr[data-mission="${missions[0]!.id}"] [data-target]`).textContent()).toContain('No data yet');

		// The chair picks two missions.
		await page.getByRole('checkbox', { name: 'Clean power' }).uncheck();
		await page.getByRole('button', { name: 'Show these' }).click();
		await page.waitForURL(/missions=/);
		await expect.poll(() => page.locator('tr[data-mission]').count()).toBe(2);
		expect(await seriousViolations(page)).toEqual([]);
		await context.close();
	});

	it('records an actual from the mission page and redraws the chart and its table', async () => {
		const mission = missions[0]!;
		const { context, page } = await signedInContext(browser, server.url);
		await page.goto(`/missions/${mission.id}`);
		const card = page.locator(`#target-${mission.targetId}`);
		await card.getByText('No data yet').waitFor();
		await card.getByLabel('Date', { exact: true }).fill(addDays(today, -10));
		await card.getByLabel(/^Actual/).fill('55');
		await card.getByRole('button', { name: 'Record actual' }).click();
		await card.getByText(/On track/).waitFor();
		expect(await card.locator('circle.actual-point').count()).toBe(1);
		await card.getByText(/Data table/).click();
		expect(await card.getByRole('table').textContent()).toContain('55');
		expect(await card.getByRole('img', { name: /Trajectory of/ }).count()).toBe(1);

		// A bad trajectory row is named and nothing is saved.
		await card.getByText('Edit the planned trajectory').click();
		await card.getByLabel(/Points as/).fill(`${addDays(today, 10)},40\n${addDays(today, 20)},forty`);
		await card.getByRole('button', { name: 'Save trajectory' }).click();
		await card.getByText(/^Row 3, value: "forty" is not a number\.$/).waitFor();
		expect((await call('GET', `/api/missions/${mission.id}/targets/${mission.targetId}`)).trajectory).toEqual([]);
		expect(await seriousViolations(page)).toEqual([]);
		await context.close();
	});

	it('shows an adviser the tracking with no form to change it', async () => {
		const mission = missions[2]!;
		await call('PATCH', `/api/missions/${mission.id}/leadership`, { ceo: { name: 'Chris Power' } });
		const adviser = await redeem(server, (await createInvite(server, { departmentId, role: 'adviser' })).token, 'Ada Adviser');
		const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1440, height: 900 }, extraHTTPHeaders: { cookie: adviser.cookie } });
		const page = await context.newPage();
		await page.goto(`/missions/${mission.id}`);
		await page.getByText('Chris Power').waitFor();
		await page.getByRole('heading', { name: /Targets/ }).waitFor();
		expect(await page.getByRole('button', { name: 'Record actual' }).count()).toBe(0);
		expect(await page.getByText('Edit leadership').count()).toBe(0);
		const refused = await api(server, 'POST', `/api/missions/${mission.id}/targets/${mission.targetId}/actuals`, { cookie: adviser.cookie, body: { date: today, value: 1 } });
		expect(refused.status).toBe(403);
		await context.close();
	});
});
