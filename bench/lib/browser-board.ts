/**
 * The browser scenario's fixture and probes: a board made through our JSON API, seeded and edited
 * by a real y-websocket peer through the board model (src/lib/board), and readings of the board
 * page in Chromium (its `mc:board-interactive` mark, its IndexedDB copy, which rows a remote edit
 * touched and when).
 */
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import { z } from 'zod';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { updateRecord } from '../../src/lib/board/board-doc.ts';
import { registerMap, registerOf } from '../../src/lib/board/layout.ts';
import { fillLargeBoard } from '../../src/lib/board/sample.ts';
import { boardDocName } from '../../src/lib/protocol/doc-names.ts';
import { registerNames } from '../../src/lib/protocol/registers.ts';
import { adminPrincipal } from '../../server/auth/principal.ts';
import { chromiumArgs, chromiumPath } from '../../test/helpers/chromium-path.ts';
import { sleep, whenOrTimeout } from './clock.ts';

export const browserBoardDefaults = {
	syncTimeoutMs: 30_000,
	pageTimeoutMs: 60_000,
	pollMs: 100,
	/** Round trips to the page when estimating its clock against ours (the fastest one counts). */
	clockSamples: 15,
	viewport: { width: 1440, height: 900 }
} as const;

export class BrowserBoardError extends Error {
	readonly code = 'BENCH_BROWSER_BOARD';
}

/** Our server as the benchmark reaches it. */
export type BoardEndpoints = { origin: string; syncUrl: string; adminToken: string };

/** The wall clock the page also uses (`performance.timeOrigin + performance.now()`), in ms. */
export function wallNow(): number {
	return performance.timeOrigin + performance.now();
}

const created = z.object({ id: z.string().min(1) });

async function post(endpoints: BoardEndpoints, path: string, body: unknown): Promise<z.infer<typeof created>> {
	const response = await fetch(`${endpoints.origin}${path}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${endpoints.adminToken}`, 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
	const text = await response.text();
	if (response.status !== 201) throw new BrowserBoardError(`POST ${path} answered ${response.status}: ${text.slice(0, 200)}`);
	return created.parse(JSON.parse(text));
}

/** A mission with one empty board, through the JSON API (docs/api.md); returns the board id. */
export async function createBoard(endpoints: BoardEndpoints, title: string): Promise<string> {
	const mission = await post(endpoints, '/api/missions', { title: `${title} mission` });
	const board = await post(endpoints, `/api/missions/${encodeURIComponent(mission.id)}/boards`, { title });
	return board.id;
}

/**
 * Who the peer writes as: the admin token's principal. The server refuses history entries written
 * in anyone else's name (docs/access.md), so the peer signs its records as the one it signed in as.
 */
const peerActor = { id: adminPrincipal.id, name: adminPrincipal.name };

/** A y-websocket peer on one board document, writing through the board model. */
export class BoardPeer {
	readonly doc = new Y.Doc();
	readonly #provider: WebsocketProvider;

	private constructor(endpoints: BoardEndpoints, boardId: string) {
		this.#provider = new WebsocketProvider(endpoints.syncUrl, boardDocName(boardId), this.doc, {
			WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
			disableBc: true,
			params: { token: endpoints.adminToken }
		});
	}

	/** Connects and resolves once the server's state is in `doc`. */
	static async open(endpoints: BoardEndpoints, boardId: string): Promise<BoardPeer> {
		const peer = new BoardPeer(endpoints, boardId);
		const synced = await whenOrTimeout((done) => {
			if (peer.#provider.synced) return done();
			peer.#provider.on('sync', (isSynced: boolean) => {
				if (isSynced) done();
			});
		}, browserBoardDefaults.syncTimeoutMs);
		if (!synced) {
			peer.destroy();
			throw new BrowserBoardError(`board ${boardId}: the sync peer did not sync within ${browserBoardDefaults.syncTimeoutMs} ms`);
		}
		return peer;
	}

	get records(): number {
		return registerNames.reduce((sum, register) => sum + registerMap(this.doc, register).size, 0);
	}

	/** Writes `n` synthetic records (one transaction per register, sent as they are made). */
	seed(n: number): void {
		fillLargeBoard(this.doc, n, { actor: peerActor });
	}

	/**
	 * Sets one record's headline (`title` of dependencies and blockers, `text` of actions and
	 * decisions); returns when it was sent, on `wallNow()`'s clock.
	 */
	editHeadline(id: string, headline: string): number {
		const register = registerOf(this.doc, id);
		if (!register) throw new BrowserBoardError(`record ${id} is not on the board`);
		const patch = register === 'dependencies' || register === 'blockers' ? { title: headline } : { text: headline };
		const sentAt = wallNow();
		updateRecord(this.doc, register, id, patch, peerActor);
		return sentAt;
	}

	destroy(): void {
		this.#provider.destroy();
		this.doc.destroy();
	}
}

