/**
 * Browser: our board page with 5,000 records in Chromium. Our server is started as in every other
 * scenario; a board is made through the JSON API and seeded by a y-websocket peer through the
 * board model (`fillLargeBoard`). Then, per visit, a fresh signed-in browser profile opens the
 * board (first visit, empty IndexedDB) and opens it again once its IndexedDB copy is stored (return
 * visit): `mc:board-rows` is the first rows on screen (the first screen in the page's HTML), and
 * interactive is the main thread free after `mc:board-interactive` (the live board's rows); a click on
 * a row must then open its details and take a keystroke (bench/README.md defines each). With
 * `--profile`, the first visit's page is profiled (CPU profile and trace). Last, the peer edits
 * the headline of rows on that page's screen, one at a time: the time from sending the edit to the
 * watching page's row showing it (both clocks are wall clocks; their offset is measured), and how
 * many rows the page touched for it (one is right). The baselines have no board page.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
	BoardPeer,
	armRowWatch,
	checkEditable,
	clockOffset,
	createBoard,
	firstOpen,
	installRowWatch,
	launchChromium,
	readRowWatch,
	recordsOnServer,
	signedInContext,
	visibleRowIds,
	waitForLocalCopy,
	type BoardEndpoints,
	type FirstOpen
} from '../lib/browser-board.ts';
import { chromiumPath } from '../../test/helpers/chromium-path.ts';
import { nowMs } from '../lib/clock.ts';
import { startPageProfile, stopPageProfile, type PageProfile } from '../lib/page-profile.ts';
import type { Figures } from '../lib/figures.ts';
import { waitForQuietMachine, quietDefaults } from '../lib/quiet-machine.ts';
import { percentile } from '../lib/rig.ts';
import { serverKinds, repoRoot, startServers, type RunningServers, type ServerKind } from '../lib/servers.ts';
import { failed, resultStatus, type RunContext, type Scenario, type ServerResult } from './scenario.ts';

export const browserLoad = {
	records: 5_000,
	/** Fresh browser profiles, each a first and a return visit (the median is reported). */
	visits: { quick: 1, full: 3 },
	remoteEdits: { quick: 20, full: 50 },
	/** Rows edited in turn (all on the watching page's screen). */
	editedRows: 10,
	editTimeoutMs: 10_000,
	/** After an edit shows, how long other rows may still change and count against it. */
	settleMs: 250,
	/** A clock offset known worse than this makes the edit figures untrustworthy. */
	clockErrorLimitMs: 2
} as const;

function hasBoardRoute(dir: string, depth = 0): boolean {
	if (!existsSync(dir) || depth > 4) return false;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		if (!entry.isDirectory()) continue;
		if (/board/i.test(entry.name) || hasBoardRoute(join(dir, entry.name), depth + 1)) return true;
	}
	return false;
}

function unavailable(): string | undefined {
	if (!hasBoardRoute(join(repoRoot, 'src/routes'))) return 'our board page does not exist yet (no board route under src/routes)';
	if (!existsSync(join(repoRoot, 'build/handler.js'))) return 'the app is not built (build/handler.js is missing): run npm run build first';
	if (!chromiumPath()) return 'Chromium not found (apt-get install chromium, or set CHROMIUM_PATH)';
	return undefined;
}

function endpointsOf(servers: RunningServers): BoardEndpoints {
	const target = servers.target('board:probe', 0);
	const adminToken = target.params.token;
	if (!adminToken) throw new Error('our server was started without an admin token');
	return { origin: target.serverUrl.replace(/^ws/, 'http').replace(/\/yjs$/, ''), syncUrl: target.serverUrl, adminToken };
}

type Visits = { rows: number[]; first: number[]; againRows: number[]; again: number[]; watcher: Page };

/**
 * Each visit in a fresh profile: open (first visit), check a row opens for editing, wait for the
 * IndexedDB copy, reload (return visit). With `profileDir`, the first visit's page is profiled.
 */
