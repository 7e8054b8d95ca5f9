/**
 * The home page in real Chromium: live updates from socket.io without a reload, forms that work
 * without JavaScript, the sample mission in one step, and no serious accessibility violations.
 */
import { seriousViolations } from '../helpers/axe.ts';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signedInContext } from '../helpers/browser.ts';
import { startTestServer, testAdminToken, type TestServer } from '../helpers/server.ts';

describe('home page (Chromium)', () => {
	let server: TestServer;
	let browser: Browser;

	const api = async (method: string, path: string, body?: unknown) => {
		const response = await fetch(`${server.url}${path}`, {
			method,
			headers: { authorization: `Bearer ${testAdminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		expect(response.status).toBeLessThan(300);
		return response.status === 204 ? undefined : response.json();
	};

	beforeAll(async () => {
		server = await startTestServer();
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		await server?.close();
	});

	it('shows a mission and a board created through the API while the page is open, without a reload, and announces them', async () => {
		const { context, page } = await signedInContext(browser, server.url);
		await page.goto('/');
		await page.getByText('Live', { exact: true }).waitFor();
		await page.evaluate(() => Object.assign(window, { notReloaded: true }));

		const mission = await api('POST', '/api/missions', { title: 'Safer streets' });
		await page.getByRole('heading', { level: 2, name: 'Safer streets' }).waitFor();
		const board = await api('POST', `/api/missions/${mission.id}/boards`, { title: 'Neighbourhood policing' });
		const link = page.getByRole('link', { name: 'Neighbourhood policing' });
		await link.waitFor();
		expect(await link.getAttribute('href')).toBe(`/boards/${board.id}`);
		await page.getByRole('status').filter({ hasText: 'Board Neighbourhood policing was added' }).waitFor();
		expect(await page.getByRole('status').filter({ hasText: 'was added' }).getAttribute('aria-live')).toBe('polite');

		// The board's counts are words and numbers.
		await api('POST', `/api/boards/${board.id}/actions`, { text: 'Publish officer numbers', owner: { name: 'Ann' }, due: '2020-01-01' });
		await api('PATCH', `/api/boards/${board.id}`, { description: 'Officers on the beat' });
		const card = page.getByRole('article', { name: 'Neighbourhood policing' });
		await card.getByText('Officers on the beat').waitFor();
		expect(await card.textContent()).toContain('1 overdue action');
		expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
		await context.close();
	});

	it('creates a mission and a board with the forms, without JavaScript', async () => {
		const context = await browser.newContext({ baseURL: server.url, javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto(`/login?token=${testAdminToken}`);
		await page.goto('/');
		await page.locator('summary', { hasText: 'New mission' }).click();
		await page.getByLabel('Mission title').fill('Kickstart growth');
		await page.getByRole('button', { name: 'Create mission' }).click();
		await page.getByRole('heading', { level: 2, name: 'Kickstart growth' }).waitFor();
		expect(await page.getByRole('status').filter({ hasText: 'Mission “Kickstart growth” created.' }).count()).toBe(1);

		const section = page.getByRole('region', { name: 'Kickstart growth' });
		await section.locator('summary', { hasText: 'Add a board' }).click();
		await section.getByLabel('Board name').fill('Planning reform');
		await section.getByRole('button', { name: 'Create board' }).click();
		await page.getByRole('link', { name: 'Planning reform' }).waitFor();

		// A blank title is refused with a message, and nothing is created.
		const missions = (await api('GET', '/api/missions')).missions.length;
		await page.locator('summary', { hasText: 'New mission' }).click();
		await page.getByLabel('Mission title').fill('   ');
		await page.getByRole('button', { name: 'Create mission' }).click();
		await page.getByRole('alert').filter({ hasText: 'Check the highlighted fields' }).waitFor();
		expect((await api('GET', '/api/missions')).missions.length).toBe(missions);
		await context.close();
	});

	it('loads the sample mission and removes it in one step', async () => {
		const fresh = await startTestServer();
		try {
			const { context, page } = await signedInContext(browser, fresh.url);
			await page.goto('/');
			await page.getByRole('heading', { name: 'No missions yet' }).waitFor();
			await page.getByRole('button', { name: 'Load the sample mission' }).click();
			await page.getByRole('heading', { name: 'The sample mission is loaded' }).waitFor();
			expect(await page.getByText('Sample', { exact: true }).count()).toBeGreaterThan(0);
			// The live workspace feed may redraw the page while the sample is still being written (one
			// board in): the second board follows within moments.
			await expect.poll(() => page.locator('article.board').count()).toBe(2);

			expect(await seriousViolations(page)).toEqual([]);

			await page.getByRole('button', { name: 'Remove the sample mission' }).click();
			await page.getByRole('heading', { name: 'No missions yet' }).waitFor();
			expect(await page.locator('article.board').count()).toBe(0);
			await context.close();
		} finally {
			await fresh.close();
		}
	});
});
