/**
 * Screenshots of the board's accountable record at 1440×900 on the sample mission, for
 * docs/history.md: a record's History section, the activity feed and the board as at a past
 * moment. Not a test. Run after `npm run build`:  node test/board-history-screenshots.ts
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './helpers/browser.ts';
import { startTestServer } from './helpers/server.ts';
import { api, loadSample, signIn, ukContext, waitForSync } from './browser/board-helpers.ts';
import { historyScenario } from './browser/history-scenario.ts';

const out = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
mkdirSync(out, { recursive: true });
const server = await startTestServer();
const browser = await launchBrowser();
try {
	const [boardId] = await loadSample(server.url);
	const board = await api<{ missionId: string }>(server.url, 'GET', `/api/boards/${boardId}`);
	// A Missions Board meets and ends before Priya's changes: the as-at view shows the board at its end.
	const meeting = await api<{ meetingId: string }>(server.url, 'POST', '/api/meetings', { missionId: board.missionId, forum: 'Missions Board', boardId });
	await api(server.url, 'POST', `/api/meetings/${meeting.meetingId}/end`);
	await new Promise((resolve) => setTimeout(resolve, 1_100));
	const scenario = await historyScenario(server, boardId!);
	const signedIn = await signIn(browser, server.url);
	const { page } = await ukContext(browser, server.url, signedIn);

	await page.goto(`/boards/${boardId}?ref=${scenario.dependency.ref}`);
	await waitForSync(page, ['live', 'saved']);
	await page.locator('.record-history [data-history-line]').first().waitFor();
	await page.locator('.record-history h3').evaluate((heading) => {
		const body = heading.closest('.detail-body')!;
		body.scrollTop += heading.getBoundingClientRect().top - body.getBoundingClientRect().top - 8;
	});
	await page.waitForTimeout(300);
	await page.screenshot({ path: `${out}board-history-section.png` });

	await page.goto(`/boards/${boardId}?tab=activity`);
	await page.locator('#panel-activity [data-history-line]').first().waitFor();
	await page.waitForTimeout(300);
	await page.screenshot({ path: `${out}board-activity-feed.png` });

	// The board as at the end of the meeting, picked from the live board's "As at…" quick picks, DEP-1 open.
	await page.goto(`/boards/${boardId}`);
	await waitForSync(page, ['live', 'saved']);
	await page.getByText('As at…').click();
	await page.getByRole('link', { name: /^End of Missions Board/ }).click();
	await page.locator('[data-as-at-banner]').waitFor();
	await page.locator(`tr[data-ref="${scenario.dependency.ref}"] .ref-button`).click();
	await page.locator('.past-detail [data-history-line]').first().waitFor();
	await page.waitForTimeout(300);
	await page.screenshot({ path: `${out}board-as-at.png` });
} finally {
	await browser.close();
	await server.close();
}