async function measureVisits(browser: Browser, endpoints: BoardEndpoints, boardId: string, visits: number, profileDir: string | undefined, log: (message: string) => void): Promise<Visits> {
	const rows: number[] = [];
	const first: number[] = [];
	const againRows: number[] = [];
	const again: number[] = [];
	let watcher: Page | undefined;
	if (profileDir) mkdirSync(profileDir, { recursive: true });
	for (let visit = 0; visit < visits; visit++) {
		const context = await signedInContext(browser, endpoints);
		const page = await context.newPage();
		const profiling = profileDir && visit === 0 ? await profileFrom(browser, page) : undefined;
		await page.goto(`/boards/${encodeURIComponent(boardId)}`);
		const opened = await firstOpen(page);
		if (profiling && profileDir) log(await stopPageProfile(profiling, join(profileDir, `browser-first-visit-${Date.now()}`)));
		rows.push(opened.paintedMs);
		first.push(opened.interactiveMs);
		const detailsMs = await checkEditable(page);
		await waitForLocalCopy(page, boardId);
		const profilingAgain = profileDir && visit === 0 ? await startPageProfile(browser, page) : undefined;
		await page.reload();
		const reopened = await firstOpen(page);
		if (profilingAgain && profileDir) log(await stopPageProfile(profilingAgain, join(profileDir, `browser-return-visit-${Date.now()}`)));
		againRows.push(reopened.paintedMs);
		again.push(reopened.interactiveMs);
		log(
			`visit ${visit + 1}: ${describeMeasures(opened.measures)} (first); ${describeMeasures(reopened.measures)} (return)`
		);
		log(
			`visit ${visit + 1}: first visit: HTML ${opened.htmlMs.toFixed(0)} ms, first paint ${opened.paintMs.toFixed(0)} ms, scripts ${opened.scriptsMs.toFixed(0)} ms, first rows painted ${opened.paintedMs.toFixed(0)} ms (mark ${opened.rowsMs.toFixed(0)} ms), interactive ${opened.interactiveMs.toFixed(0)} ms ` +
				`(longest task ${opened.longTaskMs.toFixed(0)} ms; a row click opened its details in ${detailsMs.toFixed(0)} ms and took a keystroke); ` +
				`return visit: first rows painted ${reopened.paintedMs.toFixed(0)} ms, interactive ${reopened.interactiveMs.toFixed(0)} ms (longest task ${reopened.longTaskMs.toFixed(0)} ms)`
		);
		if (visit < visits - 1) await context.close();
		else watcher = page;
	}
	if (!watcher) throw new Error('no visit was made');
	return { rows, first, againRows, again, watcher };
}

function describeMeasures(measures: FirstOpen['measures']): string {
	const names = Object.keys(measures);
	if (names.length === 0) return 'no page measures';
	return names.map((name) => `${name} ${measures[name]?.duration.toFixed(0)} ms from ${measures[name]?.start.toFixed(0)} ms`).join(', ');
}

/** Profiling starts on a page of the same site, so the board's navigation stays in the profiled renderer. */
async function profileFrom(browser: Browser, page: Page): Promise<PageProfile> {
	await page.goto('/healthz');
	return startPageProfile(browser, page);
}

type Edits = { latencies: number[]; rowsTouched: number[]; strayRows: string[]; clockErrorMs: number };

/** The peer edits on-screen rows one at a time; the watcher's row watch times each and counts rows. */
async function measureEdits(peer: BoardPeer, watcher: Page, edits: number, log: (message: string) => void): Promise<Edits> {
	const ids = (await visibleRowIds(watcher)).slice(0, browserLoad.editedRows);
	if (ids.length === 0) throw new Error('the board page shows no rows to edit');
	await installRowWatch(watcher);
	const clock = await clockOffset(watcher);
	log(`page clock ${clock.offsetMs.toFixed(2)} ms ahead of ours (±${clock.errorMs.toFixed(2)} ms); ${edits} edits over ${ids.length} on-screen rows`);
	const latencies: number[] = [];
	const rowsTouched: number[] = [];
	const strayRows = new Set<string>();
	for (let edit = 0; edit < edits; edit++) {
		const id = ids[edit % ids.length] ?? '';
		const headline = `Benchmark edit ${edit + 1}: revised data feed ${nowMs().toFixed(0)}`;
		await armRowWatch(watcher, id, headline);
		const sentAt = peer.editHeadline(id, headline);
		const seen = await readRowWatch(watcher, browserLoad.editTimeoutMs, browserLoad.settleMs);
		latencies.push(seen.seenAt - clock.offsetMs - sentAt);
		rowsTouched.push(seen.rows.length);
		for (const row of seen.rows) if (row !== id) strayRows.add(row);
	}
	return { latencies, rowsTouched, strayRows: [...strayRows], clockErrorMs: clock.errorMs };
}

