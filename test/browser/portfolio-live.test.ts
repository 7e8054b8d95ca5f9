/**
 * The Missions Board view follows board edits without a reload: a dependency rated red through
 * the API reaches `/portfolio` through the record pulse (`workspace:changed` of kind `records`,
 * server/workspace/record-pulse.ts), and the page re-reads its data.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, isoDateAt } from '#lib/board/dates.ts';
import { adminCredential, api, caller, childcareBoard } from '../access-fixture.ts';
import { launchBrowser, signedInContext } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('Missions Board view live (Chromium)', () => {
	let server: TestServer;
	let browser: Browser;
	let missionId: string;
	let boardId: string;
	let ref: string;

	const call = caller(() => server);

	beforeAll(async () => {
		server = await startTestServer();
		browser = await launchBrowser();
		const childcare = await childcareBoard(call);
		({ missionId, boardId } = childcare);
		const { provider, receiver } = childcare;
		ref = (
			await call('POST', `/api/boards/${boardId}/dependencies`, {
				title: 'Childcare eligibility data share',
				providerDepartment: provider,
				providerOwner: { name: 'Tom Hughes' },
				receiverDepartment: receiver,
				receiverOwner: { name: 'Marcus Lee' },
				deliverable: 'Signed data-sharing agreement',
				neededBy: addDays(isoDateAt(Date.now()), 60),
				rating: 'amber'
			})
		).ref;
	});
	afterAll(async () => {
		await browser?.close();
		await server?.close();
	});

	it('shows a dependency rated red through the API without a reload', async () => {
		const { context, page } = await signedInContext(browser, server.url);
		await page.goto('/portfolio');
		await page.getByText('Live', { exact: true }).waitFor();
		await page.evaluate(() => Object.assign(window, { notReloaded: true }));
		const redCount = page.locator(`tr[data-mission="${missionId}"] p.count`).filter({ hasText: /red dependenc/ });
		expect(await redCount.textContent()).toMatch(/^\s*0 red dependencies\s*$/);

		// A rating is not patchable: it changes through the ratings route, which keeps its history.
		const rated = await api(server, 'POST', `/api/boards/${boardId}/dependencies/${ref}/ratings`, { ...adminCredential, body: { rating: 'red', narrative: 'Legal gateway slipping' } });
		expect(rated.status, rated.text).toBe(201);
		await expect.poll(async () => (await redCount.textContent())?.trim(), { timeout: 15_000 }).toBe('1 red dependency');
		expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
		await context.close();
	});
});
