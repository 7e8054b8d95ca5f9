/**
 * The board as at a past moment, in Chromium: picked from the live board (the end of the mission's
 * last meeting), read through the API's `?asAt=` and never the live socket, read-only, with an
 * unmistakable banner and a way back to live; bad moments get plain answers. axe clean, light and dark.
 */
import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../helpers/axe.ts';
import { api, openBoard, useSampleBoard, waitForSync } from './board-helpers.ts';
import { historyScenario } from './history-scenario.ts';

describe('the board as at a past moment (Chromium)', () => {
	const fixture = useSampleBoard();
	const slowMs = 150_000;

	it('shows the board as it stood at the end of the last meeting, read-only, and leads back to live', async () => {
		const { server, boardId } = fixture;
		const board = await api<{ missionId: string }>(server.url, 'GET', `/api/boards/${boardId}`);
		const meeting = await api<{ meetingId: string }>(server.url, 'POST', '/api/meetings', { missionId: board.missionId, forum: 'Missions Board', boardId });
		const ended = await api<{ endedAt: number }>(server.url, 'POST', `/api/meetings/${meeting.meetingId}/end`);
		await new Promise((resolve) => setTimeout(resolve, 50));
		const scenario = await historyScenario(server, boardId);
		const ref = scenario.dependency.ref;

		const page = await fixture.page();
		await openBoard(page, boardId);
		await page.getByText('As at…').click();
		await page.getByRole('link', { name: /^End of Missions Board/ }).click();
		const banner = page.locator('[data-as-at-banner]');
		await banner.waitFor();
		const asAt = new URL(page.url()).searchParams.get('asAt')!;
		expect(Math.abs(Date.parse(asAt) - (ended.endedAt ?? Date.parse(asAt)))).toBeLessThan(1_000);
		expect(await banner.locator('.when').textContent()).toMatch(/As at \d\d:\d\d, \d{1,2} [A-Z][a-z]+ \d{4} — not live$/);

		// Before Priya's changes: Amber, the old forecast, no comment; her changes are not in its history.
		const row = page.locator(`.past-table tr[data-ref="${ref}"]`);
		await row.waitFor();
		expect(await row.textContent()).not.toContain('Red');
		await row.getByRole('button', { name: ref }).click();
		const detail = page.locator('.past-detail');
		await detail.locator('[data-history-line]').first().waitFor();
		expect(await detail.getByText('No comments then.').count()).toBe(1);
		expect(await detail.textContent()).not.toContain('Priya Shah (DfE)');
		expect(await detail.textContent()).not.toContain('A weekly extract');

		// Nothing can be edited: no fields outside the moment picker, no new record, nothing to drag.
		expect(await page.locator('.past-page :is(input, select, textarea):not(.as-at-picker *)').count()).toBe(0);
		expect(await page.locator('[contenteditable="true"], [draggable="true"]').count()).toBe(0);
		expect(await page.getByRole('button', { name: /^New / }).count()).toBe(0);
		expect(await seriousViolations(page)).toEqual([]);

		await page.getByRole('link', { name: 'Back to the live board' }).click();
		await waitForSync(page, ['live', 'saved']);
		expect(new URL(page.url()).searchParams.get('asAt')).toBeNull();
		expect(await page.locator('[data-as-at-banner]').count()).toBe(0);
	}, slowMs);

	it('reads the past through the API, never the live socket, and answers bad moments plainly', async () => {
		const { boardId } = fixture;
		const page = await fixture.page('dark');
		const sockets: string[] = [];
		page.on('websocket', (socket) => sockets.push(socket.url()));
		const moment = new Date(Date.now() - 1_000).toISOString();
		await page.goto(`/boards/${boardId}?asAt=${encodeURIComponent(moment)}`);
		await page.locator('.past-table tbody tr').first().waitFor();
		expect(sockets.filter((url) => url.includes('/yjs/'))).toEqual([]);
		expect(await seriousViolations(page)).toEqual([]);

		// A moment typed in the picker.
		await page.getByText('Show another moment').click();
		await page.getByLabel('Show the board as it stood at').fill('2020-01-01T09:00');
		await page.getByRole('button', { name: 'Show', exact: true }).click();
		await page.waitForURL(/asAt=2020-01-01/);
		await page.getByRole('alert').filter({ hasText: 'The board cannot be shown as at that moment' }).waitFor();
		expect(await page.getByRole('alert').textContent()).toContain('the board was created');

		await page.goto(`/boards/${boardId}?asAt=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}`);
		await page.getByRole('alert').filter({ hasText: 'in the future' }).waitFor();
		await page.goto(`/boards/${boardId}?asAt=yesterday-ish`);
		await page.getByText('“yesterday-ish” is not a date and time.').waitFor();
		expect(sockets.filter((url) => url.includes('/yjs/'))).toEqual([]);
	}, slowMs);
});
