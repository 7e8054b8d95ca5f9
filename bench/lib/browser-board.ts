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

/**
 * Chromium features the benchmark turns off besides Playwright's own. Headless Chromium (156) starts
 * the omnibox popup's WebUI in a renderer of its own for every new window: 0.5–0.9 s of CPU per
 * first visit (all of Chromium 5.55 → 5.01 s, same build and load) on the one core the browser
 * gets. A person's browser built its omnibox when it started, not when they opened a board, so it
 * is not part of the page's figures.
 */
export const benchDisabledFeatures = ['WebUIOmniboxPopup', 'WebUIOmniboxFullPopup', 'WebUIOmniboxAimPopup'] as const;

/**
 * Chromium keeps the last `--disable-features` it is given, so the benchmark's list is joined to
 * the one Playwright passes (read from the command line of a browser it starts for that purpose).
 */
async function disabledFeaturesSwitch(executablePath: string): Promise<string> {
	const probe = await chromium.launchServer({ executablePath, args: chromiumArgs, headless: true });
	try {
		const playwrights = probe
			.process()
			.spawnargs.filter((arg) => arg.startsWith('--disable-features='))
			.flatMap((arg) => arg.slice('--disable-features='.length).split(','));
		return `--disable-features=${[...new Set([...playwrights, ...benchDisabledFeatures])].filter(Boolean).join(',')}`;
	} finally {
		await probe.close();
	}
}

export async function launchChromium(): Promise<Browser> {
	const executablePath = chromiumPath();
	if (!executablePath) throw new BrowserBoardError('Chromium not found (apt-get install chromium, or set CHROMIUM_PATH)');
	return chromium.launch({ executablePath, args: [...chromiumArgs, await disabledFeaturesSwitch(executablePath)], headless: true });
}

/** A new browser profile (its own IndexedDB and caches) signed in through `/login?token=`. */
export async function signedInContext(browser: Browser, endpoints: BoardEndpoints): Promise<BrowserContext> {
	const context = await browser.newContext({
		baseURL: endpoints.origin,
		viewport: browserBoardDefaults.viewport,
		locale: 'en-GB',
		timezoneId: 'Europe/London'
	});
	await context.addInitScript(installPageProbes);
	const response = await context.request.get(`/login?token=${encodeURIComponent(endpoints.adminToken)}`, { maxRedirects: 0 });
	if (response.status() !== 303) {
		await context.close();
		throw new BrowserBoardError(`sign-in answered ${response.status()}`);
	}
	return context;
}

type LongTaskWindow = { __benchLongTasks?: { start: number; end: number }[]; __benchRowsPainted?: () => number | undefined };

/**
 * Runs in every page before its scripts. Keeps the main thread's long tasks (≥ 50 ms) from the
 * start, and times the first paint of a table row: every element holding text in a `tbody
 * tr[data-id]` gets an `elementtiming` attribute as it is inserted (before it can paint: mutation
 * observers run before the next frame), and the first element-timing entry's render time is kept.
 */
function installPageProbes(): void {
	const probe = window as LongTaskWindow;
	const tasks: { start: number; end: number }[] = [];
	probe.__benchLongTasks = tasks;
	new PerformanceObserver((list) => {
		for (const entry of list.getEntries()) tasks.push({ start: entry.startTime, end: entry.startTime + entry.duration });
	}).observe({ type: 'longtask', buffered: true });
	let painted: number | undefined;
	const note = (entries: PerformanceEntryList): void => {
		for (const entry of entries as (PerformanceEntry & { identifier?: string; renderTime?: number; loadTime?: number })[]) {
			if (entry.identifier === 'bench-first-row' && painted === undefined) painted = entry.renderTime || entry.loadTime || entry.startTime;
		}
	};
	const paints = new PerformanceObserver((list) => note(list.getEntries()));
	paints.observe({ type: 'element', buffered: true });
	// Entries reach the observer in a later task: take any still queued when asked.
	probe.__benchRowsPainted = () => {
		note(paints.takeRecords());
		return painted;
	};
	// The parser may insert a row before its cells: every text-holding element of any row is tagged
	// as it arrives, until a row's text has painted.
	const rows = new MutationObserver(() => {
		if (painted !== undefined) return rows.disconnect();
		for (const element of Array.from(document.querySelectorAll('tbody tr[data-id], tbody tr[data-id] *'))) {
			if (element.hasAttribute('elementtiming')) continue;
			if (Array.from(element.childNodes).some((node) => node.nodeType === Node.TEXT_NODE)) element.setAttribute('elementtiming', 'bench-first-row');
		}
	});
	rows.observe(document, { childList: true, subtree: true });
}

