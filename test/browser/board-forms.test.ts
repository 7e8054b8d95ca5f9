/**
 * Forms that help, in Chromium: errors in plain words next to the field (GOV.UK style), the typed
 * text kept when it cannot be saved, date warnings and refusals, a dependency between two different
 * departments, and a saved state that does not claim "saved" while a field holds text not yet saved.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, isoDateAt } from '#lib/board/dates.ts';
import type { TestServer } from '../helpers/server.ts';
import { api, openBoard, useSampleBoard } from './board-helpers.ts';

type Dependency = { ref: string; title: string; neededBy: string | null; providerDepartment: string; receiverDepartment: string };

describe('board forms (Chromium)', () => {
	const fixture = useSampleBoard();
	let server: TestServer;
	let boardId: string;
	beforeAll(() => ({ server, boardId } = fixture));

	const stored = (ref: string) => api<Dependency>(server.url, 'GET', `/api/boards/${boardId}/dependencies/${ref}`);
	const openDependency = async (page: Page, ref: string) => {
		await openBoard(page, boardId, `?ref=${ref}`);
		await page.locator('.detail .signal').waitFor();
		return page.locator('.detail');
	};

	it('says what is wrong with a title next to it, keeps what was typed, and does not claim it is saved', { timeout: 60_000 }, async () => {
		const page = await fixture.page();
		const detail = await openDependency(page, 'DEP-1');
		const before = (await stored('DEP-1')).title;
		const title = detail.getByLabel('Title', { exact: true });

		await title.fill('A half-typed title');
		expect(await page.locator('[data-sync-state]').textContent()).toContain('Not saved yet');

		await title.fill('');
		await title.press('Enter');
		await detail.getByText('Error: Enter a title').waitFor();
		expect(await title.getAttribute('aria-invalid')).toBe('true');
		expect(await title.inputValue()).toBe('');

		const long = 'x'.repeat(201);
		await title.fill(long);
		await title.press('Tab');
		await detail.getByText('Error: The title must be 200 characters or fewer (it is 201)').waitFor();
		expect(await title.inputValue()).toBe(long);
		// Refused, so still not saved: the indicator says so, and the record is as it was.
		await expect.poll(() => page.locator('[data-sync-state]').textContent()).toContain('Not saved yet');
		expect((await stored('DEP-1')).title).toBe(before);

		await title.fill('Housing capital settlement, agreed');
		await title.press('Enter');
		await expect.poll(async () => (await stored('DEP-1')).title).toBe('Housing capital settlement, agreed');
		expect(await detail.locator('.field-error').count()).toBe(0);
		await expect.poll(() => page.locator('[data-sync-state]').textContent()).not.toContain('Not saved yet');
	});

	it('refuses the same department on both sides, next to the field, and warns about a past date', { timeout: 60_000 }, async () => {
		const page = await fixture.page();
		const detail = await openDependency(page, 'DEP-2');
		const before = await stored('DEP-2');
		await detail.getByLabel('Receiver (needs it)').selectOption(before.providerDepartment);
		await detail.getByText('Error: The receiving department must be different from the providing department').waitFor();
		expect((await stored('DEP-2')).receiverDepartment).toBe(before.receiverDepartment);

		const needed = detail.getByLabel('Needed by (receiver)');
		const past = addDays(isoDateAt(Date.now()), -3);
		await needed.fill(past);
		await needed.press('Tab');
		await expect.poll(async () => (await stored('DEP-2')).neededBy).toBe(past);
		await detail.locator('[id$="-needed-warning"]', { hasText: 'Warning: This date is in the past: check it is right' }).waitFor();

		await needed.fill('1999-12-31');
		await needed.press('Tab');
		await detail.locator('[id$="-needed-error"]', { hasText: 'Error: Enter a date between 1 January 2000 and 31 December 2099' }).waitFor();
		expect(await needed.inputValue()).toBe('1999-12-31');
		expect((await stored('DEP-2')).neededBy).toBe(past);
	});

	it('shows one field per idea: no third owner on a dependency, no separate title on an action', { timeout: 60_000 }, async () => {
		const page = await fixture.page();
		const detail = await openDependency(page, 'DEP-3');
		expect(await detail.getByLabel('Provider owner', { exact: true }).count()).toBe(1);
		expect(await detail.getByLabel('Owner', { exact: true }).count()).toBe(0);

		await openBoard(page, boardId, '?tab=actions&ref=ACT-1');
		const action = page.locator('.detail');
		const text = action.getByLabel('Action (start with a verb)');
		await text.waitFor();
		expect(await action.getByLabel('Title', { exact: true }).count()).toBe(0);
		await text.fill('Publish the regional allocations\nwith the method note');
		// The title is the text's first line, in the row and through the API.
		await page.locator('tr[data-ref="ACT-1"] .title-button', { hasText: 'Publish the regional allocations' }).waitFor();
		await expect.poll(async () => (await api<{ title: string }>(server.url, 'GET', `/api/boards/${boardId}/actions/ACT-1`)).title).toBe('Publish the regional allocations');
	});
});
