/**
 * The accountable record on the board page, in Chromium: a record's History section (each change in
 * words from the server's ledger, newest first, excerpts for text, live, paged) and the board's
 * Activity tab (filters, links to the record and its history, keyboard). Attribution comes from the
 * ledger: Priya Shah of DfE changed the record through the API and a stock y-websocket client.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { isoDateAt } from '../../src/lib/board/dates.ts';
import { dateFormat } from '../../src/lib/date-format.ts';
import { api as apiAs } from '../access-fixture.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { api, openBoard, useSampleBoard, waitForSync } from './board-helpers.ts';
import { historyScenario, type HistoryScenario } from './history-scenario.ts';

/** Dates as the workspace's default locale writes them. */
const formatDate = (date: string, thisYear: string) => dateFormat('en-GB').near(date, thisYear);

describe('history on the board page (Chromium)', () => {
	const fixture = useSampleBoard();
	let scenario: HistoryScenario;
	const thisYear = isoDateAt(Date.now()).slice(0, 4);
	/** axe on a board with its details open takes a while on a busy two-core machine. */
	const slowMs = 150_000;

	beforeAll(async () => {
		scenario = await historyScenario(fixture.server, fixture.boardId);
	});

	const historyLines = (page: Page) => page.locator('.record-history [data-history-line]');

	it('shows who changed what, newest first, in words, and keeps up with new changes', async () => {
		const page = await fixture.page();
		const { ref } = scenario.dependency;
		await openBoard(page, fixture.boardId, `?ref=${ref}`);
		await historyLines(page).first().waitFor();
		const section = page.getByRole('region', { name: 'History' });
		expect(await section.getByRole('heading', { level: 3, name: 'History' }).count()).toBe(1);
		expect(await section.getByRole('heading', { level: 4, name: 'Today' }).count()).toBe(1);

		const texts = (await historyLines(page).allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
		expect(texts[0]).toMatch(/^Priya Shah \(DfE\) changed deliverable · just now Before .+ After A weekly extract of childcare take-up by local authority, with a data dictionary$/);
		expect(texts[1]).toBe('Priya Shah (DfE) commented: “Legal expect to sign by the end of the month.” · just now');
		expect(texts[2]).toBe('Priya Shah (DfE) rated it Red: “The data agreement is still unsigned” · just now');
		expect(texts[3]).toBe(`Priya Shah (DfE) changed forecast ${formatDate(scenario.forecast.before, thisYear)} → ${formatDate(scenario.forecast.after, thisYear)} · just now`);
		expect(texts.at(-1)).toMatch(/^Administrator created this dependency as “.+” · just now$/);
		expect(await historyLines(page).first().locator('del').count()).toBe(1);
		expect(await historyLines(page).first().locator('ins').count()).toBe(1);
		expect(await section.locator('time[datetime]').count()).toBe(texts.length);

		// Someone else changes it: the section shows it without a reload.
		const patched = await apiAs(fixture.server, 'PATCH', `/api/boards/${fixture.boardId}/dependencies/${ref}`, { cookie: scenario.priya.cookie, body: { status: 'late' } });
		expect(patched.status).toBe(200);
		await historyLines(page).first().filter({ hasText: /^\s*Priya Shah \(DfE\) changed status .+ → Late/ }).waitFor();

		// This page's own change appears once the server has recorded it, attributed to the signed-in person.
		await page.getByLabel('Title', { exact: true }).fill('Housing capital settlement (revised)');
		await page.getByLabel('Title', { exact: true }).press('Enter');
		await waitForSync(page, ['saved']);
		await historyLines(page).first().filter({ hasText: 'Administrator changed title' }).waitFor();
		expect(await seriousViolations(page)).toEqual([]);

		const dark = await fixture.page('dark');
		await openBoard(dark, fixture.boardId, `?ref=${ref}`);
		await historyLines(dark).first().waitFor();
		expect(await seriousViolations(dark)).toEqual([]);
	}, slowMs);

	it('pages a long history with “Show older changes”', async () => {
		const created = await api<{ ref: string }>(fixture.server.url, 'POST', `/api/boards/${fixture.boardId}/actions`, { text: 'Draft the data agreement', owner: { name: 'Ann' }, due: '2027-01-15' });
		for (let i = 1; i <= 30; i++) await api(fixture.server.url, 'PATCH', `/api/boards/${fixture.boardId}/actions/${created.ref}`, { title: `Draft the data agreement, version ${i}` });
		const page = await fixture.page();
		await openBoard(page, fixture.boardId, `?ref=${created.ref}`);
		await historyLines(page).first().filter({ hasText: 'version 30' }).waitFor();
		const firstPage = await historyLines(page).count();
		expect(firstPage).toBeLessThan(31);
		expect(await page.locator('.record-history', { hasText: 'created this action' }).count()).toBe(0);
		await page.getByRole('button', { name: 'Show older changes' }).click();
		await page.locator('.record-history [data-history-line]', { hasText: 'Administrator created this action' }).waitFor();
		expect(await historyLines(page).count()).toBe(31);
		expect(await page.getByRole('button', { name: 'Show older changes' }).count()).toBe(0);
	}, slowMs);

	it('lists the board’s activity, filtered, each line leading to its record and history', async () => {
		const page = await fixture.page();
		await openBoard(page, fixture.boardId);
		await page.getByRole('tab', { name: /Dependencies/ }).focus();
		await page.keyboard.press('End');
		expect(await page.getByRole('tab', { selected: true }).textContent()).toContain('Activity');
		expect(new URL(page.url()).searchParams.get('tab')).toBe('activity');
		const lines = page.locator('#panel-activity [data-history-line]');
		await lines.first().waitFor();
		expect(await lines.count()).toBeGreaterThan(5);
		const who = () => page.locator('#panel-activity [data-history-line] .who').allTextContents();
		const onlyPriya = () =>
			page.waitForFunction(() => {
				const names = Array.from(document.querySelectorAll('#panel-activity [data-history-line] .who'), (el) => el.textContent);
				return names.length > 0 && names.every((name) => name === 'Priya Shah (DfE)');
			});

		await page.getByLabel('Person', { exact: true }).fill('Priya Shah');
		await page.getByLabel('Person', { exact: true }).press('Enter');
		await onlyPriya();
		expect(new Set(await who())).toEqual(new Set(['Priya Shah (DfE)']));

		await page.getByLabel('Person', { exact: true }).fill('');
		await page.getByLabel('Department', { exact: true }).selectOption({ label: 'DfE — Department for Education' });
		await onlyPriya();

		await page.getByLabel('Field', { exact: true }).selectOption('comments');
		await page.waitForFunction(() => document.querySelectorAll('#panel-activity [data-history-line]').length === 1);
		expect(await lines.first().textContent()).toContain('commented: “Legal expect to sign by the end of the month.”');

		await page.getByLabel('Register', { exact: true }).selectOption('blockers');
		await page.getByText('No changes match these filters.').waitFor();
		await page.getByRole('button', { name: 'Clear filters' }).click();
		await page.waitForFunction(() => document.querySelectorAll('#panel-activity [data-history-line]').length > 5);

		const yesterday = isoDateAt(Date.now() - 86_400_000);
		await page.getByLabel('To', { exact: true }).fill(yesterday);
		await page.getByLabel('To', { exact: true }).dispatchEvent('change');
		await page.getByText('No changes match these filters.').waitFor();
		await page.getByRole('button', { name: 'Clear filters' }).click();
		await lines.first().waitFor();

		// A line's History link opens the record beside the feed with its History section in focus.
		await page.getByLabel('Field', { exact: true }).selectOption('comments');
		const line = lines.filter({ hasText: 'commented: “Legal expect' }).first();
		expect(await line.locator('a.ref').getAttribute('href')).toBe(`?tab=activity&ref=${scenario.dependency.ref}`);
		await line.getByRole('link', { name: `History of ${scenario.dependency.ref}` }).click();
		await page.locator(`aside[data-record="${scenario.dependency.id}"]`).waitFor();
		expect(new URL(page.url()).searchParams.get('ref')).toBe(scenario.dependency.ref);
		expect(new URL(page.url()).searchParams.get('tab')).toBe('activity');
		await page.waitForFunction(() => document.activeElement?.id.endsWith('-history-heading') === true);
		expect(await seriousViolations(page)).toEqual([]);
		await page.keyboard.press('Escape');
		await page.waitForFunction(() => document.activeElement?.matches('#panel-activity a.ref') === true);
		expect(await page.locator('aside.detail').count()).toBe(0);

		const dark = await fixture.page('dark');
		await openBoard(dark, fixture.boardId, '?tab=activity');
		await dark.locator('#panel-activity [data-history-line]').first().waitFor();
		expect(await seriousViolations(dark)).toEqual([]);
	}, slowMs);
});
