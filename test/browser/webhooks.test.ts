/**
 * The webhooks page in Chromium: a lead registers a webhook through the form (the secret is shown
 * once), an address inside the deployment is refused with its reason, a change on the board is
 * delivered to a real receiver and shows in the delivery log; the hook is turned off and on; no
 * serious axe violation. Set WEBHOOK_SCREENSHOTS=<folder> to keep a screenshot.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../helpers/axe.ts';
import { launchBrowser, signedInContext } from '../helpers/browser.ts';
import { eventually } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { startWebhookReceiver, verifySignature, type WebhookReceiver } from '../helpers/webhook-receiver.ts';
import { api, loadSample } from './board-helpers.ts';

const screenshots = process.env.WEBHOOK_SCREENSHOTS;

describe('webhooks page (Chromium)', () => {
	let server: TestServer;
	let browser: Browser;
	let receiver: WebhookReceiver;
	let missionId: string;
	let boardId: string;

	beforeAll(async () => {
		receiver = await startWebhookReceiver();
		server = await startTestServer({ env: { WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1' }, webhookLimits: { pollIntervalMs: 100 } });
		[boardId] = (await loadSample(server.url)) as [string];
		missionId = (await api<{ missionId: string }>(server.url, 'GET', `/api/boards/${boardId}`)).missionId;
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		await server?.close();
		await receiver?.close();
	});

	it('registers, refuses an internal address, delivers, logs, turns off and on', { timeout: 180_000 }, async () => {
		const { context, page } = await signedInContext(browser, server.url);
		await page.setViewportSize({ width: 1440, height: 900 });
		await page.goto(`/missions/${missionId}`);
		await page.getByRole('link', { name: 'Webhooks' }).click();
		await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();

		await page.fill('#hook-url', 'https://169.254.169.254/latest/meta-data/');
		await page.getByRole('button', { name: 'Register webhook' }).click();
		await page.getByRole('alert').filter({ hasText: 'private, loopback or reserved' }).waitFor();

		await page.fill('#hook-url', `${receiver.url}/ok/page`);
		await page.fill('#hook-description', 'Department tracker');
		await page.getByRole('button', { name: 'Register webhook' }).click();
		const secret = await page.locator('#hook-secret').inputValue();
		expect(secret).toMatch(/^whsec_/);

		const created = await api<{ ref: string }>(server.url, 'POST', `/api/boards/${boardId}/actions`, { text: 'Send the pack to the department', owner: { name: 'Lead' }, due: '2030-01-01' });
		await eventually(() => expect(receiver.to('/ok/page').map((delivery) => delivery.json.type)).toContain('record.created'));
		const delivery = receiver.to('/ok/page').find((entry) => entry.json.type === 'record.created')!;
		expect(verifySignature(secret, delivery.signature, delivery.body)).toBe(true);
		expect(delivery.json.record).toMatchObject({ ref: created.ref });

		await page.reload();
		await page.getByText(/Delivery log \(1\)/).click();
		expect(await page.getByRole('row').filter({ hasText: 'record.created' }).textContent()).toMatch(/delivered.*HTTP 200/);
		expect(await seriousViolations(page)).toEqual([]);
		if (screenshots) await page.screenshot({ path: join(screenshots, 'webhooks.png'), fullPage: true });

		await page.getByRole('button', { name: /Turn off/ }).click();
		await page.getByText('Webhook turned off.').waitFor();
		await page.getByText('○ Off').waitFor();
		await page.getByRole('button', { name: /Turn on/ }).click();
		await page.getByText('● On').waitFor();
		await context.close();
	});
});
