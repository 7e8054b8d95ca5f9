/**
 * Losing access while the board's socket is down: the refused reconnection has no close code, so
 * the page asks the JSON API and says what happened instead of "offline". The socket is kept
 * down with Playwright's WebSocket routing (the server itself is untouched).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardDocName } from '../../src/lib/protocol/doc-names.ts';
import { api as accessApi, adminCredential, createInvite, redeem, type Person } from '../access-fixture.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { api, openBoard, waitForSync } from './board-helpers.ts';

describe('access lost while disconnected (Chromium)', () => {
	let server: TestServer;
	let browser: Browser;
	let departmentId: string;
	const contexts: BrowserContext[] = [];

	beforeAll(async () => {
		server = await startTestServer();
		browser = await launchBrowser();
		departmentId = (await api<{ id: string }>(server.url, 'POST', '/api/departments', { name: 'Department Gamma', code: 'GAMMA', colour: '#335577' })).id;
	});
	afterAll(async () => {
		for (const context of contexts) await context.close();
		await browser?.close();
		await server?.close();
	});

	/** An editor of the department with a new board of theirs open, then their socket cut and kept down. */
	async function editorOffTheSocket(name: string): Promise<{ page: Page; person: Person; boardId: string }> {
		const mission = await api<{ id: string }>(server.url, 'POST', '/api/missions', { title: `${name}'s mission` });
		const board = await api<{ id: string }>(server.url, 'POST', `/api/missions/${mission.id}/boards`, { title: `${name}'s board`, departmentIds: [departmentId] });
		const person = await redeem(server, (await createInvite(server, { departmentId, role: 'editor' })).token, name);
		const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1440, height: 900 } });
		contexts.push(context);
		await context.addCookies([{ name: 'mc_session', value: person.cookie.slice('mc_session='.length), url: server.url, httpOnly: true, sameSite: 'Lax' }]);
		const page = await context.newPage();
		await openBoard(page, board.id);
		await page.routeWebSocket(/\/yjs\//, (socket) => socket.close());
		expect(server.backend.hub.disconnectWhere((peer) => peer.docName === boardDocName(board.id), 1001)).toBe(1);
		await waitForSync(page, ['reconnecting', 'offline']);
		return { page, person, boardId: board.id };
	}

	it('says access was removed when the department left the board meanwhile', async () => {
		const { page, boardId } = await editorOffTheSocket('Greta Gamma');
		const answer = await accessApi(server, 'DELETE', `/api/boards/${boardId}/departments/${departmentId}`, adminCredential);
		expect(answer.status).toBeLessThan(300);
		await waitForSync(page, ['access-removed']);
		expect(await page.locator('[data-sync-state]').textContent()).toContain('Your access to this board was removed');
	});

	it('says the person was signed out when their session ended meanwhile', async () => {
		const { page, person } = await editorOffTheSocket('Gil Gamma');
		const sessions = (await accessApi(server, 'GET', `/api/people/${person.id}/sessions`, adminCredential)).body as { sessions: Array<{ id: string }> };
		const answer = await accessApi(server, 'DELETE', `/api/people/${person.id}/sessions/${sessions.sessions[0]!.id}`, adminCredential);
		expect(answer.status).toBe(204);
		await waitForSync(page, ['signed-out']);
		expect(await page.locator('[data-sync-state] a[href="/login"]').count()).toBe(1);
	});
});
