/**
 * The dependency map as the board page's last tab, in Chromium: an arrow per dependency between
 * department nodes, the table alternative listing every dependency, live updates (a status
 * changed and a dependency created through the JSON API, no reload), opening a dependency's
 * details from an arrow or the table, the tablist's keyboard model, no new-record button, and
 * no serious or critical axe violation in light and dark.
 *
 * Set BOARD_MAP_SCREENSHOTS=<folder> to keep a screenshot of the tab in each colour scheme.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../helpers/axe.ts';
import type { TestServer } from '../helpers/server.ts';
import { api, openBoard, useSampleBoard } from './board-helpers.ts';

type Dependency = { id: string; ref: string; status: string; archived: boolean; providerDepartment: string; receiverDepartment: string; providerOwner: unknown; receiverOwner: unknown };


describe('board page map tab (Chromium)', () => {
	const fixture = useSampleBoard();
	let server: TestServer;
	let boardId: string;
	beforeAll(() => ({ server, boardId } = fixture));

	const page = (colorScheme: 'light' | 'dark' = 'light') => fixture.page(colorScheme);

	const dependencies = async () => (await api<{ records: Dependency[] }>(server.url, 'GET', `/api/boards/${boardId}/dependencies`)).records;
	/** Dependencies the map draws: not archived, not cancelled. */
	const drawn = (list: Dependency[]) => list.filter((dependency) => !dependency.archived && dependency.status !== 'cancelled');
	const edges = (p: Page) =>
		p.locator('#panel-map g.edge[data-dependency-id]').evaluateAll((nodes) =>
			nodes.map((node) => ({ id: node.getAttribute('data-dependency-id'), from: node.getAttribute('data-from'), to: node.getAttribute('data-to'), status: node.getAttribute('data-status') }))
		);
	const nodeIds = (p: Page) => p.locator('#panel-map g.node[data-department-id]').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-department-id')));
	const tableRefs = (p: Page) => p.locator('#panel-map .map-table tbody th[scope="row"]').allTextContents().then((refs) => refs.map((ref) => ref.trim()));

	it('draws an arrow per dependency between department nodes and lists every dependency in the table', async () => {
		const p = await page();
		await openBoard(p, boardId, '?tab=map');
		await p.locator('#panel-map .map-svg').waitFor();
		expect(await p.getByRole('tab', { selected: true }).textContent()).toContain('Map');
		expect(await p.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe('tab-map');

		const list = await dependencies();
		const expected = drawn(list);
		expect(expected.length).toBeGreaterThan(2);
		const shown = await edges(p);
		expect(shown.map((edge) => edge.id).sort()).toEqual(expected.map((dependency) => dependency.id).sort());
		for (const dependency of expected) {
			expect(shown.find((edge) => edge.id === dependency.id)).toEqual({ id: dependency.id, from: dependency.providerDepartment, to: dependency.receiverDepartment, status: dependency.status });
		}
		const departments = new Set(expected.flatMap((dependency) => [dependency.providerDepartment, dependency.receiverDepartment]));
		expect((await nodeIds(p)).sort()).toEqual([...departments].sort());

		expect((await tableRefs(p)).sort()).toEqual(list.filter((dependency) => !dependency.archived).map((dependency) => dependency.ref).sort());
		const toggle = p.getByRole('button', { name: 'Show as a table' });
		expect(await toggle.getAttribute('aria-expanded')).toBe('false');
		await toggle.click();
		expect(await p.getByRole('button', { name: 'Hide the table' }).getAttribute('aria-expanded')).toBe('true');
		expect(await p.locator('#panel-map .map-table').evaluate((element) => element.getBoundingClientRect().height)).toBeGreaterThan(40);

		expect(await p.getByRole('button', { name: /^New / }).count()).toBe(0);
		await p.locator('#panel-map .map-svg').click({ position: { x: 2, y: 2 } });
		await p.keyboard.press('n');
		expect(await p.locator('aside.detail').count()).toBe(0);
		expect((await dependencies()).length).toBe(list.length);
	});

	it('follows remote changes without a reload: a status change and a new dependency', async () => {
		const p = await page();
		await openBoard(p, boardId, '?tab=map');
		await p.locator('#panel-map .map-svg').waitFor();
		const list = drawn(await dependencies());
		const changed = list.find((dependency) => dependency.status !== 'late')!;
		await api(server.url, 'PATCH', `/api/boards/${boardId}/dependencies/${changed.ref}`, { status: 'late' });
		await p.locator(`#panel-map g.edge[data-dependency-id="${changed.id}"][data-status="late"]`).waitFor({ state: 'attached' });

		const template = list[0]!;
		const created = await api<Dependency>(server.url, 'POST', `/api/boards/${boardId}/dependencies`, {
			title: 'Map test: data sharing agreement',
			providerDepartment: template.receiverDepartment,
			providerOwner: template.receiverOwner,
			receiverDepartment: template.providerDepartment,
			receiverOwner: template.providerOwner,
			deliverable: 'A signed agreement',
			status: 'at_risk'
		});
		const edge = p.locator(`#panel-map g.edge[data-dependency-id="${created.id}"]`);
		await edge.waitFor({ state: 'attached' });
		expect(await edge.getAttribute('data-from')).toBe(template.receiverDepartment);
		expect(await edge.getAttribute('data-to')).toBe(template.providerDepartment);
		expect(await edge.getAttribute('data-status')).toBe('at_risk');
		expect(await tableRefs(p)).toContain(created.ref);
		expect((await edges(p)).length).toBe(list.length + 1);
	});

	it('opens a dependency from an arrow or the table, keeps the map tab, and moves between tabs with the keyboard', async () => {
		const p = await page();
		await openBoard(p, boardId, '?tab=map');
		await p.locator('#panel-map .map-svg').waitFor();
		const [first, second] = drawn(await dependencies());

		await p.locator(`#panel-map g.edge-label[data-dependency-id="${first!.id}"]`).click();
		await p.locator('aside.detail').waitFor();
		expect(await p.locator('aside.detail .kicker .ref').textContent()).toBe(first!.ref);
		expect(new URL(p.url()).searchParams.get('tab')).toBe('map');
		expect(new URL(p.url()).searchParams.get('ref')).toBe(first!.ref);
		expect(await p.getByRole('tab', { selected: true }).textContent()).toContain('Map');
		expect(await p.locator(`#panel-map g.edge[data-dependency-id="${first!.id}"]`).getAttribute('class')).toContain('focused');

		await p.getByRole('button', { name: 'Show as a table' }).click();
		await p.locator(`#panel-map .map-table tr[data-dependency-id="${second!.id}"] button`).focus();
		await p.keyboard.press('Enter');
		await p.locator('aside.detail .kicker .ref', { hasText: second!.ref }).waitFor();
		await p.keyboard.press('Escape');
		await p.locator('aside.detail').waitFor({ state: 'detached' });
		expect(await p.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-dependency-id'))).toBe(second!.id);

		await openBoard(p, boardId, `?tab=map&ref=${first!.ref}`);
		expect(await p.getByRole('tab', { selected: true }).textContent()).toContain('Map');
		expect(await p.locator('aside.detail .kicker .ref').textContent()).toBe(first!.ref);

		await p.getByRole('tab', { name: /Assumptions/ }).click();
		expect(await p.getByRole('tab').count()).toBe(8);
		await p.getByRole('tab', { name: /Assumptions/ }).focus();
		await p.keyboard.press('ArrowRight');
		expect(await p.getByRole('tab', { selected: true }).textContent()).toContain('Map');
		expect(await p.evaluate(() => document.activeElement?.id)).toBe('tab-map');
		expect(new URL(p.url()).searchParams.get('tab')).toBe('map');
		await p.keyboard.press('ArrowRight');
		expect(await p.getByRole('tab', { selected: true }).textContent()).toContain('Activity');
		await p.keyboard.press('ArrowRight');
		expect(await p.getByRole('tab', { selected: true }).textContent()).toContain('Dependencies');
		await p.keyboard.press('End');
		expect(await p.evaluate(() => document.activeElement?.id)).toBe('tab-activity');
		await p.keyboard.press('ArrowLeft');
		expect(await p.evaluate(() => document.activeElement?.id)).toBe('tab-map');
	});

	for (const colorScheme of ['light', 'dark'] as const) {
		it(`has no serious or critical axe violation on the map tab, table hidden and shown (${colorScheme})`, async () => {
			const p = await page(colorScheme);
			// Dark changes only colours: the light run checks every other rule on the same states.
			const colourOnly = colorScheme === 'dark';
			await openBoard(p, boardId, '?tab=map');
			await p.locator('#panel-map .map-svg').waitFor();
			const hidden = await seriousViolations(p, { colourOnly });
			const shots = process.env.BOARD_MAP_SCREENSHOTS;
			if (shots) await writeFile(join(shots, `board-map-${colorScheme}.png`), await p.screenshot());
			await p.getByRole('button', { name: 'Show as a table' }).click();
			await p.locator(`#panel-map .map-table tbody tr button`).first().click();
			await p.locator('aside.detail').waitFor();
			const shown = await seriousViolations(p, { colourOnly });
			if (shots) await writeFile(join(shots, `board-map-${colorScheme}-details.png`), await p.screenshot());
			expect({ hidden, shown }).toEqual({ hidden: [], shown: [] });
		});
	}

	it('reaches every arrow by keyboard, names it in words, and opens its dependency with Enter', async () => {
		const p = await page();
		await openBoard(p, boardId, '?tab=map');
		await p.locator('#panel-map .map-svg').waitFor();
		const expected = drawn(await dependencies());
		await p.getByRole('tab', { name: /Map/ }).focus();
		const reached: string[] = [];
		for (let i = 0; i < expected.length + 6 && reached.length < expected.length; i++) {
			await p.keyboard.press('Tab');
			const id = await p.evaluate(() => document.activeElement?.closest('g.edge')?.getAttribute('data-dependency-id') ?? null);
			if (id) reached.push(id);
		}
		expect(reached.sort()).toEqual(expected.map((dependency) => dependency.id).sort());
		const arrow = p.locator('#panel-map g.edge[role="button"]').first();
		const name = (await arrow.getAttribute('aria-label'))!;
		// "DEP-4, HMT → DfE: <title>, <headline>[; <why>]"
		expect(name).toMatch(/^[A-Z]+-\d+, \S+ → \S+: .+, (Green|Amber|Red|Amber\/Green|Amber\/Red|Not rated|Delivered|Closed|[A-Z][a-z]+)/);
		const ref = name.split(',')[0]!;
		await arrow.focus();
		await p.keyboard.press('Enter');
		await p.locator('aside.detail').waitFor();
		expect(await p.locator('aside.detail').textContent()).toContain(ref);
		expect(await seriousViolations(p)).toEqual([]);
	});
});