async function run(server: ServerKind, context: RunContext): Promise<ServerResult> {
	const visits = context.quick ? browserLoad.visits.quick : browserLoad.visits.full;
	const edits = context.quick ? browserLoad.remoteEdits.quick : browserLoad.remoteEdits.full;
	const servers = await startServers({ kind: server, plan: context.plan, ...(context.profileDir ? { profileDir: context.profileDir } : {}) });
	try {
		const endpoints = endpointsOf(servers);
		const boardId = await createBoard(endpoints, 'Benchmark board');
		const peer = await BoardPeer.open(endpoints, boardId);
		try {
			const seedStart = nowMs();
			peer.seed(browserLoad.records);
			const held = await recordsOnServer(endpoints, boardId, browserLoad.records);
			if (held < browserLoad.records) return failed(server, `the server holds ${held} of ${browserLoad.records} seeded records`);
			context.log(`seeded ${browserLoad.records} records in ${(nowMs() - seedStart).toFixed(0)} ms`);

			const browser = await launchChromium();
			try {
				const busyCores = await waitForQuietMachine(context.quietWaitMs, context.log);
				const seen = await measureVisits(browser, endpoints, boardId, visits, context.profileDir, context.log);
				const edited = await measureEdits(peer, seen.watcher, edits, context.log);
				const figures: Figures = {
					browserFirstRowsMs: percentile(seen.rows, 50),
					browserInteractiveMs: percentile(seen.first, 50),
					browserReturnFirstRowsMs: percentile(seen.againRows, 50),
					browserReturnInteractiveMs: percentile(seen.again, 50),
					browserRemoteEditMs: percentile(edited.latencies, 50),
					browserRemoteEditP95Ms: percentile(edited.latencies, 95),
					browserRemoteEditMaxMs: Math.max(...edited.latencies),
					browserRowsPerEdit: Math.max(...edited.rowsTouched),
					browserRemoteEdits: edited.latencies.length
				};
				const warnings: string[] = [];
				const untrustworthy: ServerResult['untrustworthy'] = [];
				if (busyCores >= quietDefaults.quietCores) {
					warnings.push(`the machine was busy (${busyCores.toFixed(2)} cores in use by others) when the browser started measuring`);
					untrustworthy.push('browserFirstRowsMs', 'browserInteractiveMs', 'browserReturnFirstRowsMs', 'browserReturnInteractiveMs', 'browserRemoteEditMs', 'browserRemoteEditP95Ms', 'browserRemoteEditMaxMs');
				}
				if (edited.clockErrorMs > browserLoad.clockErrorLimitMs) {
					warnings.push(`the page's clock is known to ±${edited.clockErrorMs.toFixed(1)} ms only`);
					untrustworthy.push('browserRemoteEditMs', 'browserRemoteEditP95Ms', 'browserRemoteEditMaxMs');
				}
				if (edited.strayRows.length > 0) {
					warnings.push(`rows other than the edited one changed within ${browserLoad.settleMs} ms of an edit: ${edited.strayRows.slice(0, 5).join(', ')}`);
				}
				return { server, status: resultStatus.ok, figures, untrustworthy: [...new Set(untrustworthy)], warnings };
			} finally {
				await browser.close();
			}
		} finally {
			peer.destroy();
		}
	} finally {
		await servers.stop();
	}
}

export const browser: Scenario = {
	name: 'browser',
	title: 'Browser',
	describe: (quick) =>
		`our board page with ${browserLoad.records.toLocaleString('en')} records in Chromium: time to first rows and to interactive on a first visit (empty IndexedDB) and a return visit (IndexedDB copy), ` +
		`then ${quick ? browserLoad.remoteEdits.quick : browserLoad.remoteEdits.full} remote edits by a y-websocket peer: time until the watching page's row shows each, and rows re-rendered for it`,
	unavailable,
	notApplicable: (server) => (server === serverKinds.ours ? undefined : 'a sync server only: it has no board page to open'),
	run
};
