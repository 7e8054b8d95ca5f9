/**
 * The wall read from five metres, in real Chromium at 1920×1080 and 3840×2160 (each opened afresh,
 * as a kiosk is): every piece of text on the list views is at least 32 px at 1080p (64 px at 4K);
 * a long title wraps to two lines instead of being cut; refs carry their board's code; actions
 * come in two counted sections, "Overdue" and "Due this week", and risks in "Open risks" and
 * "Assumptions to validate"; and when the chair focuses a record
 * the wall shows it on a full-screen card (title, owners, rating with narrative, dates and slip,
 * the ask and who can clear it, linked records), axe clean.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../helpers/axe.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { api, connected, connectRoom, createWallDisplay, meetingOf, request, setPlaylist, type RoomClient } from '../wall-fixtures.ts';

type Listed<T> = { records: T[] };
type Blocker = { id: string; ref: string; title: string; ask: string; unblocker: string; status: string; links: unknown[]; blocks: unknown[] };
type Risk = { status: string; title: string };
type Dependency = { id: string; ref: string; title: string; narrative: string; rating: string | null; providerOwner: { name: string } };

const sizes = [
	{ width: 1920, height: 1080, minPx: 32 },
	{ width: 3840, height: 2160, minPx: 64 }
] as const;

const longTitle = 'Regional skills and employment data share between the Department for Work and Pensions and the combined authorities, with the quarterly refresh';

/** The smallest font size of any visible text in the wall (visually hidden text and the map's picture aside). */
function smallestText(page: Page): Promise<{ px: number; text: string }> {
	return page.evaluate(() => {
		let smallest = { px: Infinity, text: '' };
		const walker = document.createTreeWalker(document.querySelector('.wall')!, NodeFilter.SHOW_TEXT);
		for (let node = walker.nextNode(); node; node = walker.nextNode()) {
			const element = node.parentElement!;
			if (!node.textContent?.trim() || element.closest('.visually-hidden, svg, [inert]')) continue;
			const box = element.getBoundingClientRect();
			if (box.width === 0 || box.height === 0) continue;
			const px = parseFloat(getComputedStyle(element).fontSize);
			if (px < smallest.px) smallest = { px, text: node.textContent.trim().slice(0, 40) };
		}
		return smallest;
	});
}

async function showView(page: Page, view: string): Promise<void> {
	for (let i = 0; i < 10 && (await page.locator('.wall').getAttribute('data-view')) !== view; i++) {
		const before = await page.locator('.wall').getAttribute('data-view');
		await page.keyboard.press('ArrowRight');
		await expect.poll(() => page.locator('.wall').getAttribute('data-view'), { timeout: 10_000 }).not.toBe(before);
	}
	expect(await page.locator('.wall').getAttribute('data-view')).toBe(view);
}