/**
 * The first open's moments, in ms since navigation start. `paintedMs`: the first table row painted
 * (element timing, see `installPageProbes`): "first rows visible". `rowsMs`: the page's own
 * `mc:board-rows` mark (the first rows inserted). `interactiveMs`: the main
 * thread is free again after the `mc:board-interactive` mark (the live rows on screen): the end of
 * the long task the mark was made in, or the mark itself when that task was short. `htmlMs`: the
 * page's HTML (with the first screen) wholly arrived; `paintMs`: the first contentful paint; `scriptsMs`:
 * the last script the page loaded arrived. `longTaskMs`: the longest
 * task before interactive. `measures`: the page's own `mc:` measures (applying the state, loading
 * the local copy), the last of each name.
 */
export type FirstOpen = { rowsMs: number; paintedMs: number; interactiveMs: number; htmlMs: number; paintMs: number; scriptsMs: number; longTaskMs: number; measures: Record<string, { start: number; duration: number }> };

/** Waits for the board page to be interactive (see `timeToInteractive`) and reads the first open's moments. */
export async function firstOpen(page: Page): Promise<FirstOpen> {
	const interactiveMs = await timeToInteractive(page);
	return page.evaluate((interactive) => {
		const html = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
		const scripts = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((entry) => entry.initiatorType === 'script' || entry.name.endsWith('.js'));
		const tasks = (window as LongTaskWindow).__benchLongTasks ?? [];
		return {
			rowsMs: performance.getEntriesByName('mc:board-rows')[0]?.startTime ?? Number.NaN,
			paintedMs: (window as LongTaskWindow).__benchRowsPainted?.() ?? Number.NaN,
			interactiveMs: interactive,
			htmlMs: html?.responseEnd ?? Number.NaN,
			paintMs: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
			scriptsMs: scripts.length > 0 ? Math.max(...scripts.map((entry) => entry.responseEnd)) : Number.NaN,
			longTaskMs: Math.max(0, ...tasks.filter((task) => task.start <= interactive).map((task) => task.end - task.start)),
			measures: Object.fromEntries(
				performance
					.getEntriesByType('measure')
					.filter((entry) => entry.name.startsWith('mc:'))
					.map((entry) => [entry.name, { start: entry.startTime, duration: entry.duration }])
			)
		};
	}, interactiveMs);
}

/**
 * Waits for the board page's `mc:board-interactive` mark and a live connection; returns when the
 * main thread was next free, in ms since navigation start: the end of the long task (≥ 50 ms) the
 * mark fell in, or the mark itself. Until then a click or keystroke waits.
 */
export async function timeToInteractive(page: Page): Promise<number> {
	const timeout = browserBoardDefaults.pageTimeoutMs;
	await page.waitForFunction(() => performance.getEntriesByName('mc:board-interactive').length > 0, undefined, { timeout });
	await page.waitForFunction(
		() => ['live', 'saved'].includes(document.querySelector('[data-sync-state]')?.getAttribute('data-sync-state') ?? ''),
		undefined,
		{ timeout }
	);
	// A long task is reported once it has ended: one more frame, so the one holding the mark is in.
	await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
	return page.evaluate(() => {
		const mark = performance.getEntriesByName('mc:board-interactive')[0]?.startTime ?? Number.NaN;
		const holding = ((window as LongTaskWindow).__benchLongTasks ?? []).find((task) => task.start <= mark && mark <= task.end);
		return holding ? holding.end : mark;
	});
}

/**
 * The board is usable, not just drawn: clicking the first row opens its details, and a keystroke
 * in the details' first text field lands in it. Returns the time from the click to the details
 * (ms); throws when either fails.
 */
export async function checkEditable(page: Page): Promise<number> {
	const first = page.locator('tbody tr[data-id]').first();
	const started = wallNow();
	await first.focus();
	await page.keyboard.press('Enter');
	const details = page.locator('aside.detail');
	await details.waitFor({ timeout: browserBoardDefaults.pageTimeoutMs });
	const openedMs = wallNow() - started;
	const field = details.locator('textarea:not([disabled]):not([readonly]), input[type="text"]:not([disabled]):not([readonly])').first();
	const before = await field.inputValue();
	await field.focus();
	await page.keyboard.press('End');
	await page.keyboard.type('!');
	const after = await field.inputValue();
	if (after !== `${before}!`) throw new BrowserBoardError(`a keystroke in the details did not land: "${before}" became "${after}"`);
	await page.keyboard.press('Backspace');
	await page.keyboard.press('Escape');
	await page.keyboard.press('Escape');
	await details.waitFor({ state: 'detached', timeout: browserBoardDefaults.pageTimeoutMs });
	return openedMs;
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
