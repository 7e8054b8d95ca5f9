/**
 * Browser: how long a 5,000-record board takes to become interactive in Chromium, and how long one
 * remote edit takes to show in its table. It needs our board page, which does not exist yet: until
 * `browserWiring` below is filled in, the scenario reports "not available" with the reason (never
 * made-up figures).
 *
 * To wire it: fill in `browserWiring` (the page URL for a board, a selector present once the board
 * is interactive, seeding through the board model in src/lib/board, one remote edit) and write
 * `run` with playwright-core against Chromium: seed, open the page, time until `readySelector`;
 * then time `remoteEdit` until the new title is in the table.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { serverKinds, repoRoot, type ServerKind } from '../lib/servers.ts';
import { notAvailable, type RunContext, type Scenario, type ServerResult } from './scenario.ts';

export type BrowserWiring = {
	/** The board page for `boardId`, authenticated by the admin token. */
	boardUrl(origin: string, boardId: string, adminToken: string): string;
	/** Present once the board is rendered and accepts input. */
	readySelector: string;
	/** Seeds a board with `records` records through the board model, resolving when stored. */
	seedBoard(wsOrigin: string, boardId: string, adminToken: string, records: number): Promise<void>;
	/** Changes one record's title as a remote peer; the page must then show `title`. */
	remoteEdit(wsOrigin: string, boardId: string, adminToken: string, title: string): Promise<void>;
};

/** Filled in once the board page exists (see the module comment). */
export const browserWiring: BrowserWiring | undefined = undefined;

export const chromiumPath = '/usr/bin/chromium';

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
	if (!browserWiring) return 'the board page exists but bench/scenarios/browser.ts is not wired to it yet (browserWiring)';
	if (!existsSync(chromiumPath)) return `Chromium not found at ${chromiumPath}`;
	return undefined;
}

async function run(server: ServerKind, _context: RunContext): Promise<ServerResult> {
	return notAvailable(server, unavailable() ?? 'the measuring code is written when the board page is wired (browserWiring)');
}

export const browser: Scenario = {
	name: 'browser',
	title: 'Browser',
	describe: () => 'time until a 5,000-record board is interactive in Chromium, and to apply one remote edit to its table',
	unavailable,
	notApplicable: (server) => (server === serverKinds.ours ? undefined : 'a sync server only: it has no board page to open'),
	run
};