describe('the wall is readable from five metres (Chromium, 1080p and 4K)', () => {
	let server: TestServer;
	let browser: Browser;
	let missionId: string;
	let boardIds: string[];
	let token: string;
	const pages: Page[] = [];
	let chair: RoomClient;

	beforeAll(async () => {
		server = await startTestServer();
		browser = await launchBrowser();
		const sample = await api<{ sample: { missionId: string; boardIds: string[] } }>(server, '/api/workspace/sample', { method: 'POST', body: {} });
		({ missionId, boardIds } = sample.body.sample);
		const departments = await api<{ departments: Array<{ id: string }> }>(server, '/api/departments');
		const [from, to] = departments.body.departments.map((department) => department.id);
		const created = await api(server, `/api/boards/${boardIds[0]}/dependencies`, {
			body: { title: longTitle, providerDepartment: from, providerOwner: { name: 'Tom Hughes' }, receiverDepartment: to, receiverOwner: { name: 'Aisha Bello' }, deliverable: 'The quarterly extract', neededBy: '2026-01-10', forecast: '2026-09-20', status: 'at_risk', rating: 'red', narrative: 'Awaiting the data protection impact assessment sign-off.' }
		});
		expect(created.status, JSON.stringify(created.body)).toBe(201);
		await setPlaylist(server, missionId, ['summary', 'dependencies', 'blockers', 'actions', 'decisions', 'since', 'risks'].map((view) => ({ view, seconds: 600 })));
		token = (await createWallDisplay(server, missionId)).token;
		for (const size of sizes) {
			const context = await browser.newContext({ viewport: { width: size.width, height: size.height }, reducedMotion: 'reduce' });
			const page = await context.newPage();
			await page.goto(`${server.url}/wall?token=${encodeURIComponent(token)}`);
			await page.locator('.freshness-live').waitFor({ timeout: 15_000 });
			await page.locator('.loading').waitFor({ state: 'detached', timeout: 15_000 });
			await page.keyboard.press('Space');
			pages.push(page);
		}
		chair = connectRoom(server);
		await connected(chair);
	}, 120_000);

	afterAll(async () => {
		chair?.close();
		await browser?.close();
		await server?.close();
	});

	it('shows every piece of text at 32 px or more at 1080p (64 px at 4K), on every list view, without scrolling or clipping', async () => {
		for (const [i, size] of sizes.entries()) {
			const page = pages[i]!;
			for (const view of ['summary', 'dependencies', 'blockers', 'actions', 'decisions', 'since', 'risks']) {
				await showView(page, view);
				if (view === 'since') await page.locator('.since .as-at').waitFor();
				const smallest = await smallestText(page);
				expect(smallest.px, `${view} at ${size.width}: "${smallest.text}"`).toBeGreaterThanOrEqual(size.minPx);
				const fit = await page.evaluate(() => {
					const main = document.querySelector('.wall-main')!;
					const view = main.querySelector('.view')!;
					return { pageScrolls: document.documentElement.scrollHeight > window.innerHeight, clipped: view.scrollHeight > main.clientHeight + 1 || view.scrollWidth > main.clientWidth + 1 };
				});
				expect(fit, `${view} at ${size.width}`).toEqual({ pageScrolls: false, clipped: false });
			}
		}
	}, 180_000);

	it('wraps a long title to two lines, and gives every ref its board code', async () => {
		for (const page of pages) {
			await showView(page, 'dependencies');
			const title = page.locator('.wall-table .clamp', { hasText: 'Regional skills and employment' });
			const lines = await title.evaluate((element) => element.getBoundingClientRect().height / parseFloat(getComputedStyle(element).lineHeight));
			expect(Math.round(lines)).toBe(2);
			const refs = await page.locator('.wall-main .ref').allTextContents();
			expect(refs.length).toBeGreaterThan(0);
			for (const ref of refs) expect(ref).toMatch(/^(MBD|RPB)·DEP-\d+$/);
		}
	});

	it('lists overdue actions and those due this week as two counted sections', async () => {
		const page = pages[0]!;
		await showView(page, 'summary');
		const overdue = Number(await page.locator('.stats div', { hasText: 'Overdue' }).locator('dd').textContent());
		const dueThisWeek = Number(await page.locator('.stats div', { hasText: 'Due this week' }).locator('dd').textContent());
		await showView(page, 'actions');
		const heads = (await page.locator('.section-head th').allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
		expect(heads[0]).toMatch(new RegExp(`^Overdue ${overdue}\\b`));
		expect(heads[1]).toMatch(new RegExp(`^Due this week ${dueThisWeek}\\b`));
		expect(overdue).toBeGreaterThan(0);
		for (const ref of await page.locator('.wall-main .ref').allTextContents()) expect(ref).toMatch(/^(MBD|RPB)·ACT-\d+$/);
	});

	it('lists the top open risks and the assumptions to validate as two counted sections', async () => {
		let openRisks = 0;
		for (const boardId of boardIds) {
			const risks = await api<Listed<Risk>>(server, `/api/boards/${boardId}/risks`);
			openRisks += risks.body.records.filter((risk) => risk.status !== 'accepted' && risk.status !== 'closed').length;
		}
		expect(openRisks).toBeGreaterThan(0);
		for (const [i, size] of sizes.entries()) {
			const page = pages[i]!;
			await showView(page, 'risks');
			expect((await page.locator('.wall h1').textContent())?.trim()).toBe('Top risks and assumptions to validate');
			const heads = (await page.locator('.section-head th').allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
			expect(heads[0]).toMatch(new RegExp(`^Open risks ${openRisks}\\b`));
			expect(heads[1]).toMatch(/^Assumptions to validate [1-9]\d*\b/);
			// Highest likelihood × impact first: the sample's "high × very high" probation risk (20).
			expect(await page.locator('.wall-table tbody tr:not(.section-head) .clamp').first().textContent()).toContain('probation officers');
			const refs = await page.locator('.wall-main .ref').allTextContents();
			expect(refs.some((ref) => /^(MBD|RPB)·RSK-\d+$/.test(ref))).toBe(true);
			expect(refs.some((ref) => /^(MBD|RPB)·ASM-\d+$/.test(ref))).toBe(true);
			const smallest = await smallestText(page);
			expect(smallest.px, `risks at ${size.width}: "${smallest.text}"`).toBeGreaterThanOrEqual(size.minPx);
			expect(await seriousViolations(page), `risks at ${size.width}`).toEqual([]);
		}
	});

	it('shows the record the chair focuses on a full-screen card, at 1080p and 4K, axe clean', async () => {
		const blockers = await api<Listed<Blocker>>(server, `/api/boards/${boardIds[0]}/blockers`);
		const blocker = blockers.body.records.find((record) => record.status === 'escalated' && record.ask && (record.links.length > 0 || record.blocks.length > 0)) ?? blockers.body.records.find((record) => record.status === 'escalated')!;
		await request(chair, 'meeting:join', { missionId });
		meetingOf(await request(chair, 'meeting:start', { missionId, forum: 'Missions Board', boardId: boardIds[0] }));
		meetingOf(await request(chair, 'meeting:focus', { missionId, view: 'blockers', focus: { boardId: boardIds[0], register: 'blockers', recordId: blocker.id } }));
		for (const [i, size] of sizes.entries()) {
			const page = pages[i]!;
			const card = page.locator('.focus-card');
			await card.waitFor({ timeout: 10_000 });
			await expect.poll(() => card.locator('h2').textContent()).toBe(blocker.title);
			const text = (await card.textContent()) ?? '';
			expect(text).toContain(blocker.ask);
			expect(text).toContain(blocker.unblocker);
			expect(text).toContain('Who can clear it');
			expect(text).toMatch(new RegExp(`(MBD|RPB)·${blocker.ref}`));
			if (blocker.links.length + blocker.blocks.length > 0) expect(await card.locator('.links li').count()).toBeGreaterThan(0);
			// Full screen: the card covers the whole space between the header and the footer.
			const [cardBox, mainBox] = await Promise.all([card.boundingBox(), page.locator('.wall-main').boundingBox()]);
			expect(cardBox).toEqual(mainBox);
			const smallest = await smallestText(page);
			expect(smallest.px, `focus card at ${size.width}: "${smallest.text}"`).toBeGreaterThanOrEqual(size.minPx);
			expect(await seriousViolations(page), `focus card at ${size.width}`).toEqual([]);
		}

		const dependencies = await api<Listed<Dependency>>(server, `/api/boards/${boardIds[0]}/dependencies`);
		const dependency = dependencies.body.records.find((record) => record.title === longTitle)!;
		meetingOf(await request(chair, 'meeting:focus', { missionId, view: 'dependencies', focus: { boardId: boardIds[0], register: 'dependencies', recordId: dependency.id } }));
		for (const page of pages) {
			const card = page.locator('.focus-card');
			await expect.poll(() => card.locator('h2').textContent()).toBe(longTitle);
			const text = (await card.textContent()) ?? '';
			expect(text).toContain('Red');
			expect(text).toContain(dependency.narrative);
			expect(text).toContain('Tom Hughes (provider)');
			expect(text).toContain('Aisha Bello (receiver)');
			expect(text).toContain('forecast 253 days after needed-by');
			expect(text).toContain('20 Sep');
		}

		meetingOf(await request(chair, 'meeting:focus', { missionId, view: 'dependencies', focus: null }));
		for (const page of pages) await page.locator('.focus-card').waitFor({ state: 'detached' });
		meetingOf(await request(chair, 'meeting:end', { missionId }));
	}, 120_000);
});