/** Opens a fresh peer and waits until it holds `expected` records; returns how many it holds. */
export async function recordsOnServer(endpoints: BoardEndpoints, boardId: string, expected: number): Promise<number> {
	const peer = await BoardPeer.open(endpoints, boardId);
	try {
		const deadline = Date.now() + browserBoardDefaults.syncTimeoutMs;
		while (peer.records < expected && Date.now() < deadline) await sleep(browserBoardDefaults.pollMs);
		return peer.records;
	} finally {
		peer.destroy();
	}
}

export async function launchChromium(): Promise<Browser> {
	const executablePath = chromiumPath();
	if (!executablePath) throw new BrowserBoardError('Chromium not found (apt-get install chromium, or set CHROMIUM_PATH)');
	return chromium.launch({ executablePath, args: chromiumArgs, headless: true });
}

/** A new browser profile (its own IndexedDB and caches) signed in through `/login?token=`. */
export async function signedInContext(browser: Browser, endpoints: BoardEndpoints): Promise<BrowserContext> {
	const context = await browser.newContext({
		baseURL: endpoints.origin,
		viewport: browserBoardDefaults.viewport,
		locale: 'en-GB',
		timezoneId: 'Europe/London'
	});
	const response = await context.request.get(`/login?token=${encodeURIComponent(endpoints.adminToken)}`, { maxRedirects: 0 });
	if (response.status() !== 303) {
		await context.close();
		throw new BrowserBoardError(`sign-in answered ${response.status()}`);
	}
	return context;
}

/** The first open's moments, in ms since navigation start: first rows on screen, and the board interactive. */
export type FirstOpen = { rowsMs: number; interactiveMs: number };

/**
 * Waits for the board page's `mc:board-interactive` mark and a live connection; returns its
 * `mc:board-rows` mark (the first rows on screen, the server's first screen when there is one) and
 * its `mc:board-interactive` mark.
 */
export async function firstOpen(page: Page): Promise<FirstOpen> {
	const interactiveMs = await timeToInteractive(page);
	const rowsMs = await page.evaluate(() => performance.getEntriesByName('mc:board-rows')[0]?.startTime ?? Number.NaN);
	return { rowsMs, interactiveMs };
}

/**
 * Waits for the board page's `mc:board-interactive` mark and a live connection; returns the mark's
 * time since navigation start.
 */
export async function timeToInteractive(page: Page): Promise<number> {
	const timeout = browserBoardDefaults.pageTimeoutMs;
	await page.waitForFunction(() => performance.getEntriesByName('mc:board-interactive').length > 0, undefined, { timeout });
	await page.waitForFunction(
		() => ['live', 'saved'].includes(document.querySelector('[data-sync-state]')?.getAttribute('data-sync-state') ?? ''),
		undefined,
		{ timeout }
	);
	return page.evaluate(() => performance.getEntriesByName('mc:board-interactive')[0]?.startTime ?? Number.NaN);
}

/** Resolves once the page's IndexedDB copy of the board holds at least one stored update. */
export async function waitForLocalCopy(page: Page, boardId: string): Promise<void> {
	const suffix = boardDocName(boardId);
	await page.waitForFunction(
		async (docName) => {
			const databases = await indexedDB.databases();
			const name = databases.map((database) => database.name).find((candidate) => candidate?.endsWith(docName));
			if (!name) return false;
			return new Promise<boolean>((resolve) => {
				const request = indexedDB.open(name);
				request.onerror = () => resolve(false);
				request.onsuccess = () => {
					const db = request.result;
					if (!db.objectStoreNames.contains('updates')) {
						db.close();
						return resolve(false);
					}
					const count = db.transaction('updates', 'readonly').objectStore('updates').count();
					count.onsuccess = () => {
						db.close();
						resolve(count.result > 0);
					};
					count.onerror = () => {
						db.close();
						resolve(false);
					};
				};
			});
		},
		suffix,
		{ timeout: browserBoardDefaults.pageTimeoutMs, polling: browserBoardDefaults.pollMs }
	);
}

