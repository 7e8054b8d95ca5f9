/**
 * Fixtures and probes for the board page's browser tests: boards made through the JSON API,
 * large boards written through the document hub, and readings of the page's own marks.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { fillLargeBoard } from '../../src/lib/board/sample.ts';
import { boardDocName } from '../../src/lib/protocol/doc-names.ts';
import { adminPrincipal } from '../../server/auth/principal.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { startTestServer, testAdminToken, type TestServer } from '../helpers/server.ts';

type Json = Record<string, unknown>;

export async function api<T = Json>(baseUrl: string, method: string, path: string, body?: unknown): Promise<T> {
	const response = await fetch(`${baseUrl}${path}`, {
		method,
		headers: { authorization: `Bearer ${testAdminToken}`, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
	return JSON.parse(text) as T;
}

/** A mission with one empty board, made through the JSON API; returns the board id. */
export async function createBoard(baseUrl: string, title = 'Test board'): Promise<string> {
	const mission = await api<{ id: string }>(baseUrl, 'POST', '/api/missions', { title: `${title} mission` });
	const board = await api<{ id: string }>(baseUrl, 'POST', `/api/missions/${mission.id}/boards`, { title });
	return board.id;
}

/** Loads the sample mission; returns its boards (the first is the up-to-date one). */
export async function loadSample(baseUrl: string): Promise<string[]> {
	const { sample } = await api<{ sample: { boardIds: string[] } }>(baseUrl, 'POST', '/api/workspace/sample');
	return sample.boardIds;
}

/** Writes `n` synthetic records into a board's document through the hub (stored before it resolves). */
export async function fillBoard(server: TestServer, boardId: string, n: number): Promise<void> {
	await server.backend.hub.transact(boardDocName(boardId), adminPrincipal, (doc) => {
		fillLargeBoard(doc, n);
	});
}

export type SignedIn = Awaited<ReturnType<BrowserContext['storageState']>>;

/**
 * Signs in once through the sign-in link (without rendering any page) and returns the cookies,
 * so each test's contexts reuse the session instead of spending the sign-in rate limit.
 */
export async function signIn(browser: Browser, baseUrl: string, token = testAdminToken): Promise<SignedIn> {
	const context = await browser.newContext({ baseURL: baseUrl });
	try {
		const response = await context.request.get(`/login?token=${encodeURIComponent(token)}`, { maxRedirects: 0 });
		if (response.status() !== 303) throw new Error(`sign-in answered ${response.status()}`);
		const state = await context.storageState();
		if (!state.cookies.some((cookie) => cookie.name === 'mc_session')) throw new Error('sign-in set no session cookie');
		return state;
	} finally {
		await context.close();
	}
}

/**
 * A signed-in context (its own IndexedDB, so its own copy of each board) as a UK user sees the
 * board: en-GB, London time, a laptop screen, and the colour scheme asked for.
 */
export async function ukContext(
	browser: Browser,
	baseUrl: string,
	signedIn: SignedIn,
	options: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } } = {}
): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({
		baseURL: baseUrl,
		storageState: signedIn,
		viewport: options.viewport ?? { width: 1440, height: 900 },
		locale: 'en-GB',
		timezoneId: 'Europe/London',
		colorScheme: options.colorScheme ?? 'light'
	});
	return { context, page: await context.newPage() };
}

/** Opens a board and waits until its first rows are on screen. */
export async function openBoard(page: Page, boardId: string, query = ''): Promise<void> {
	await page.goto(`/boards/${boardId}${query}`);
	await waitForSync(page, ['live', 'saved']);
}

export async function waitForSync(page: Page, states: string[], timeout = 20_000): Promise<void> {
	await page.waitForFunction(
		(wanted) => wanted.includes(document.querySelector('[data-sync-state]')?.getAttribute('data-sync-state') ?? ''),
		states,
		{ timeout }
	);
}

/** Milliseconds from navigation start to the page's `mc:board-interactive` mark. */
export async function timeToInteractive(page: Page): Promise<number> {
	await page.waitForFunction(() => performance.getEntriesByName('mc:board-interactive').length > 0, undefined, { timeout: 30_000 });
	return page.evaluate(() => performance.getEntriesByName('mc:board-interactive')[0]!.startTime);
}

