/**
 * Screenshots of every page, in light and dark, into docs/screenshots/pages/: seeds the sample
 * mission on a fresh server (the built app: `npm run build` first), signs in as the administrator
 * (a Missions Unit lead) and captures each page at 1440×900 and the wall's views at 1920×1080.
 *
 *   npm run screenshots            (or: node bench/screenshots.ts [--out <folder>] [--only <name-part>])
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../test/helpers/browser.ts';
import { startTestServer, testAdminToken, type TestServer } from '../test/helpers/server.ts';
import { api, createWallDisplay, setPlaylist } from '../test/wall-fixtures.ts';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'docs/screenshots/pages' }, only: { type: 'string' } } });
const out = values.out!;
const themes = ['light', 'dark'] as const;
type Theme = (typeof themes)[number];
const page1440 = { width: 1440, height: 900 };
const wall1080 = { width: 1920, height: 1080 };
const wallViews = ['summary', 'since', 'dependencies', 'blockers', 'actions', 'decisions', 'risks', 'map', 'map-red'] as const;

type Shot = { name: string; path: string; ready: (page: Page) => Promise<unknown>; signedOut?: boolean; fullPage?: boolean };

async function settle(page: Page): Promise<void> {
	await page.waitForLoadState('networkidle').catch(() => undefined);
	await page.evaluate(() => document.fonts.ready);
	await page.waitForTimeout(400);
}

async function main(): Promise<void> {
	await mkdir(out, { recursive: true });
	const server = await startTestServer();
	const browser = await launchBrowser();
	try {
		const seeded = await seed(server);
		// The wall first: while a meeting runs it follows the chair and shows only the chair's view.
		for (const theme of themes) {
			if (!values.only || 'wall'.includes(values.only) || values.only.startsWith('wall')) await captureWall(browser, server, theme, seeded);
		}
		const running = await api<{ meetingId: string }>(server, '/api/meetings', { body: { missionId: seeded.missionId, forum: 'Missions Board', boardId: seeded.boardId } });
		const shots = pages({ ...seeded, runningMeetingId: running.body.meetingId });
		for (const theme of themes) {
			for (const shot of shots) {
				if (values.only && !shot.name.includes(values.only)) continue;
				await capture(browser, server, theme, shot);
			}
		}
	} finally {
		await browser.close();
		await server.close();
	}
}

type Seeded = { missionId: string; boardId: string; pastMeetingId: string; dependencyRef: string; wallToken: string };
type Fixture = Seeded & { runningMeetingId: string };

async function seed(server: TestServer): Promise<Seeded> {
	const sample = await api<{ sample: { missionId: string; boardIds: string[] } }>(server, '/api/workspace/sample', { method: 'POST', body: {} });
	const { missionId, boardIds } = sample.body.sample;
	const boardId = boardIds[0]!;
	const dependencies = await api<{ records: Array<{ ref: string; rating: string | null }> }>(server, `/api/boards/${boardId}/dependencies`);
	const dependencyRef = (dependencies.body.records.find((record) => record.rating === 'red') ?? dependencies.body.records[0]!).ref;
	// A past meeting with a decision and an action, and one still running.
	const past = await api<{ meetingId: string }>(server, '/api/meetings', { body: { missionId, forum: 'Stocktake', boardId } });
	const pastMeetingId = past.body.meetingId;
	await api(server, `/api/meetings/${pastMeetingId}/records`, { body: { kind: 'decision', text: 'Reprofile 10% of the retrofit budget into next year', boardId } });
	await api(server, `/api/meetings/${pastMeetingId}/records`, { body: { kind: 'action', text: 'Send the revised cost model to HMT', owner: 'Hannah Reid', due: '2027-01-20', boardId } });
	await api(server, `/api/meetings/${pastMeetingId}/end`, { method: 'POST', body: {} });
	await setPlaylist(server, missionId, wallViews.map((view) => ({ view, seconds: 600 })));
	const { token } = await createWallDisplay(server, missionId);
	return { missionId, boardId, pastMeetingId, dependencyRef, wallToken: token };
}

function pages(f: Fixture): Shot[] {
	const heading = (page: Page) => page.locator('h1').first().waitFor();
	const board = (tab: string) => ({ name: `board-${tab}`, path: `/boards/${f.boardId}?tab=${tab}`, ready: (page: Page) => page.locator('[role="tabpanel"]').first().waitFor() });
	return [
		{ name: 'sign-in', path: '/login', ready: heading, signedOut: true },
		{ name: 'home', path: '/', ready: (page) => page.locator('[data-mission-header]').first().waitFor() },
		{ name: 'mission', path: `/missions/${f.missionId}`, ready: (page) => page.locator('[data-mission-header]').waitFor() },
		...['dependencies', 'blockers', 'actions', 'decisions', 'risks', 'assumptions', 'map', 'activity'].map(board),
		{ name: 'board-detail', path: `/boards/${f.boardId}?ref=${f.dependencyRef}`, ready: (page) => page.locator('aside.detail').waitFor() },
		{ name: 'portfolio', path: '/portfolio', ready: heading },
		{ name: 'meetings', path: '/meetings', ready: heading },
		{ name: 'meeting', path: `/meetings/${f.runningMeetingId}`, ready: heading },
		{ name: 'meeting-record', path: `/meetings/${f.pastMeetingId}`, ready: (page) => page.getByRole('heading', { name: 'Record of the meeting' }).waitFor() },
		{ name: 'settings', path: '/me', ready: heading },
		{ name: 'departments', path: '/departments', ready: heading },
		{ name: 'people', path: '/people', ready: heading },
		{ name: 'access-invites', path: '/access/invites', ready: heading },
		{ name: 'access-requests', path: '/access/requests', ready: heading },
		{ name: 'access-wall-displays', path: '/access/wall-displays', ready: heading },
		{ name: 'my-work', path: '/me/work', ready: heading },
		{ name: 'inbox', path: '/me/notifications', ready: heading },
		{ name: 'webhooks', path: `/missions/${f.missionId}/webhooks`, ready: heading },
		{ name: 'error', path: '/boards/brd_doesnotexist', ready: heading }
	];
}

async function capture(browser: Browser, server: TestServer, theme: Theme, shot: Shot): Promise<void> {
	const context = await browser.newContext({ baseURL: server.url, viewport: page1440, colorScheme: theme, reducedMotion: 'reduce', timezoneId: 'Europe/London', locale: 'en-GB' });
	try {
		const page = await context.newPage();
		if (!shot.signedOut) await page.goto(`/login?token=${encodeURIComponent(testAdminToken)}`);
		await page.goto(shot.path);
		await shot.ready(page);
		await settle(page);
		await writeFile(join(out, `${shot.name}-${theme}.png`), await page.screenshot());
		console.log(`${shot.name}-${theme}.png`);
	} catch (error) {
		console.error(`${shot.name}-${theme}: ${error instanceof Error ? error.message : String(error)}`);
		process.exitCode = 1;
	} finally {
		await context.close();
	}
}

/** The wall's views at 1920×1080, stepping through its playlist with the arrow key. */
async function captureWall(browser: Browser, server: TestServer, theme: Theme, f: Seeded): Promise<void> {
	const context = await browser.newContext({ baseURL: server.url, viewport: wall1080, colorScheme: theme, reducedMotion: 'reduce', timezoneId: 'Europe/London', locale: 'en-GB' });
	const page = await context.newPage();
	try {
		await page.goto(`/wall?token=${encodeURIComponent(f.wallToken)}`);
		await page.locator('.freshness-live').waitFor({ timeout: 30_000 });
		await page.locator('.loading').waitFor({ state: 'detached', timeout: 30_000 });
		for (const view of wallViews) {
			for (let i = 0; i < wallViews.length && (await page.locator('.wall').getAttribute('data-view')) !== view; i++) await page.keyboard.press('ArrowRight');
			if ((await page.locator('.wall').getAttribute('data-view')) !== view) throw new Error(`the wall did not move to the ${view} view`);
			if (view.startsWith('map')) await page.locator('.aggregated-map .map-svg, .aggregated-map .empty').first().waitFor({ timeout: 30_000 });
			await settle(page);
			await writeFile(join(out, `wall-${view}-${theme}.png`), await page.screenshot());
			console.log(`wall-${view}-${theme}.png`);
		}
	} catch (error) {
		console.error(`wall-${theme}: ${error instanceof Error ? error.message : String(error)}`);
		await writeFile(join(out, `failed-wall-${theme}.png`), await page.screenshot()).catch(() => undefined);
		process.exitCode = 1;
	} finally {
		await context.close();
	}
}

await main();
