/**
 * In Chromium: a lead makes an invite link on the invites page; a new person opens it, names
 * themselves, lands on the boards their department joined and edits one; a viewer sees that edit
 * live but cannot edit (the controls are disabled and say why). Every page loads without a
 * content-security-policy violation or a console error.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCredential, api, buildAccessFixture, createInvite, type AccessFixture, type ServerLike } from '../access-fixture.ts';
import { launchBrowser, signedInContext } from '../helpers/browser.ts';
import { spawnServer, tempDir, type SpawnedServer } from '../helpers/server.ts';

/** Screenshots of the access screens, for people to look at (not compared by the test). */
const shots = join(tmpdir(), 'mission-control-access-shots');

/** Records CSP violations and console errors of a page. */
function watch(page: Page): { problems: string[] } {
	const problems: string[] = [];
	page.on('console', (message) => {
		if (message.type() === 'error') problems.push(`console: ${message.text()}`);
	});
	page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
	return { problems };
}

async function cspViolations(page: Page): Promise<string[]> {
	return page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
}

async function newContext(browser: Browser, url: string): Promise<BrowserContext> {
	const context = await browser.newContext({ baseURL: url, viewport: { width: 1280, height: 860 } });
	await context.addInitScript(() => {
		const seen: string[] = [];
		(window as unknown as { __csp: string[] }).__csp = seen;
		document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
	});
	return context;
}