/** Ids of the rows wholly inside the viewport, top first. */
export async function visibleRowIds(page: Page): Promise<string[]> {
	return page.evaluate(() =>
		Array.from(document.querySelectorAll<HTMLElement>('tbody tr[data-id]'))
			.filter((row) => {
				const box = row.getBoundingClientRect();
				return box.top >= 0 && box.bottom <= window.innerHeight && box.height > 0;
			})
			.map((row) => row.dataset.id ?? '')
			.filter((id) => id !== '')
	);
}

/**
 * How far the page's clock (`performance.timeOrigin + performance.now()`) is ahead of `wallNow()`:
 * the fastest of several round trips, so the error is at most half that round trip.
 */
export async function clockOffset(page: Page): Promise<{ offsetMs: number; errorMs: number }> {
	let best = { offsetMs: 0, errorMs: Number.POSITIVE_INFINITY };
	for (let sample = 0; sample < browserBoardDefaults.clockSamples; sample++) {
		const before = wallNow();
		const inPage = await page.evaluate(() => performance.timeOrigin + performance.now());
		const after = wallNow();
		if ((after - before) / 2 < best.errorMs) best = { offsetMs: inPage - (before + after) / 2, errorMs: (after - before) / 2 };
	}
	return best;
}

type RowWatch = { target: string; title: string; rows: Set<string>; seenAt: number };
type WatchWindow = { __benchRowWatch?: RowWatch };

/**
 * Watches the table from now on: every row any DOM change falls in (a mutation observer), and when
 * the armed row first shows the armed title (page clock). The title is polled every frame, not
 * read from mutations: a field's value is a property, and an edit shown only there (an input bound
 * to the record's text) makes no DOM mutation. Install once per page.
 */
export async function installRowWatch(page: Page): Promise<void> {
	await page.evaluate(() => {
		const watch: RowWatch = { target: '', title: '', rows: new Set(), seenAt: 0 };
		(window as WatchWindow).__benchRowWatch = watch;
		new MutationObserver((mutations) => {
			for (const mutation of mutations) {
				const node = mutation.target instanceof Element ? mutation.target : mutation.target.parentElement;
				const id = node?.closest<HTMLElement>('tr[data-id]')?.dataset.id;
				if (id) watch.rows.add(id);
			}
		}).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
		const shows = (row: HTMLElement, title: string): boolean =>
			Boolean(row.textContent?.includes(title)) ||
			Array.from(row.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')).some((field) => field.value.includes(title));
		const poll = (): void => {
			if (watch.target && watch.seenAt === 0) {
				const row = document.querySelector<HTMLElement>(`tr[data-id="${CSS.escape(watch.target)}"]`);
				if (row && shows(row, watch.title)) watch.seenAt = performance.timeOrigin + performance.now();
			}
			requestAnimationFrame(poll);
		};
		requestAnimationFrame(poll);
	});
}

/** Forgets what the watch saw and waits for `title` to show in row `id`. */
export async function armRowWatch(page: Page, id: string, title: string): Promise<void> {
	await page.evaluate(
		({ id, title }) => {
			const watch = (window as WatchWindow).__benchRowWatch;
			if (!watch) throw new Error('the row watch is not installed');
			Object.assign(watch, { target: id, title, rows: new Set<string>(), seenAt: 0 });
		},
		{ id, title }
	);
}

/** Waits until the armed row showed its title; then, after `settleMs`, every row touched since arming. */
export async function readRowWatch(page: Page, timeoutMs: number, settleMs: number): Promise<{ seenAt: number; rows: string[] }> {
	await page.waitForFunction(() => ((window as WatchWindow).__benchRowWatch?.seenAt ?? 0) > 0, undefined, { timeout: timeoutMs, polling: 'raf' });
	await sleep(settleMs);
	return page.evaluate(() => {
		const watch = (window as WatchWindow).__benchRowWatch;
		return { seenAt: watch?.seenAt ?? Number.NaN, rows: [...(watch?.rows ?? [])] };
	});
}