/** Milliseconds from navigation to the first rows on screen (the server's first screen, or the live board). */
export async function timeToFirstRows(page: Page): Promise<number> {
	await page.waitForFunction(() => performance.getEntriesByName('mc:board-rows').length > 0, undefined, { timeout: 30_000 });
	return page.evaluate(() => performance.getEntriesByName('mc:board-rows')[0]!.startTime);
}

/** Two departments for boards that start empty (a new dependency needs a provider and a receiver). */
export const testDepartments = {
	provider: { id: 'dept-give', name: 'Department that gives', code: 'GIVE', colour: '#335577' },
	receiver: { id: 'dept-need', name: 'Department that needs', code: 'NEED', colour: '#775533' }
} as const;

/** Makes `testDepartments` in the workspace unless they are there already. */
export async function ensureTestDepartments(baseUrl: string): Promise<void> {
	const { departments } = await api<{ departments: Array<{ id: string }> }>(baseUrl, 'GET', '/api/departments');
	for (const department of Object.values(testDepartments)) {
		if (!departments.some((known) => known.id === department.id)) await api(baseUrl, 'POST', '/api/departments', department);
	}
}

/** What a new record's draft is given: a dependency's departments by id, names as typed. */
export type DraftValues = {
	title: string;
	provider?: string;
	providerOwner?: string;
	receiver?: string;
	receiverOwner?: string;
	owner?: string;
	unblocker?: string;
	due?: string;
};

/**
 * Makes a record the way a person does: `n` opens a draft in the current tab with the title
 * focused; the rest is filled in by label, then saved. A dependency gets `testDepartments` and two
 * named owners unless told otherwise. Resolves once the new record's details are open.
 */
export async function createByKeyboard(page: Page, values: DraftValues): Promise<void> {
	await page.keyboard.press('n');
	const draft = page.locator('aside[data-draft]');
	await draft.waitFor();
	const register = await draft.getAttribute('data-draft');
	await page.keyboard.type(values.title);
	const field = (name: string) => draft.locator(`#new-${register}-${name}`);
	if (register === 'dependencies') {
		await field('providerDepartment').selectOption(values.provider ?? testDepartments.provider.id);
		await field('providerOwner').fill(values.providerOwner ?? 'Priya Provider');
		await field('receiverDepartment').selectOption(values.receiver ?? testDepartments.receiver.id);
		await field('receiverOwner').fill(values.receiverOwner ?? 'Rhys Receiver');
	} else {
		await field('owner').fill(values.owner ?? 'Olu Owner');
		if (register === 'blockers') await field('unblocker').fill(values.unblocker ?? 'Programme board');
		if (register === 'actions') await field('due').fill(values.due ?? '2099-01-31');
	}
	await draft.getByRole('button', { name: /^Save / }).click();
	await draft.waitFor({ state: 'detached' });
	await page.locator('aside.detail').waitFor();
}

/** The row of a record by ref, as a locator. */
export function row(page: Page, ref: string) {
	return page.locator(`tr[data-ref="${ref}"]`);
}

export interface SampleBoardFixture {
	server: TestServer;
	browser: Browser;
	signedIn: SignedIn;
	/** The first board of the sample mission. */
	boardId: string;
	/** A new signed-in page (its own context, closed after the block). */
	page(colorScheme?: 'light' | 'dark'): Promise<Page>;
	/** Closes this context after the block too. */
	track(context: BrowserContext): BrowserContext;
}

/**
 * For one describe block: a server with the sample mission and Chromium signed in as the
 * administrator, set up in beforeAll and torn down in afterAll. Read its fields inside tests.
 */
export function useSampleBoard(): SampleBoardFixture {
	const contexts: BrowserContext[] = [];
	const fixture = {
		async page(colorScheme: 'light' | 'dark' = 'light') {
			const { context, page } = await ukContext(fixture.browser, fixture.server.url, fixture.signedIn, { colorScheme });
			contexts.push(context);
			return page;
		},
		track(context: BrowserContext) {
			contexts.push(context);
			return context;
		}
	} as SampleBoardFixture;
	beforeAll(async () => {
		fixture.server = await startTestServer();
		fixture.browser = await launchBrowser();
		fixture.signedIn = await signIn(fixture.browser, fixture.server.url);
		fixture.boardId = (await loadSample(fixture.server.url))[0]!;
	});
	afterAll(async () => {
		for (const context of contexts) await context.close();
		await fixture.browser?.close();
		await fixture.server?.close();
	});
	return fixture;
}
