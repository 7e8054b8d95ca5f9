/**
 * Meetings that leave a record, in real Chromium at 1440×900: a deep link to a meeting survives
 * signing in (and a `next` pointing off the site is ignored); ending a meeting asks first ("Keep it
 * going" keeps it running); the ended meeting's page is its record (who attended = who was
 * connected, the decisions and actions it recorded, what it did with the actions it inherited,
 * how long it lasted), linked from the meetings list; the running meeting's page has one <main>;
 * axe clean in both themes.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../helpers/axe.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { startTestServer, testAdminToken, type TestServer } from '../helpers/server.ts';
import { api } from '../wall-fixtures.ts';

describe('meetings that leave a record (Chromium)', () => {
	let server: TestServer;
	let browser: Browser;
	let missionId: string;
	let boardId: string;
	let firstMeetingId: string;
	let inheritedActionId: string;

	beforeAll(async () => {
		server = await startTestServer();
		browser = await launchBrowser();
		const sample = await api<{ sample: { missionId: string; boardIds: string[] } }>(server, '/api/workspace/sample', { method: 'POST', body: {} });
		missionId = sample.body.sample.missionId;
		boardId = sample.body.sample.boardIds[0]!;
		// An earlier Stocktake leaves an open action for the next one to review.
		const first = await api<{ meetingId: string }>(server, '/api/meetings', { body: { missionId, forum: 'Stocktake', boardId } });
		expect(first.status).toBe(201);
		firstMeetingId = first.body.meetingId;
		const action = await api<{ id: string }>(server, `/api/meetings/${firstMeetingId}/records`, { body: { kind: 'action', text: 'Send the revised cost model to HMT', owner: 'Hannah Reid', due: '2026-12-20', boardId } });
		expect(action.status).toBe(201);
		inheritedActionId = action.body.id;
		expect((await api(server, `/api/meetings/${firstMeetingId}/end`, { method: 'POST', body: {} })).status).toBe(200);
	}, 60_000);

	afterAll(async () => {
		await browser?.close();
		await server?.close();
	});

	async function signInThroughForm(page: Page): Promise<void> {
		await page.getByLabel('Token').fill(testAdminToken);
		await page.getByRole('button', { name: 'Sign in' }).click();
	}

	it('lands on the deep link after signing in, and never off the site', async () => {
		const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1440, height: 900 } });
		const page = await context.newPage();
		await page.goto(`/meetings/${firstMeetingId}`);
		await page.waitForURL((url) => url.pathname === '/login');
		expect(new URL(page.url()).searchParams.get('next')).toBe(`/meetings/${firstMeetingId}`);
		await signInThroughForm(page);
		await page.waitForURL((url) => url.pathname === `/meetings/${firstMeetingId}`);
		await page.getByRole('heading', { name: 'Record of the meeting' }).waitFor();
		await context.close();

		// The sign-in link keeps the deep link too; a `next` off the site lands on the home page.
		const linked = await browser.newContext({ baseURL: server.url });
		const linkPage = await linked.newPage();
		await linkPage.goto(`/login?token=${encodeURIComponent(testAdminToken)}&next=${encodeURIComponent(`/boards/${boardId}?ref=DEP-1`)}`);
		expect(new URL(linkPage.url()).pathname + new URL(linkPage.url()).search).toBe(`/boards/${boardId}?ref=DEP-1`);
		await linked.close();
		const evil = await browser.newContext({ baseURL: server.url });
		const evilPage = await evil.newPage();
		await evilPage.goto('/login?next=https%3A%2F%2Fevil.example%2F');
		await signInThroughForm(evilPage);
		await evilPage.waitForURL((url) => url.pathname === '/');
		expect(new URL(evilPage.url()).origin).toBe(server.url);
		await evil.close();
	}, 180_000);

	it('asks before ending a meeting, then shows the meeting\'s record, linked from the meetings list', async () => {
		const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1440, height: 900 } });
		const page = await context.newPage();
		await page.goto(`/login?token=${encodeURIComponent(testAdminToken)}`);
		await page.goto('/meetings');
		const mission = page.locator('section.mission').first();
		await mission.getByLabel('Forum').fill('Stocktake');
		await mission.getByRole('button', { name: 'Start a meeting' }).click();
		await page.waitForURL('**/meetings/mtg_*');
		const meetingId = new URL(page.url()).pathname.split('/').pop()!;
		await page.locator('.wall-frame .freshness-live').waitFor({ timeout: 20_000 });

		// The wall preview is a box inside the page's one <main>.
		expect(await page.locator('main').count()).toBe(1);
		expect(await page.locator('main main').count()).toBe(0);

		expect((await api(server, `/api/meetings/${meetingId}/reviews`, { body: { outcome: 'done', boardId, actionId: inheritedActionId } })).status).toBe(201);
		const decision = await api<{ ref: string }>(server, `/api/meetings/${meetingId}/records`, { body: { kind: 'decision', text: 'Reprofile 10% of the retrofit budget into next year', boardId } });
		expect(decision.status).toBe(201);
		const action = await api<{ ref: string }>(server, `/api/meetings/${meetingId}/records`, { body: { kind: 'action', text: 'Brief the minister on the reprofiling', owner: 'Ravi Kumar', due: '2026-12-11', boardId } });
		expect(action.status).toBe(201);

		// Ending asks first; "Keep it going" keeps it running.
		await page.getByRole('button', { name: 'End the meeting' }).click();
		await page.getByText('End the meeting for everyone?').waitFor();
		expect((await api<{ live: unknown }>(server, `/api/meetings/${meetingId}`)).body.live).not.toBeNull();
		expect(await seriousViolations(page)).toEqual([]);
		await page.getByRole('link', { name: 'Keep it going' }).click();
		await page.getByRole('button', { name: 'End the meeting' }).waitFor();
		expect((await api<{ live: unknown }>(server, `/api/meetings/${meetingId}`)).body.live).not.toBeNull();

		await page.getByRole('button', { name: 'End the meeting' }).click();
		await page.getByRole('button', { name: 'Yes, end the meeting' }).click();
		await page.getByRole('heading', { name: 'Record of the meeting' }).waitFor();
		expect((await api<{ live: unknown }>(server, `/api/meetings/${meetingId}`)).body.live).toBeNull();

		const record = page.locator('.meeting-record');
		const text = (await record.innerText()).replace(/\s+/g, ' ');
		expect(text).toMatch(/Held .+, \d\d:\d\d to \d\d:\d\d \(\d+ min\)/);
		expect(text).toContain('Attended (1) Administrator');
		expect(text).toContain(`Decisions recorded (1) ${decision.body.ref} Reprofile 10% of the retrofit budget into next year`);
		expect(text).toContain(`Actions recorded (1) ${action.body.ref} Brief the minister on the reprofiling · Ravi Kumar · due`);
		expect(text).toContain('Actions reviewed (1 of 1)');
		expect(text).toContain('Send the revised cost model to HMT · Hannah Reid · Done');
		expect(await record.getByRole('link', { name: decision.body.ref }).getAttribute('href')).toBe(`/boards/${boardId}?ref=${decision.body.ref}`);

		// The meetings list links to it.
		await page.goto('/meetings');
		await page.locator(`a[href="/meetings/${meetingId}"]`).click();
		await page.getByRole('heading', { name: 'Record of the meeting' }).waitFor();
		for (const scheme of ['light', 'dark'] as const) {
			await page.emulateMedia({ colorScheme: scheme });
			expect(await seriousViolations(page), scheme).toEqual([]);
		}
		await context.close();
	}, 300_000);
});
