/**
 * The wall's aggregated dependency map on a big mission, in real Chromium at 1920×1080: 2,000
 * dependencies added to the sample mission draw as one arrow per department pair, each with its
 * count and worst rating; the counts add up to the open dependencies; labels are at least the
 * wall's body size (32 px) on screen; "red and late only" counts exactly what the red-and-late
 * view lists; a table lists every route ("use the table"); and while the map is shown and the
 * boards keep changing, the freshness indicator never leaves "Live" (the layout runs in a Web
 * Worker), and no main-thread task from page load on lasts `longestTaskBoundMs` (the boards are
 * synced and read in a worker too: see docs/performance.md). Each arrow is reachable by keyboard,
 * named in words, and Enter lists its route's dependencies.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecords } from '../../src/lib/board/board-doc.ts';
import { isDependencyOpen } from '../../src/lib/board/derived.ts';
import { boardDocName } from '../../src/lib/protocol/doc-names.ts';
import type { CreateInput, DependencyRecord } from '../../src/lib/protocol/records.ts';
import { adminPrincipal } from '../../server/auth/principal.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { api, createWallDisplay, setPlaylist } from '../wall-fixtures.ts';

const added = 2_000;
/**
 * The longest main-thread task allowed (PerformanceObserver 'longtask', from page load on). With the
 * boards decoded and read on the main thread it was 5.8–8.9 s on the loaded test machine; with
 * them in a worker it is the page's start-up and one render of the views (measured in
 * docs/performance.md). Loose enough for a machine at load 20, tight enough that decoding a board
 * on the main thread again fails it.
 */
const longestTaskBoundMs = 4_000;
const ratings = ['green', 'amber', 'red', null] as const;

/** `added` dependencies between the sample's departments, a spread of ratings and dates. */
function bigMission(departmentIds: string[]): CreateInput<'dependencies'>[] {
	const n = departmentIds.length;
	return Array.from({ length: added }, (_, i) => ({
		title: `Data feed ${i + 1} for workstream ${i % 40}`,
		providerDepartment: departmentIds[i % n]!,
		providerOwner: { name: 'Tom Hughes' },
		receiverDepartment: departmentIds[(i + 1 + (i % (n - 1))) % n]!,
		receiverOwner: { name: 'Aisha Bello' },
		deliverable: 'Monthly extract',
		neededBy: `2027-0${1 + (i % 6)}-15`,
		forecast: `2027-0${1 + ((i + 2) % 6)}-15`,
		status: i % 9 === 0 ? 'delivered' : 'agreed',
		rating: ratings[i % ratings.length]!
	}));
}

async function showView(page: Page, view: string): Promise<void> {
	for (let i = 0; i < 5 && (await page.locator('.wall').getAttribute('data-view')) !== view; i++) {
		const before = await page.locator('.wall').getAttribute('data-view');
		await page.keyboard.press('ArrowRight');
		await expect.poll(() => page.locator('.wall').getAttribute('data-view'), { timeout: 10_000 }).not.toBe(before);
	}
	expect(await page.locator('.wall').getAttribute('data-view')).toBe(view);
}

