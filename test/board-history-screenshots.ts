/**
 * Screenshots of the board's accountable record at 1440×900 on the sample mission, for
 * docs/history.md: a record's History section, the activity feed and the board as at a past
 * moment. Not a test. Run after `npm run build`:  node test/board-history-screenshots.ts
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './helpers/browser.ts';
import { startTestServer } from './helpers/server.ts';
import { loadSample, signIn, ukContext, waitForSync } from './browser/board-helpers.ts';
import { historyScenario } from './browser/history-scenario.ts';

const out = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
mkdirSync(out, { recursive: true });
const server = await startTestServer();
const browser = await launchBrowser();
try {
	const [boardId] = await loadSample(server.url);
	const beforePriya = new Date().toISOString();
	await new Promise((resolve) => setTimeout(resolve, 1_100));
	const scenario = await historyScenario(server, boardId!);
	const signedIn = await signIn(browser, server.url);
	const { page } = await ukContext(browser, server.url, signedIn);

	await page.goto(`/boards/${boardId}?ref=${scenario.dependency.ref}`);
	await waitForSync(page, ['live', 'saved']);
	await page.locator('.record-history [data-history-line]').first().waitFor();
	await page.locator('.record-history h3').evaluate((heading) => heading.scrollIntoView({ block: 'start' }));
	await page.waitForTimeout(300);
	await page.screenshot({ path: `${out}board-history-section.png` });

	await page.goto(`/boards/${boardId}?tab=activity`);
	await page.locator('#panel-activity [data-history-line]').first().waitFor();
	await page.waitForTimeout(300);
	await page.screenshot({ path: `${out}board-activity-feed.png` });

	if (process.argv.includes('--as-at')) {
		await page.goto(`/boards/${boardId}?asAt=${encodeURIComponent(beforePriya)}`);
		await page.locator('[data-as-at-banner]').waitFor();
		await page.locator('table[data-register] tbody tr').first().waitFor();
		await page.waitForTimeout(300);
		await page.screenshot({ path: `${out}board-as-at.png` });
	}
} finally {
	await browser.close();
	await server.close();
}