describe('joining through an invite link (Chromium)', () => {
	let spawned: SpawnedServer;
	let data: { path: string; remove(): void };
	let server: ServerLike;
	let browser: Browser;
	let fixture: AccessFixture;
	const contexts: BrowserContext[] = [];

	beforeAll(async () => {
		mkdirSync(shots, { recursive: true });
		data = tempDir();
		spawned = await spawnServer({ DATA_DIR: data.path, LOG_LEVEL: 'info' });
		server = { url: spawned.url, wsUrl: spawned.wsUrl };
		fixture = await buildAccessFixture(server);
		browser = await launchBrowser();
	});

	afterAll(async () => {
		for (const context of contexts) await context.close();
		await browser?.close();
		await spawned?.stop();
		data?.remove();
	});

	it('a lead makes a link, a new person joins with it, lands on their boards and edits one; a viewer sees it but cannot edit', async () => {
		// The lead (the administrator here) makes an editor invite for department A on the invites page.
		const { context: leadContext, page: lead } = await signedInContext(browser, server.url);
		contexts.push(leadContext);
		const leadWatch = watch(lead);
		await lead.goto('/access/invites');
		await lead.getByLabel('Department').selectOption({ label: 'Department Alpha (ALPHA)' });
		await lead.getByLabel('Role').selectOption('editor');
		await lead.getByRole('button', { name: 'Create link' }).click();
		const linkField = lead.getByLabel('Link to send');
		await linkField.waitFor();
		const link = await linkField.inputValue();
		expect(link).toMatch(new RegExp(`^${server.url}/invite/mci\\.`));
		await lead.screenshot({ path: join(shots, 'invites.png'), fullPage: true });
		expect(await cspViolations(lead)).toEqual([]);

		// A new person opens it: who invited them to what; they give their name and are signed in.
		const newcomerContext = await newContext(browser, server.url);
		contexts.push(newcomerContext);
		const newcomer = await newcomerContext.newPage();
		const newcomerWatch = watch(newcomer);
		await newcomer.goto(link);
		await expect.poll(() => newcomer.getByRole('heading', { level: 1 }).textContent()).toContain('Join Department Alpha');
		const facts = await newcomer.locator('dl').textContent();
		expect(facts).toContain('Administrator');
		expect(facts).toContain('editor');
		await newcomer.screenshot({ path: join(shots, 'invite-open.png'), fullPage: true });
		await newcomer.getByLabel('Your name').fill('Nadia Newcomer');
		await newcomer.getByRole('button', { name: 'Join as an editor' }).click();
		await newcomer.waitForURL(`${server.url}/`);
		const cookies = await newcomerContext.cookies();
		expect(cookies.find((cookie) => cookie.name === 'mc_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
		// Their home page lists the boards their department joined, and only those.
		await expect.poll(() => newcomer.locator('main').textContent()).toContain(fixture.boardX.title);
		expect(await newcomer.locator('main').textContent()).not.toContain(fixture.boardY.title);
		await newcomer.screenshot({ path: join(shots, 'home-after-joining.png'), fullPage: true });

		// A viewer of the same department has the board open.
		const viewerContext = await newContext(browser, server.url);
		contexts.push(viewerContext);
		await viewerContext.addCookies([{ name: 'mc_session', value: fixture.viewerA.cookie.split('=')[1] ?? '', url: server.url, httpOnly: true, sameSite: 'Lax' }]);
		const viewer = await viewerContext.newPage();
		const viewerWatch = watch(viewer);
		await viewer.goto(`/boards/${fixture.boardX.id}`);
		await viewer.getByRole('note').filter({ hasText: 'editing needs an editor role' }).waitFor();
		const viewerNew = viewer.getByRole('button', { name: /^New / });
		await expect.poll(() => viewerNew.isDisabled()).toBe(true);

		// The newcomer opens the board and adds a record.
		await newcomer.getByRole('link', { name: fixture.boardX.title }).first().click();
		await newcomer.waitForURL(`**/boards/${fixture.boardX.id}`);
		const newButton = newcomer.getByRole('button', { name: /^New / });
		await expect.poll(() => newButton.isEnabled()).toBe(true);
		await newButton.click();
		// The draft: title first, then the departments and owners (nothing is filled in for the person).
		const draft = newcomer.locator('aside[data-draft="dependencies"]');
		await draft.waitFor();
		await newcomer.keyboard.type('Skills data share agreed');
		await draft.locator('#new-dependencies-providerDepartment').selectOption(fixture.departments.a);
		await draft.locator('#new-dependencies-providerOwner').fill('Nadia Newcomer');
		await draft.locator('#new-dependencies-receiverDepartment').selectOption(fixture.departments.b);
		await draft.locator('#new-dependencies-receiverOwner').fill('Rhys Receiver');
		await draft.getByRole('button', { name: /^Save / }).click();
		await draft.waitFor({ state: 'detached' });
		await newcomer.screenshot({ path: join(shots, 'board-editor.png') });

		// The viewer sees the edit live and still cannot make one.
		await viewer.getByText('Skills data share agreed').first().waitFor({ timeout: 15_000 });
		await expect.poll(() => viewerNew.isDisabled()).toBe(true);
		await viewer.screenshot({ path: join(shots, 'board-viewer.png') });
		const records = (await api(server, 'GET', `/api/boards/${fixture.boardX.id}/dependencies`, adminCredential)).body as { records: Array<{ title: string; createdBy: { name: string } }> };
		expect(records.records.find((record) => record.title === 'Skills data share agreed')?.createdBy.name).toBe('Nadia Newcomer');

		for (const page of [lead, newcomer, viewer]) expect(await cspViolations(page)).toEqual([]);
		expect([...leadWatch.problems, ...newcomerWatch.problems, ...viewerWatch.problems]).toEqual([]);
	});

	it('the access screens load without CSP violations (screenshots for review)', async () => {
		const { context, page } = await signedInContext(browser, server.url);
		contexts.push(context);
		await context.addInitScript(() => {
			const seen: string[] = [];
			(window as unknown as { __csp: string[] }).__csp = seen;
			document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
		});
		const problems = watch(page);
		await api(server, 'POST', '/api/tokens', { cookie: fixture.lead.cookie, body: { name: 'weekly export' } });
		const joinLink = await createInvite(server, { departmentId: fixture.departments.b, role: 'viewer', boardId: fixture.boardX.id });
		for (const [path, name] of [
			['/people', 'people'],
			['/access/wall-displays', 'wall-displays'],
			['/me', 'me'],
			[`/people/${fixture.editorA.id}`, 'person']
		] as const) {
			await page.goto(path);
			await page.getByRole('heading', { level: 1 }).waitFor();
			await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
			expect(await cspViolations(page)).toEqual([]);
		}
		// A wall display made on its page shows its link once.
		await page.goto('/access/wall-displays');
		await page.getByLabel('Name', { exact: true }).fill('Room 4.12 wall');
		await page.getByLabel(fixture.boardX.title, { exact: true }).check();
		await page.getByRole('button', { name: 'Create wall display' }).click();
		const wallLink = await page.getByLabel('Link for the screen').inputValue();
		expect(wallLink).toMatch(/\/wall\?token=mcw\./);
		await page.screenshot({ path: join(shots, 'wall-created.png'), fullPage: true });
		// A member of B signed in opens a join link for B.
		const member = await newContext(browser, server.url);
		contexts.push(member);
		await member.addCookies([{ name: 'mc_session', value: fixture.editorB.cookie.split('=')[1] ?? '', url: server.url, httpOnly: true, sameSite: 'Lax' }]);
		const memberPage = await member.newPage();
		await memberPage.goto(joinLink.link);
		await memberPage.getByRole('heading', { level: 1 }).waitFor();
		await memberPage.screenshot({ path: join(shots, 'join-member.png'), fullPage: true });
		expect(await cspViolations(memberPage)).toEqual([]);
		// A used-up, expired or unknown link says so.
		await memberPage.goto('/invite/mci.NoSuchInvite1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
		expect(await memberPage.getByRole('alert').textContent()).toContain('not valid');
		await memberPage.screenshot({ path: join(shots, 'invite-invalid.png'), fullPage: true });
		expect(problems.problems).toEqual([]);
	});
});
