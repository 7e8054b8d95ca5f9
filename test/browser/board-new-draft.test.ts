/**
 * `n` opens a draft, in Chromium: nobody else sees a new record until it has a title and is saved;
 * it is written in one go with only the departments and owners the person picked (none by default);
 * missing fields get GOV.UK-style errors next to them (axe finds nothing serious, light and dark);
 * Escape throws the draft away.
 * Set DRAFT_SCREENSHOTS=<folder> to keep 1440×900 screenshots of the draft in both themes.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../helpers/axe.ts';
import type { TestServer } from '../helpers/server.ts';
import { api, openBoard, row, useSampleBoard, waitForSync } from './board-helpers.ts';

type Person = { name: string; id?: string };
type Stored = { ref: string; title: string; departments: string[]; owner: Person; providerDepartment?: string; receiverDepartment?: string; providerOwner?: Person; receiverOwner?: Person; createdBy: Person };

describe('a new record starts as a draft (Chromium)', () => {
	const fixture = useSampleBoard();
	let server: TestServer;
	let boardId: string;
	beforeAll(() => ({ server, boardId } = fixture));

	const records = async (register: string) => (await api<{ records: Stored[] }>(server.url, 'GET', `/api/boards/${boardId}/${register}`)).records;
	const shots = process.env.DRAFT_SCREENSHOTS;
	const shot = async (page: Page, name: string) => {
		if (shots) await writeFile(join(shots, `${name}.png`), await page.screenshot());
	};

	it('shows nobody else a new dependency until it is saved with a title, departments and owners the person picked', { timeout: 180_000 }, async () => {
		const a = await fixture.page();
		const b = await fixture.page();
		await openBoard(a, boardId);
		await openBoard(b, boardId);
		const before = await records('dependencies');
		const rowsOfB = await b.locator('tbody tr[data-id]').count();

		await a.keyboard.press('n');
		const draft = a.locator('aside[data-draft="dependencies"]');
		await draft.waitFor();
		expect(await draft.getByLabel('Title', { exact: true }).evaluate((element) => element === document.activeElement)).toBe(true);
		await a.keyboard.type('Draft: school places data');
		// Nothing is pre-filled: no department, no owner.
		for (const label of ['Provider (gives)', 'Receiver (needs it)', 'Provider owner', 'Receiver owner']) {
			expect(await draft.getByLabel(label, { exact: true }).inputValue()).toBe('');
		}

		await draft.getByRole('button', { name: 'Save dependency' }).click();
		for (const message of ['Choose the providing department', 'Enter the name of the provider’s owner', 'Choose the receiving department', 'Enter the name of the receiver’s owner']) {
			await draft.getByText(`Error: ${message}`).waitFor();
		}
		expect(await draft.getByLabel('Provider (gives)', { exact: true }).evaluate((element) => element === document.activeElement)).toBe(true);
		expect(await draft.getByLabel('Title', { exact: true }).inputValue()).toBe('Draft: school places data');
		expect(await seriousViolations(a)).toEqual([]);
		await shot(a, 'board-new-draft-light');

		// The same department on both sides is refused next to the field.
		const provider = draft.getByLabel('Provider (gives)', { exact: true });
		const options = await provider.locator('option').evaluateAll((list) => list.map((option) => (option as HTMLOptionElement).value).filter(Boolean));
		expect(options.length).toBeGreaterThanOrEqual(2);
		await provider.selectOption(options[1]!);
		await draft.getByLabel('Receiver (needs it)', { exact: true }).selectOption(options[1]!);
		await draft.getByText('Error: The receiving department must be different from the providing department').waitFor();

		// Still nothing on the server, so nothing for anyone else: the draft lives in A's page only.
		await new Promise((resolve) => setTimeout(resolve, 1_000));
		expect((await records('dependencies')).length).toBe(before.length);
		expect(await b.locator('tbody tr[data-id]').count()).toBe(rowsOfB);
		expect(await b.getByText('Draft: school places data').count()).toBe(0);

		await draft.getByLabel('Receiver (needs it)', { exact: true }).selectOption(options[0]!);
		await draft.getByLabel('Provider owner', { exact: true }).fill('Priya Provider');
		await draft.getByLabel('Receiver owner', { exact: true }).fill('Rhys Receiver');
		await draft.getByRole('button', { name: 'Save dependency' }).click();
		await draft.waitFor({ state: 'detached' });

		const created = (await records('dependencies')).find((record) => record.title === 'Draft: school places data');
		expect(created).toMatchObject({
			providerDepartment: options[1],
			receiverDepartment: options[0],
			providerOwner: { name: 'Priya Provider' },
			receiverOwner: { name: 'Rhys Receiver' },
			owner: { name: 'Priya Provider' },
			createdBy: { name: 'Administrator' }
		});
		expect(created!.departments.toSorted()).toEqual([options[0], options[1]].toSorted());
		await row(b, created!.ref).locator('.title-button', { hasText: 'Draft: school places data' }).waitFor();
		// The saved record's details are open in A's page.
		await a.locator(`aside.detail`).getByText(created!.ref).first().waitFor();
		await waitForSync(a, ['saved']);
	});

	it('throws a draft away on Escape, writing nothing', { timeout: 90_000 }, async () => {
		const page = await fixture.page('dark');
		await openBoard(page, boardId, '?tab=risks');
		const before = (await records('risks')).length;
		await page.keyboard.press('n');
		const draft = page.locator('aside[data-draft="risks"]');
		await draft.waitFor();
		await page.keyboard.type('A risk nobody will see');
		await draft.getByRole('button', { name: 'Save risk' }).click();
		await draft.getByText('Error: Enter the name of the owner').waitFor();
		expect(await seriousViolations(page)).toEqual([]);
		await shot(page, 'board-new-draft-dark');
		await page.keyboard.press('Escape');
		await draft.waitFor({ state: 'detached' });
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect((await records('risks')).length).toBe(before);
		expect(await page.getByText('A risk nobody will see').count()).toBe(0);
	});

	it('gives a new risk no departments unless they are picked, and the owner typed, not the creator', { timeout: 90_000 }, async () => {
		const page = await fixture.page();
		await openBoard(page, boardId, '?tab=risks');
		await page.getByRole('button', { name: /^New risk/ }).click();
		const draft = page.locator('aside[data-draft="risks"]');
		await draft.waitFor();
		await page.keyboard.type('Supplier capacity for modular classrooms');
		await draft.getByLabel('Owner', { exact: true }).fill('Olu Owner');
		await draft.getByLabel('Owner', { exact: true }).press('Enter');
		await draft.waitFor({ state: 'detached' });
		await expect.poll(async () => (await records('risks')).find((record) => record.title === 'Supplier capacity for modular classrooms')).toMatchObject({
			departments: [],
			owner: { name: 'Olu Owner' }
		});
	});
});
