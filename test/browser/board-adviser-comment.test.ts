/**
 * A mission's adviser, named in its leadership (their department joined no board), opens a board of
 * the mission, finds every field read-only and a comment form in the detail panel; the comment goes
 * through the server, arrives in the thread live with the adviser's name, and is stored.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, childcareBoard, createInvite, type Person, redeem } from '../access-fixture.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitForSync } from './board-helpers.ts';

describe('an adviser comments on the board page (Chromium)', () => {
	let server: TestServer;
	let browser: Browser;
	let boardId: string;
	let ref: string;
	let adviser: Person;

	const call = caller(() => server);

	beforeAll(async () => {
		server = await startTestServer();
		browser = await launchBrowser();
		const childcare = await childcareBoard(call);
		const { provider, receiver, missionId } = childcare;
		boardId = childcare.boardId;
		const advisory = (await call('POST', '/api/departments', { name: 'Advisory board', code: 'ADVB', colour: '#445566' })).id;
		ref = (
			await call('POST', `/api/boards/${boardId}/dependencies`, {
				title: 'Childcare eligibility data share',
				providerDepartment: provider,
				providerOwner: { name: 'Tom Hughes' },
				receiverDepartment: receiver,
				receiverOwner: { name: 'Marcus Lee' },
				deliverable: 'Signed data-sharing agreement'
			})
		).ref;
		adviser = await redeem(server, (await createInvite(server, { departmentId: advisory, role: 'adviser' })).token, 'Ada Adviser');
		await call('PATCH', `/api/missions/${missionId}/leadership`, { advisers: [{ name: 'Ada Adviser', personId: adviser.id }] });
	});
	afterAll(async () => {
		await browser?.close();
		await server?.close();
	});

	it('offers the comment form, not the editing controls, and the comment arrives live', { timeout: 180_000 }, async () => {
		const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1440, height: 900 } });
		const [name, value] = adviser.cookie.split('=') as [string, string];
		await context.addCookies([{ name, value, url: server.url }]);
		const page = await context.newPage();
		try {
			await page.goto(`/boards/${boardId}?ref=${ref}`);
			await waitForSync(page, ['live', 'saved']);
			const detail = page.locator('.detail');
			await page.getByText('advisers comment but do not edit').first().waitFor();
			// The writers' form (it writes into the document) is not offered: the adviser's is.
			expect(await detail.getByLabel('Mention a person').count()).toBe(0);
			const form = detail.locator('form[data-adviser-comment]');
			const box = form.getByLabel('Add a comment as an adviser');
			await box.fill('The advisory board asks for the revised cost model');
			await form.getByRole('button', { name: 'Add comment' }).click();
			const thread = detail.locator('section.comments li', { hasText: 'The advisory board asks for the revised cost model' });
			await thread.waitFor();
			expect(await thread.textContent()).toContain('Ada Adviser');
			expect(await box.inputValue()).toBe('');
			const stored = await call('GET', `/api/boards/${boardId}/dependencies/${ref}`);
			expect(stored.comments.map((comment: { text: string; author: { name: string } }) => [comment.author.name, comment.text])).toEqual([['Ada Adviser', 'The advisory board asks for the revised cost model']]);
			expect(await seriousViolations(page)).toEqual([]);
			await page.screenshot({ path: 'docs/screenshots/board-adviser-comment.png' });
		} finally {
			await context.close();
		}
	});
});
