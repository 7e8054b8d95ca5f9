/**
 * Screenshots of the wall's views at 1920×1080 on the sample mission, for docs/wall.md:
 * docs/screenshots/wall-<view>.png (after a scripted fortnight of changes since the last
 * Missions Board), plus the chair's focus, the stale banner, the revoked screen, the chair's page
 * and the meeting page's "Since the last Missions Board" item at 1440×900, the confirmation before
 * ending a meeting and the ended meeting's record (light and dark); the summary and red-and-late
 * views at 3840×2160 (wall-4k-*.png). Not a test. Run after `npx vite build`:  node test/wall-screenshots.ts
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { wallViews } from '../src/lib/protocol/meeting.ts';
import { launchBrowser } from './helpers/browser.ts';
import { startTestServer, tempDir } from './helpers/server.ts';
import { api, changesSinceMeeting, createWallDisplay, revokeWallDisplay, signedIn } from './wall-fixtures.ts';

const out = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
mkdirSync(out, { recursive: true });
const data = tempDir();
let server = await startTestServer({ dataDir: data.path });
const browser = await launchBrowser();
try {
	const sample = await api<{ sample: { missionId: string; boardIds: string[] } }>(server, '/api/workspace/sample', { method: 'POST', body: {} });
	const missionId = sample.body.sample.missionId;
	await changesSinceMeeting(server, missionId, sample.body.sample.boardIds[0]!);
	const display = await createWallDisplay(server, missionId, 'Room 4.12 wall');
	const wallContext = await browser.newContext({ viewport: { width: 1920, height: 1080 }, reducedMotion: 'reduce' });
	const wall = await wallContext.newPage();
	await wall.goto(`${server.url}/wall?token=${encodeURIComponent(display.token)}&staleAfter=3`);
	await wall.locator('.freshness-live').waitFor();
	await wall.locator('.loading').waitFor({ state: 'detached' });
	await wall.keyboard.press('Space');
	await wall.waitForTimeout(300);
	for (const view of wallViews) {
		await wall.waitForFunction((expected) => document.querySelector('.wall')?.getAttribute('data-view') === expected, view);
		await wall.waitForTimeout(400);
		if (view === 'since') await wall.locator('.since .changes').waitFor();
		if (view === 'map' || view === 'map-red') await wall.locator('.aggregated-map svg').waitFor();
		await wall.screenshot({ path: `${out}wall-${view}.png` });
		await wall.keyboard.press('ArrowRight');
	}

	// The same wall on a 4K screen: the same picture, twice the pixels.
	const wall4k = await (await browser.newContext({ viewport: { width: 3840, height: 2160 }, reducedMotion: 'reduce' })).newPage();
	await wall4k.goto(`${server.url}/wall?token=${encodeURIComponent(display.token)}`);
	await wall4k.locator('.freshness-live').waitFor();
	await wall4k.locator('.loading').waitFor({ state: 'detached' });
	await wall4k.keyboard.press('Space');
	for (const view of ['summary', 'dependencies']) {
		await wall4k.waitForFunction((expected) => document.querySelector('.wall')?.getAttribute('data-view') === expected, view);
		await wall4k.waitForTimeout(400);
		await wall4k.screenshot({ path: `${out}wall-4k-${view}.png` });
		await wall4k.keyboard.press('ArrowRight');
		if (view === 'summary') await wall4k.keyboard.press('ArrowRight');
	}
	await wall4k.context().close();

	// The chair focuses a record: the wall follows, with the record on a full-screen card.
	const { page: chair } = await signedIn(browser, server.url, { width: 1600, height: 1000 });
	await chair.goto('/meetings');
	await chair.getByRole('button', { name: 'Start a meeting' }).click();
	await chair.waitForURL('**/meetings/mtg_*');
	await chair.getByRole('button', { name: 'Escalated blockers' }).click();
	const focus = chair.getByRole('combobox', { name: 'In focus' });
	await focus.locator('option').nth(2).waitFor({ state: 'attached' });
	await focus.selectOption({ index: 2 });
	await wall.locator('.focus-card').waitFor();
	await wall.waitForTimeout(400);
	await wall.screenshot({ path: `${out}wall-meeting-focus.png` });
	await chair.getByRole('textbox', { name: /What was decided/ }).fill('Reprofile up to 10% of the retrofit budget into next year');
	await chair.getByRole('textbox', { name: /What was decided/ }).press('Control+Enter');
	await chair.getByText('Just recorded').waitFor();
	await chair.waitForTimeout(600);
	await chair.screenshot({ path: `${out}wall-chair-page.png`, fullPage: true });
	await chair.setViewportSize({ width: 1440, height: 900 });
	await chair.locator('#since-title').scrollIntoViewIfNeeded();
	await chair.evaluate(() => document.querySelector('#since-title')!.closest('section')!.scrollIntoView({ block: 'start' }));
	await chair.waitForTimeout(200);
	await chair.screenshot({ path: `${out}meeting-since.png` });

	// Ending asks first; the ended meeting's page is its record (both themes).
	await chair.evaluate(() => window.scrollTo(0, 0));
	await chair.getByRole('button', { name: 'End the meeting' }).click();
	await chair.getByText('End the meeting for everyone?').waitFor();
	await chair.screenshot({ path: `${out}meeting-end-confirm.png` });
	await chair.getByRole('button', { name: 'Yes, end the meeting' }).click();
	await chair.getByRole('heading', { name: 'Record of the meeting' }).waitFor();
	for (const scheme of ['light', 'dark'] as const) {
		await chair.emulateMedia({ colorScheme: scheme });
		await chair.waitForTimeout(300);
		await chair.screenshot({ path: `${out}meeting-record-${scheme}.png` });
	}
	await chair.emulateMedia({ colorScheme: 'light' });

	// The server goes away: reconnecting, then the banner.
	const port = server.port;
	await server.close();
	await wall.locator('.stale').waitFor({ timeout: 15_000 });
	await wall.screenshot({ path: `${out}wall-stale-banner.png` });
	server = await startTestServer({ dataDir: data.path, env: { PORT: String(port) } });
	await wall.locator('.freshness-live').waitFor({ timeout: 30_000 });

	// Revoked while showing.
	await revokeWallDisplay(server, display.id);
	await wall.getByRole('alert').filter({ hasText: 'revoked' }).waitFor();
	await wall.screenshot({ path: `${out}wall-revoked.png` });
	console.log(`screenshots written to ${out}`);
} finally {
	await browser.close();
	await server.close();
	data.remove();
}
