/**
 * The wall in real Chromium with a wall-display token: it shows a record created through the API;
 * when the server stops it says "reconnecting" and, past the threshold (shortened to 3 s through
 * the URL), shows the full-screen "not live since" banner; when the server is back it recovers by
 * itself and shows an edit made while it was away.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createRecord } from '../../src/lib/board/board-doc.ts';
import { boardDocName } from '../../src/lib/protocol/doc-names.ts';
import { createStore } from '../../server/store/index.ts';
import { eventually } from '../helpers/clients.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { startTestServer, tempDir, type TestServer } from '../helpers/server.ts';
import { api, createMission, createWallDisplay, lateDependency, setPlaylist, type MissionFixture } from '../wall-fixtures.ts';

/** Writes a record into a board document the way any program holding the store could, with the server down. */
async function editWhileDown(dataDir: string, boardId: string, input: ReturnType<typeof lateDependency>): Promise<void> {
	const store = await createStore({ dataDir });
	try {
		const name = boardDocName(boardId);
		const doc = new Y.Doc();
		for (const update of (await store.loadDoc(name)).updates) Y.applyUpdate(doc, update);
		const before = Y.encodeStateVector(doc);
		createRecord(doc, 'dependencies', input as never, { name: 'Overnight import' });
		await store.appendUpdates(name, [{ update: Y.encodeStateAsUpdate(doc, before), meta: { by: 'script', at: Date.now() } }]);
	} finally {
		await store.close();
	}
}

const indicator = async (page: Page) => (await page.locator('.freshness').textContent())?.trim();

describe('the wall stays honest about freshness and recovers by itself (Chromium)', () => {
	const data = tempDir();
	let server: TestServer;
	let browser: Browser;
	let mission: MissionFixture;
	let page: Page;

	beforeAll(async () => {
		server = await startTestServer({ dataDir: data.path });
		browser = await launchBrowser();
		mission = await createMission(server);
		await setPlaylist(server, mission.missionId, [{ view: 'dependencies', seconds: 600 }]);
	});

	afterAll(async () => {
		await browser?.close();
		await server?.close();
		data.remove();
	});

	it('opens with the display link, keeps no token in the address, and shows a record created through the API', async () => {
		const display = await createWallDisplay(server, mission.missionId);
		const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
		page = await context.newPage();
		await page.goto(`${server.url}/wall?token=${encodeURIComponent(display.token)}&staleAfter=3`);
		expect(new URL(page.url()).pathname).toBe('/wall');
		expect(page.url()).not.toContain('token=');
		await expect.poll(() => indicator(page), { timeout: 10_000 }).toContain('Live');

		const created = await api<{ ref: string }>(server, `/api/boards/${mission.boardIds[0]}/dependencies`, { body: lateDependency('Childcare eligibility data share', mission.departmentIds) });
		expect(created.status).toBe(201);
		await expect.poll(() => page.locator('main').textContent(), { timeout: 10_000 }).toContain('Childcare eligibility data share');
		expect(await page.locator('h1').textContent()).toBe('Red and late dependencies');
		// Live for longer than the (shortened) threshold: heartbeats keep it live, no banner.
		await page.waitForTimeout(4_500);
		expect(await indicator(page)).toBe('Live');
		expect(await page.locator('.stale').count()).toBe(0);
	});

	it('says reconnecting when the server stops, then the banner after the threshold; recovers and shows what changed meanwhile', async () => {
		const port = server.port;
		await server.close();
		await expect.poll(() => indicator(page), { timeout: 10_000 }).toMatch(/Reconnecting… · as at \d\d:\d\d/);
		await page.getByRole('alert').filter({ hasText: 'Not live since' }).waitFor({ timeout: 10_000 });
		expect(await page.locator('.stale').textContent()).toMatch(/Not live since \d\d:\d\d/);
		// Still the wall, never a login page.
		expect(new URL(page.url()).pathname).toBe('/wall');

		await editWhileDown(data.path, mission.boardIds[0]!, lateDependency('Prison capacity projections', mission.departmentIds));
		server = await startTestServer({ dataDir: data.path, env: { PORT: String(port) } });

		await expect.poll(() => indicator(page), { timeout: 30_000 }).toBe('Live');
		await expect.poll(() => page.locator('.stale').count(), { timeout: 5_000 }).toBe(0);
		await expect.poll(() => page.locator('main').textContent(), { timeout: 10_000 }).toContain('Prison capacity projections');
		expect(await page.locator('main').textContent()).toContain('Childcare eligibility data share');
		expect(new URL(page.url()).pathname).toBe('/wall');
	});

	it('still follows the server after it came back: a new edit arrives live', async () => {
		await api(server, `/api/boards/${mission.boardIds[0]}/dependencies`, { body: lateDependency('Charge-point grid forecast', mission.departmentIds) });
		await eventually(async () => expect(await page.locator('main').textContent()).toContain('Charge-point grid forecast'), 10_000);
	});
});