describe('the aggregated dependency map of a big mission (Chromium, 1920×1080)', () => {
	let server: TestServer;
	let browser: Browser;
	let page: Page;
	let boardIds: string[];
	let departmentIds: string[];

	beforeAll(async () => {
		server = await startTestServer();
		browser = await launchBrowser();
		const sample = await api<{ sample: { missionId: string; boardIds: string[] } }>(server, '/api/workspace/sample', { method: 'POST', body: {} });
		const missionId = sample.body.sample.missionId;
		boardIds = sample.body.sample.boardIds;
		const departments = await api<{ departments: Array<{ id: string }> }>(server, '/api/departments');
		departmentIds = departments.body.departments.map((department) => department.id);
		await setPlaylist(server, missionId, ['dependencies', 'map', 'map-red'].map((view) => ({ view, seconds: 600 })));
		const { token } = await createWallDisplay(server, missionId);
		// In batches of 500: each is one update the hub stores and the ledger attributes.
		const inputs = bigMission(departmentIds);
		for (let i = 0; i < inputs.length; i += 500) {
			await server.backend.hub.transact(boardDocName(boardIds[0]!), adminPrincipal, (doc) => {
				createRecords(doc, 'dependencies', inputs.slice(i, i + 500), { name: 'Administrator' });
			});
		}
		// The writes held the server's event loop for seconds: its keep-alive timers fire late and
		// close the test's pooled HTTP connections. Let them close before the next request.
		await new Promise((resolve) => setTimeout(resolve, 6_000));
		const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, reducedMotion: 'reduce' });
		page = await context.newPage();
		await page.addInitScript(() => {
			const w = window as unknown as { longestTaskMs: number };
			w.longestTaskMs = 0;
			new PerformanceObserver((list) => {
				for (const entry of list.getEntries()) w.longestTaskMs = Math.max(w.longestTaskMs, entry.duration);
			}).observe({ type: 'longtask', buffered: true });
		});
		await page.goto(`${server.url}/wall?token=${encodeURIComponent(token)}`);
		await page.locator('.freshness-live').waitFor({ timeout: 30_000 });
		await page.locator('.loading').waitFor({ state: 'detached', timeout: 90_000 });
		await page.keyboard.press('Space');
	}, 180_000);

	afterAll(async () => {
		await browser?.close();
		await server?.close();
	});

	async function openDependencies(): Promise<DependencyRecord[]> {
		const all: DependencyRecord[] = [];
		for (const boardId of boardIds) all.push(...(await api<{ records: DependencyRecord[] }>(server, `/api/boards/${boardId}/dependencies`)).body.records);
		return all.filter((record) => !record.archived && isDependencyOpen(record));
	}

	it('draws one arrow per department pair, whose counts add up to the open dependencies, with labels at least 32 px', async () => {
		await showView(page, 'map');
		await page.locator('.aggregated-map .edge').first().waitFor({ timeout: 30_000 });
		const open = await openDependencies();
		expect(open.length).toBeGreaterThan(added / 2);
		const pairs = new Set(open.map((record) => `${record.providerDepartment}→${record.receiverDepartment}`));
		await expect.poll(() => page.locator('.aggregated-map .edge').count(), { timeout: 10_000 }).toBe(pairs.size);
		const counts = await page.locator('.aggregated-map .edge').evaluateAll((edges) => edges.map((edge) => Number(edge.getAttribute('data-count'))));
		expect(counts.reduce((sum, count) => sum + count, 0)).toBe(open.length);
		const worst = await page.locator('.aggregated-map .edge').evaluateAll((edges) => edges.map((edge) => edge.getAttribute('data-worst')));
		expect(worst.filter((level) => level === 'red').length).toBeGreaterThan(0);

		const labelPx = await page.locator('.aggregated-map .edge-label text').evaluateAll((texts) =>
			texts.map((text) => Number(text.getAttribute('font-size')) * (text as SVGGraphicsElement).getScreenCTM()!.a)
		);
		expect(labelPx.length).toBe(pairs.size);
		expect(Math.min(...labelPx)).toBeGreaterThanOrEqual(32);

		const table = page.locator('.aggregated-map table');
		expect(await table.locator('tbody tr').count()).toBe(pairs.size);
		expect(await page.locator('.aggregated-map svg title').textContent()).toContain('every route is also in the table that follows');
	}, 120_000);

	it('stays "Live" while the map is shown and the boards keep changing', async () => {
		await showView(page, 'map');
		const statuses = new Set<string>();
		const open = await openDependencies();
		const moving = open.find((record) => record.title.startsWith('Data feed'))!;
		const before = await page.locator('.aggregated-map .edge').count();
		for (let i = 0; i < 12; i++) {
			// Each edit moves a dependency to another department pair: the counts change and the map is laid out again.
			const receiver = departmentIds[(i % (departmentIds.length - 1)) + 1]!;
			const provider = receiver === departmentIds[0] ? departmentIds[1]! : departmentIds[0]!;
			const { status } = await api(server, `/api/boards/${boardIds[0]}/dependencies/${moving.ref}`, { method: 'PATCH', body: { providerDepartment: provider, receiverDepartment: receiver } });
			expect(status).toBe(200);
			for (let j = 0; j < 4; j++) {
				statuses.add((await page.locator('.wall').getAttribute('data-status')) ?? 'none');
				await page.waitForTimeout(250);
			}
		}
		expect([...statuses]).toEqual(['live']);
		expect(await page.locator('.aggregated-map .edge').count()).toBeGreaterThanOrEqual(before - 1);
		const longest = await page.evaluate(() => (window as unknown as { longestTaskMs: number }).longestTaskMs);
		console.log(`wall map, ${added} added dependencies: longest main-thread task ${Math.round(longest)} ms`);
		expect(longest).toBeLessThan(longestTaskBoundMs);
	}, 120_000);

	it('"red and late only" counts exactly the dependencies the red-and-late view lists', async () => {
		await showView(page, 'dependencies');
		const line = (await page.locator('.count-line').textContent()) ?? '';
		const listed = Number(/^(\d+)/.exec(line)?.[1]);
		expect(listed).toBeGreaterThan(0);
		await showView(page, 'map-red');
		await page.locator('.aggregated-map[data-mode="red-late"] .edge').first().waitFor({ timeout: 30_000 });
		await expect
			.poll(async () => (await page.locator('.aggregated-map .edge').evaluateAll((edges) => edges.map((edge) => Number(edge.getAttribute('data-count'))))).reduce((sum, count) => sum + count, 0), { timeout: 10_000 })
			.toBe(listed);
		expect(await page.locator('.wall').getAttribute('data-status')).toBe('live');
	}, 120_000);

	it('reaches each arrow by keyboard, names it in words, and lists its dependencies on Enter', async () => {
		await showView(page, 'map');
		await page.locator('.aggregated-map .edge').first().waitFor({ timeout: 30_000 });
		const edges = await page.locator('.aggregated-map .edge').count();
		const reached = new Set<string>();
		await page.locator('body').focus();
		for (let i = 0; i < edges + 5 && reached.size < edges; i++) {
			await page.keyboard.press('Tab');
			const pair = await page.evaluate(() => document.activeElement?.closest('.aggregated-map .edge')?.getAttribute('data-pair') ?? null);
			if (pair) reached.add(pair);
		}
		expect(reached.size).toBe(edges);
		const edge = page.locator('.aggregated-map .edge[data-worst="red"]').first();
		const name = (await edge.getAttribute('aria-label'))!;
		const count = Number(await edge.getAttribute('data-count'));
		expect(name).toMatch(new RegExp(`^\\S+ → \\S+: ${count} dependenc(y|ies), worst Red`));
		await edge.focus();
		const viewBefore = await page.locator('.wall').getAttribute('data-view');
		await page.keyboard.press('Enter');
		const list = page.locator('.aggregated-map .route-list');
		await list.waitFor();
		expect(await list.locator('h2').textContent()).toBe(name);
		expect(await list.locator('li:not(.more)').count()).toBe(Math.min(count, 12));
		expect(await edge.getAttribute('aria-expanded')).toBe('true');
		// Keys meant for the arrow never reach the wall (Space would pause it, arrows change view).
		expect(await page.locator('.wall').getAttribute('data-view')).toBe(viewBefore);
		await page.keyboard.press('Escape');
		await list.waitFor({ state: 'detached' });
		expect(await page.evaluate(() => document.activeElement?.closest('.aggregated-map .edge')?.getAttribute('data-pair') ?? null)).toBe(await edge.getAttribute('data-pair'));
		expect(await seriousViolations(page)).toEqual([]);
	}, 120_000);
});
