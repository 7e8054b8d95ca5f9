/**
 * People who come back, in real Chromium against a real OpenID Connect provider and SMTP server: the
 * sign-in page with its providers, single sign-on through the provider's own login form, the waiting
 * page, a lead letting the person in, my work, the bell and inbox, and the owner picker used by
 * keyboard; every screen without serious accessibility violations. With SCREENSHOTS_DIR set, each
 * screen is saved there (docs/screenshots holds the ones in the docs).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../access-fixture.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { startOidcTestProvider, type OidcTestProvider } from '../helpers/oidc-test-provider.ts';
import { knownOriginEnv, startTestServer, testAdminToken, type TestServer } from '../helpers/server.ts';
import { startSmtpTestServer, type SmtpTestServer } from '../helpers/smtp-test-server.ts';

const admin = { bearer: testAdminToken };
const shotsDir = process.env.SCREENSHOTS_DIR;

async function shot(page: Page, name: string): Promise<void> {
	if (!shotsDir) return;
	mkdirSync(shotsDir, { recursive: true });
	await page.screenshot({ path: join(shotsDir, `${name}.png`) });
}

describe('sign-in, my work and notifications (Chromium)', () => {
	let provider: OidcTestProvider;
	let smtp: SmtpTestServer;
	let server: TestServer;
	let browser: Browser;
	let departmentId: string;
	let boardId: string;

	beforeAll(async () => {
		provider = await startOidcTestProvider({ interactive: true });
		smtp = await startSmtpTestServer();
		server = await startTestServer({
			env: {
				...(await knownOriginEnv()),
				OIDC_ISSUER: provider.issuer,
				OIDC_CLIENT_ID: provider.clientId,
				OIDC_CLIENT_SECRET: provider.clientSecret,
				OIDC_NAME: 'Department ID',
				OIDC_ALLOWED_DOMAINS: 'example.gov.uk',
				SMTP_URL: smtp.url,
				MAIL_FROM: 'missions@example.gov.uk'
			}
		});
		provider.register([`${server.url}/login/oidc/default/callback`], [`${server.url}/login`]);
		browser = await launchBrowser();
		departmentId = ((await api(server, 'POST', '/api/departments', { ...admin, body: { id: 'dept-alpha', name: 'Department Alpha', code: 'ALPHA', colour: '#335577' } })).body as { id: string }).id;
		const mission = (await api(server, 'POST', '/api/missions', { ...admin, body: { title: 'Kickstart growth' } })).body as { id: string };
		boardId = ((await api(server, 'POST', `/api/missions/${mission.id}/boards`, { ...admin, body: { title: 'Skills', departmentIds: [departmentId] } })).body as { id: string }).id;
		// A dependency is between two departments (the API refuses one department on both sides).
		const other = ((await api(server, 'POST', '/api/departments', { ...admin, body: { id: 'dept-beta', name: 'Department Beta', code: 'BETA', colour: '#553377' } })).body as { id: string }).id;
		await api(server, 'POST', `/api/boards/${boardId}/dependencies`, { ...admin, body: { title: 'Apprenticeship data', providerDepartment: departmentId, providerOwner: { name: 'Someone Else' }, receiverDepartment: other, receiverOwner: { name: 'Someone Else' }, deliverable: 'the data' } });
		expect((await api(server, 'POST', `/api/boards/${boardId}/blockers`, { ...admin, body: { title: 'Funding gap', owner: { name: 'Someone Else' }, unblocker: 'Treasury board', raisedOn: '2026-11-01' } })).status).toBe(201);
		expect((await api(server, 'POST', `/api/boards/${boardId}/decisions`, { ...admin, body: { text: 'Proceed with the pilot', decidedOn: '2026-11-20', forum: 'Missions Board', decisionMakers: [{ name: 'Someone Else' }] } })).status).toBe(201);
	});

	afterAll(async () => {
		await browser?.close();
		await server?.close();
		await smtp?.close();
		await provider?.close();
	});

	it('signs in with single sign-on, waits for a lead, then uses my work, the owner picker by keyboard and the inbox', { timeout: 300_000 }, async () => {
		const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1440, height: 900 } });
		const page = await context.newPage();

		await page.goto('/login');
		const button = page.getByRole('link', { name: 'Sign in with Department ID' });
		expect(await button.count()).toBe(1);
		expect(await page.getByLabel('Your email address').count()).toBe(1);
		expect(await seriousViolations(page)).toEqual([]);
		await shot(page, 'sign-in');

				await button.click();
		await page.getByLabel('Email').fill('ada.lovelace@example.gov.uk');
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.waitForURL('**/login/waiting');
		expect(await page.getByRole('heading', { name: 'Waiting for approval' }).count()).toBe(1);
		expect(await seriousViolations(page)).toEqual([]);

		const requests = (await api(server, 'GET', '/api/access-requests', admin)).body as { requests: Array<{ id: string; email: string }> };
		const request = requests.requests.find((entry) => entry.email === 'ada.lovelace@example.gov.uk');
		expect((await api(server, 'POST', `/api/access-requests/${request?.id}/approve`, { ...admin, body: { departmentId, role: 'editor' } })).status).toBe(200);

		await page.goto('/login');
		await page.getByRole('link', { name: 'Sign in with Department ID' }).click();
		await page.waitForURL(`${server.url}/`);
		expect(await page.getByRole('region', { name: 'My work' }).count()).toBe(1);

				// The owner picker: type part of a name, take the person from the list by keyboard.
		await page.goto(`/boards/${boardId}?ref=DEP-1`);
		const field = page.getByLabel('Provider owner');
		await field.waitFor();
		expect(await page.locator('#board-people option[value="Ada Lovelace"]').getAttribute('label')).toBe('ALPHA');
		expect(await page.getByText('Not a person of this workspace').count()).toBeGreaterThan(0);
		await field.focus();
		await page.keyboard.press('ControlOrMeta+A');
		await page.keyboard.type('Ada Lovelace');
		await page.keyboard.press('Enter');
		await page.keyboard.press('Tab');
		await expect.poll(async () => ((await api(server, 'GET', `/api/boards/${boardId}/dependencies/DEP-1`, admin)).body as { providerOwner: { id?: string } }).providerOwner.id, { timeout: 10_000 }).toMatch(/^person:/);
		await shot(page, 'owner-picker');

		// The unblocker and the decision-makers pick people the same way, by keyboard.
		await page.goto(`/boards/${boardId}?ref=BLK-1`);
		const unblocker = page.getByLabel('Unblocker (person, role or forum)');
		await unblocker.waitFor();
		expect(await page.getByText('Not a person of this workspace (a role, a forum or someone outside)').count()).toBe(1);
		await unblocker.focus();
		await page.keyboard.press('ControlOrMeta+A');
		await page.keyboard.type('Ada Lovelace');
		await page.keyboard.press('Enter');
		await page.keyboard.press('Tab');
		await expect.poll(async () => ((await api(server, 'GET', `/api/boards/${boardId}/blockers/BLK-1`, admin)).body as { unblocker: string }).unblocker, { timeout: 10_000 }).toBe('Ada Lovelace');
		await expect.poll(async () => page.getByText('Not a person of this workspace (a role, a forum or someone outside)').count()).toBe(0);

		await page.goto(`/boards/${boardId}?ref=DEC-1`);
		const recorded = page.getByRole('group', { name: 'Decision-makers' });
		await recorded.waitFor();
		// Recorded: listed with who each is, not editable (a correction is a new entry).
		expect(await recorded.getByText('outside the workspace').count()).toBe(1);
		expect(await recorded.getByLabel('Add a person').count()).toBe(0);
		await page.keyboard.press('Escape');
		await page.getByRole('button', { name: /New decision/ }).click();
		await page.getByLabel('What was decided').fill('Fund the regional pilot');
		await page.getByLabel('Forum').fill('Missions Board');
		const makers = page.getByRole('group', { name: 'Decision-makers' });
		await makers.getByLabel('Add a person').focus();
		await page.keyboard.type('Ada Lovelace');
		await page.keyboard.press('Enter');
		await page.keyboard.type('Someone Outside');
		await page.keyboard.press('Enter');
		expect(await makers.getByText('ALPHA').count()).toBe(1);
		expect(await makers.getByText('outside the workspace').count()).toBe(1);
		await makers.getByRole('button', { name: 'Remove Someone Outside' }).focus();
		await page.keyboard.press('Enter');
		expect(await makers.getByText('outside the workspace').count()).toBe(0);
		expect(await seriousViolations(page)).toEqual([]);
		await shot(page, 'decision-makers');
		await page.getByRole('button', { name: 'Record decision' }).click();
		await expect.poll(async () => ((await api(server, 'GET', `/api/boards/${boardId}/decisions/DEC-2`, admin)).body as { decisionMakers?: Array<{ name: string; id?: string }> }).decisionMakers, { timeout: 10_000 }).toEqual([{ name: 'Ada Lovelace', id: expect.stringMatching(/^person:/) }]);

		// An @mention picked with the same type-ahead, by keyboard, goes into the comment and notifies.
		await page.goto(`/boards/${boardId}?ref=DEP-1`);
		const mentionField = page.getByLabel('Mention a person');
		await mentionField.waitFor();
		await page.getByLabel('Add a comment').fill('Can you confirm the date?');
		await mentionField.focus();
		await page.keyboard.type('Ada Lovelace');
		await page.keyboard.press('Enter');
		expect(await page.getByLabel('Add a comment').inputValue()).toBe('Can you confirm the date? @Ada Lovelace ');
		await page.getByLabel('Add a comment').scrollIntoViewIfNeeded();
		await shot(page, 'mention');
		await page.getByRole('button', { name: 'Add comment' }).click();
		await expect.poll(async () => ((await api(server, 'GET', `/api/boards/${boardId}/dependencies/DEP-1`, admin)).body as { comments: Array<{ text: string }> }).comments.map((comment) => comment.text), { timeout: 10_000 }).toEqual(['Can you confirm the date? @Ada Lovelace']);
		expect(await seriousViolations(page)).toEqual([]);

				// Made owner by someone else: the bell counts it live, the inbox lists it.
		const me = (await page.evaluate(async () => (await fetch('/api/me')).json())) as { id: string; name: string };
		await page.goto('/me/work');
		await api(server, 'POST', `/api/boards/${boardId}/actions`, { ...admin, body: { text: 'Send the apprenticeship figures', owner: { name: me.name, id: me.id }, due: '2020-01-01' } });
		await page.getByRole('link', { name: 'Notifications: 1 unread' }).waitFor();
		await expect.poll(async () => page.getByText('Send the apprenticeship figures').count(), { timeout: 10_000 }).toBeGreaterThan(0);
		expect(await page.getByRole('heading', { name: /Overdue/ }).count()).toBe(1);
		expect(await seriousViolations(page)).toEqual([]);
		await shot(page, 'my-work');

		await page.getByRole('link', { name: 'Notifications: 1 unread' }).click();
		await page.waitForURL('**/me/notifications');
		expect(await page.getByRole('link', { name: /Administrator made you an owner of ACT-1/ }).count()).toBe(1);
		expect(await seriousViolations(page)).toEqual([]);
		await shot(page, 'notifications');
		await page.getByRole('button', { name: 'Mark all read' }).click();
		await page.getByRole('link', { name: 'Notifications: none unread' }).waitFor();
		await context.close();
	});
});
