/**
 * "Since the last Missions Board" in real Chromium, on the sample mission after a scripted
 * fortnight of changes: the wall view (large type, fits 1920×1080 and 3840×2160 without scrolling,
 * capped rows with "and N more", follows a live edit, axe clean) and the meeting page's opening
 * agenda item (grouped by kind, links to each record and its history, axe clean), and its empty state.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRating } from '../../src/lib/board/history.ts';
import { readBoard, validRecords } from '../../src/lib/board/board-doc.ts';
import { boardDocName } from '../../src/lib/protocol/doc-names.ts';
import { wallRows } from '../../src/lib/wall/wall-data.ts';
import { docClient } from '../access-fixture.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { startTestServer, testAdminToken, type TestServer } from '../helpers/server.ts';
import { api, changesSinceMeeting, createMission, createWallDisplay, setPlaylist, signedIn } from '../wall-fixtures.ts';

const counts = (page: Page) => page.locator('.since .counts').textContent();

describe('since the last Missions Board: the wall view and the meeting page (Chromium)', () => {
	let server: TestServer;
	let browser: Browser;
	let wall: Page;
	let missionId: string;
	let boardIds: string[];
	let scene: Awaited<ReturnType<typeof changesSinceMeeting>>;
	let displayToken: string;

	beforeAll(async () => {
		server = await startTestServer();
		browser = await launchBrowser();
		const sample = await api<{ sample: { missionId: string; boardIds: string[] } }>(server, '/api/workspace/sample', { method: 'POST', body: {} });
		({ missionId, boardIds } = sample.body.sample);
		scene = await changesSinceMeeting(server, missionId, boardIds[0]!);
		await setPlaylist(server, missionId, [
			{ view: 'since', seconds: 600 },
			{ view: 'summary', seconds: 600 }
		]);
		const display = await createWallDisplay(server, missionId);
		displayToken = display.token;
		const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, reducedMotion: 'reduce' });
		wall = await context.newPage();
		await wall.goto(`${server.url}/wall?token=${encodeURIComponent(display.token)}`);
		await wall.locator('.freshness-live').waitFor({ timeout: 10_000 });
		await wall.locator('.since .changes li').first().waitFor({ timeout: 10_000 });
	});

	afterAll(async () => {
		await browser?.close();
		await server?.close();
	});

	it('shows the changes since the last Missions Board in large type, bad news first, and says what it compares with', async () => {
		expect((await wall.locator('.wall h1').textContent())?.trim()).toBe('Since the last Missions Board');
		expect(await wall.locator('.since .as-at').textContent()).toMatch(/^Compared with the boards as at \d\d:\d\d, .+, when Missions Board — .+ ended$/);
		expect(await counts(wall)).toMatch(new RegExp(`^${scene.newReds} new reds · .*${scene.slips} slips · 1 escalation`));
		const tags = await wall.locator('.since .changes .tag').allTextContents();
		expect(tags[0]).toContain('New red');
		// Refs carry their board's initials: the sample mission has several boards.
		expect(await wall.locator('.since .changes .ref').first().textContent()).toMatch(/^[A-Z]{1,4}·DEP-\d+$/);
		// Read from across the room: the rows are at least 32 px at 1920×1080.
		const rowPx = await wall.locator('.since .changes').evaluate((element) => parseFloat(getComputedStyle(element).fontSize));
		expect(rowPx).toBeGreaterThanOrEqual(32);
		expect(await seriousViolations(wall)).toEqual([]);
	});

	it('caps the rows and counts the rest, and fits 1920×1080 and 3840×2160 without scrolling', async () => {
		const rows = await wall.locator('.since .changes li').count();
		const total = Number((await counts(wall))!.match(/\d+/g)!.reduce((sum, n) => sum + Number(n), 0));
		expect(total).toBeGreaterThan(wallRows.since);
		expect(rows).toBe(wallRows.since);
		expect(await wall.locator('.since .more').first().textContent()).toBe(`and ${total - rows} more on the meeting page`);
		// Each size opened afresh, as a kiosk opens it (Chromium does not carry a live resize of a
		// container-sized font down to every descendant's computed size).
		for (const viewport of [{ width: 1920, height: 1080 }, { width: 3840, height: 2160 }]) {
			const context = await browser.newContext({ viewport, reducedMotion: 'reduce' });
			try {
				const page = await context.newPage();
				await page.goto(`${server.url}/wall?token=${encodeURIComponent(displayToken)}`);
				await page.locator('.since .changes li').first().waitFor({ timeout: 10_000 });
				const fit = await page.evaluate(() => {
					const main = document.querySelector('.wall-main')!;
					const view = main.querySelector('.view')!;
					const list = document.querySelector('.since .changes')!;
					return {
						pageScrolls: document.documentElement.scrollHeight > window.innerHeight || document.documentElement.scrollWidth > window.innerWidth,
						clipped: view.scrollHeight > main.clientHeight + 1 || view.scrollWidth > main.clientWidth + 1,
						rowsOverflow: Array.from(list.querySelectorAll('li')).some((row) => row.scrollWidth > row.clientWidth + 1),
						rows: list.querySelectorAll('li').length
					};
				});
				expect(fit, `${viewport.width}×${viewport.height}`).toEqual({ pageScrolls: false, clipped: false, rowsOverflow: false, rows: wallRows.since });
				// Large type: rows of at least 32 px at 1080p, scaled with the screen.
				const rowPx = await page.locator('.since .changes').evaluate((element) => parseFloat(getComputedStyle(element).fontSize));
				expect(rowPx).toBeGreaterThanOrEqual((32 * viewport.width) / 1920);
				expect(await seriousViolations(page)).toEqual([]);
			} finally {
				await context.close();
			}
		}
	}, 180_000);

	it('follows a live edit without reloading', async () => {
		const before = await counts(wall);
		const reds = Number(before!.match(/^(\d+) new reds/)![1]);
		const client = docClient(server, boardDocName(boardIds[1]!), { token: testAdminToken });
		try {
			await client.synced;
			const target = validRecords(readBoard(client.doc).dependencies).find((d) => d.rating !== 'red' && d.rating !== 'amber_red' && !['delivered', 'cancelled'].includes(d.status));
			expect(target).toBeDefined();
			setRating(client.doc, target!.id, { rating: 'red', narrative: 'Supplier withdrew' }, { id: 'admin', name: 'Administrator' });
			await expect.poll(() => counts(wall), { timeout: 10_000 }).toMatch(new RegExp(`^${reds + 1} new reds`));
		} finally {
			client.destroy();
		}
	});

	it('opens the meeting page with what changed since the last Missions Board, grouped, linked to each record and its history', async () => {
		const { context, page } = await signedIn(browser, server.url, { width: 1440, height: 900 });
		try {
			const started = await api<{ meetingId: string }>(server, '/api/meetings', { body: { missionId, forum: 'Missions Board', boardId: boardIds[0] } });
			expect(started.status).toBe(201);
			await page.goto(`/meetings/${started.body.meetingId}`);
			const section = page.getByRole('region', { name: 'Since the last Missions Board' });
			await section.waitFor();
			expect(await section.locator('.counts').textContent()).toMatch(new RegExp(`^${scene.newReds + 1} new reds · .* on 2 of \\d boards\\.$`));
			const groups = await section.locator('h4').allTextContents();
			expect(groups.slice(0, 3).map((text) => text.replace(/ \(\d+\)$/, ''))).toEqual(['New reds', 'Dates slipped', 'Escalations']);
			expect(groups).toContain('Decisions made (1)');
			expect(groups).toContain('Actions re-planned (1)');
			expect(groups).toContain('Actions done (1)');
			const first = section.locator('.changes li').first();
			const ref = (await first.locator('a.ref').textContent())!;
			expect(await first.locator('a.ref').getAttribute('href')).toBe(`/boards/${boardIds[0]}?ref=${ref}`);
			expect(await first.getByRole('link', { name: `History of ${ref}` }).getAttribute('href')).toBe(`/boards/${boardIds[0]}?ref=${ref}#history`);
			expect(await seriousViolations(page)).toEqual([]);
			await api(server, `/api/meetings/${started.body.meetingId}/end`, { body: {} });
		} finally {
			await context.close();
		}
	}, 180_000);

	it('says so in words when nothing has changed', async () => {
		const quiet = await createMission(server);
		const first = await api<{ meetingId: string }>(server, '/api/meetings', { body: { missionId: quiet.missionId, forum: 'Missions Board' } });
		await api(server, `/api/meetings/${first.body.meetingId}/end`, { body: {} });
		const second = await api<{ meetingId: string }>(server, '/api/meetings', { body: { missionId: quiet.missionId, forum: 'Missions Board' } });
		const { context, page } = await signedIn(browser, server.url, { width: 1440, height: 900 });
		try {
			await page.goto(`/meetings/${second.body.meetingId}`);
			const section = page.getByRole('region', { name: 'Since the last Missions Board' });
			expect(await section.locator('.empty').textContent()).toBe('Nothing has changed on the board since then.');
			expect(await seriousViolations(page)).toEqual([]);
		} finally {
			await api(server, `/api/meetings/${second.body.meetingId}/end`, { body: {} });
			await context.close();
		}
	}, 180_000);
});
