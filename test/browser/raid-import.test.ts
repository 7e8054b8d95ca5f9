/**
 * The RAID import page in Chromium: the example workbook is previewed with its suggested mapping,
 * a column is re-mapped and previewed again, then everything is imported and shows on the board;
 * no serious axe violation. Set RAID_IMPORT_SCREENSHOTS=<folder> to keep screenshots.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signedInContext } from '../helpers/browser.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { api, loadSample } from './board-helpers.ts';

const example = fileURLToPath(new URL('../../docs/examples/raid-log.xlsx', import.meta.url));
const screenshots = process.env.RAID_IMPORT_SCREENSHOTS;

describe('RAID import page (Chromium)', () => {
	let server: TestServer;
	let browser: Browser;
	let boardId: string;

	beforeAll(async () => {
		server = await startTestServer();
		await loadSample(server.url);
		const mission = await api<{ id: string }>(server.url, 'POST', '/api/missions', { title: 'Childcare expansion' });
		boardId = (await api<{ id: string }>(server.url, 'POST', `/api/missions/${mission.id}/boards`, { title: 'Places and workforce' })).id;
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		await server?.close();
	});

	it('previews, re-maps, imports, and the records are on the board', { timeout: 180_000 }, async () => {
		const { context, page } = await signedInContext(browser, server.url);
		await page.goto(`/boards/${boardId}/import`);
		await page.setInputFiles('#import-file', example);
		await page.getByRole('button', { name: 'Preview' }).click();
		await page.getByRole('heading', { name: /Preview: raid-log.xlsx/ }).waitFor();
		expect(await page.getByRole('status').filter({ hasText: 'to create' }).textContent()).toMatch(/9 to create, 0 to update, 0 unchanged,\s*0 invalid/);
		expect(await page.locator('select[name="sheet.1.register"]').inputValue()).toBe('risks');
		expect(await seriousViolations(page)).toEqual([]);
		if (screenshots) await page.screenshot({ path: join(screenshots, 'raid-import-preview.png'), fullPage: true });

		// Leave the mitigations out, preview again: still nine rows, the mapping is what was chosen.
		await page.selectOption('#map-1-mitigations', '');
		await page.getByRole('button', { name: 'Preview again with this mapping' }).click();
		await page.getByText('as you set it').waitFor();
		expect(await page.locator('#map-1-mitigations').inputValue()).toBe('');
		await page.getByRole('button', { name: 'Import 9 rows' }).click();
		await page.getByRole('heading', { name: /Imported: raid-log.xlsx/ }).waitFor();
		const risks = await api<{ records: { title: string; mitigations: string }[] }>(server.url, 'GET', `/api/boards/${boardId}/risks`);
		expect(risks.records.map((r) => [r.title, r.mitigations])).toEqual([
			['Not enough early-years staff', ''],
			['Capital funding arrives late', ''],
			['Eligibility checker fails at peak', '']
		]);
		await page.goto(`/boards/${boardId}?tab=risks`);
		await page.locator('tr[data-ref="RSK-1"]').waitFor();
		if (screenshots) await page.screenshot({ path: join(screenshots, 'board-risks.png') });
		await context.close();
	});
});
