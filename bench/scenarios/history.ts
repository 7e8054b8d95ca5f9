/**
 * The accountable record's cost (ours only; the baselines keep no history). In this process, on the
 * board model's own documents:
 * - CPU per accepted update of the hub's protection check and ledger description, against applying
 *   the same update with no rules (board-shaped edits by several writers on a 5,000-record board);
 * - storage per update on the embedded store (update log + kept history + ledger + checkpoints), and
 *   per day for the busy-board load (20 writers × 5 edits/s) over an 8-hour working day;
 * - opening the 5,000-record board "as at" a past meeting through the history service: from the
 *   reading kept when the meeting ended (`server/ledger/as-at-readings.ts`), and, for a moment no
 *   meeting marked, rebuilt (checkpoint + replay + read of every register); p50 and max of each.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { createRecord, updateRecord } from '#lib/board/board-doc.ts';
import { setRating } from '#lib/board/history.ts';
import { fillLargeBoard } from '#lib/board/large-board.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import { adminPrincipal, type Principal } from '../../server/auth/principal.ts';
import { createBackend } from '../../server/backend.ts';
import { parseConfig } from '../../server/config.ts';
import { boardRules } from '../../server/ledger/board-rules.ts';
import { asAtReadingDefaults } from '../../server/ledger/as-at-readings.ts';
import { sqliteStoreDefaults } from '../../server/store/sqlite-store.ts';
import { percentile } from '../lib/rig.ts';
import type { Figures } from '../lib/figures.ts';
import { serverKinds, type ServerKind } from '../lib/servers.ts';
import { failed, notAvailable, resultStatus, type RunContext, type Scenario, type ServerResult } from './scenario.ts';

export const historyLoad = {
	records: 5_000,
	writers: 20,
	updates: { quick: 2_000, full: 10_000 },
	asAtOpens: { quick: 3, full: 7 },
	/** The busy-board load, for storage per day. */
	busyEditsPerSecond: 100,
	workingDaySeconds: 8 * 3_600
} as const;

function writerPrincipal(index: number): Principal {
	return { id: `person:bench${index}`, kind: 'person', name: `Writer ${index}`, role: 'editor', departmentId: 'bench' };
}

/** Board-shaped edits: status, forecast, text, ratings and comments, as writers make them. */
function makeEdits(base: Y.Doc, count: number): { updates: Uint8Array[]; principals: Principal[] } {
	const writers = Array.from({ length: historyLoad.writers }, (_, index) => {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
		return { doc, principal: writerPrincipal(index) };
	});
	const ids = [...base.getMap('dependencies').keys()].slice(0, 500);
	const updates: Uint8Array[] = [];
	const principals: Principal[] = [];
	for (let i = 0; i < count; i++) {
		const writer = writers[i % writers.length]!;
		const me = { name: writer.principal.name, id: writer.principal.id };
		const id = ids[(i * 7) % ids.length]!;
		const captured: Uint8Array[] = [];
		const capture = (update: Uint8Array) => captured.push(update);
		writer.doc.on('update', capture);
		const kind = i % 10;
		if (kind < 5) updateRecord(writer.doc, 'dependencies', id, { status: (['agreed', 'at_risk', 'late'] as const)[i % 3] }, me);
		else if (kind < 8) updateRecord(writer.doc, 'dependencies', id, { forecast: `2027-0${(i % 9) + 1}-1${i % 9}` }, me);
		else if (kind === 8) setRating(writer.doc, id, { rating: i % 2 ? 'amber' : 'red', narrative: `Update ${i}` }, me);
		else createRecord(writer.doc, 'actions', { text: `Follow up ${i}`, owner: me, due: '2027-01-15' }, me);
		writer.doc.off('update', capture);
		updates.push(Y.mergeUpdates(captured));
		principals.push(writer.principal);
	}
	return { updates, principals };
}

function cpuMicros(): number {
	const usage = process.cpuUsage();
	return usage.user + usage.system;
}

/** Updates timed together: plain and ruled copies take turns block by block (below). */
const timingBlock = 100;

/**
 * CPU µs per update to apply `updates` to copies of `base`, with and without the board rules. The
 * two copies take turns, a block of updates each, so GC and JIT timing fall on both alike (one pass
 * after the other swung the difference from +28 % to +76 % between two runs of the same code); the
 * first block of each is a warm-up and not counted.
 */
function measureRules(base: Uint8Array, updates: Uint8Array[], principals: Principal[]): { plain: number; ruled: number } {
	const plainDoc = new Y.Doc();
	Y.applyUpdate(plainDoc, base);
	const ruledDoc = new Y.Doc();
	Y.applyUpdate(ruledDoc, base);
	let described = 0;
	ruledDoc.on('afterTransaction', (transaction: Y.Transaction) => {
		if (transaction.origin === 'peer') described += boardRules.describe(transaction).length;
	});
	let plain = 0;
	let ruled = 0;
	let counted = 0;
	for (let from = 0; from < updates.length; from += timingBlock) {
		const block = updates.slice(from, from + timingBlock);
		let started = cpuMicros();
		for (const update of block) Y.applyUpdate(plainDoc, update, 'peer');
		const plainBlock = cpuMicros() - started;
		started = cpuMicros();
		block.forEach((update, offset) => {
			const refusal = boardRules.check(ruledDoc, update, principals[from + offset]!);
			if (refusal) throw new Error(`a bench edit was refused: ${refusal.reason} at ${refusal.path}`);
			Y.applyUpdate(ruledDoc, update, 'peer');
		});
		const ruledBlock = cpuMicros() - started;
		if (from === 0) continue;
		plain += plainBlock;
		ruled += ruledBlock;
		counted += block.length;
	}
	if (described < updates.length * 0.9) throw new Error(`only ${described} ledger entries for ${updates.length} edits`);
	return { plain: plain / counted, ruled: ruled / counted };
}

/** Bytes the history keeps for a document: update copies, ledger entries and checkpoints (SQLite rows). */
function historyBytes(dataDir: string, docName: string): { updates: number; ledger: number; checkpoints: number } {
	const db = new DatabaseSync(join(dataDir, sqliteStoreDefaults.fileName), { readOnly: true });
	try {
		const one = (sql: string) => Number((db.prepare(sql).get(docName) as { n: number | null }).n ?? 0);
		return {
			updates: one('SELECT sum(length(data)) + count(*) * 24 AS n FROM doc_history WHERE doc = ?'),
			// The entries live in their update's history row; their by-record index in rows of its own.
			ledger: one(`SELECT (SELECT coalesce(sum(length(ledger)), 0) FROM doc_history WHERE doc = ?1)
				+ (SELECT coalesce(sum(length(doc) + length(record_id) + 24), 0) FROM doc_ledger_records WHERE doc = ?1) AS n`),
			checkpoints: one('SELECT sum(length(data)) AS n FROM doc_checkpoints WHERE doc = ?')
		};
	} finally {
		db.close();
	}
}

async function run(server: ServerKind, context: RunContext): Promise<ServerResult> {
	const count = context.quick ? historyLoad.updates.quick : historyLoad.updates.full;
	const dataDir = mkdtempSync(join(tmpdir(), 'mc-bench-history-'));
	const backend = await createBackend(parseConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ADMIN_TOKEN: 'bench-admin-token-0123456789abcdef' }));
	try {
		context.log(`filling a ${historyLoad.records.toLocaleString('en')}-record board`);
		const mission = await backend.workspace.createMission(adminPrincipal, { title: 'Bench mission' });
		const board = await backend.workspace.createBoard(adminPrincipal, mission.id, { title: 'Bench board' });
		const docName = boardDocName(board.id);
		await backend.hub.transact(docName, adminPrincipal, (doc) => fillLargeBoard(doc, historyLoad.records));
		const baseState = await backend.hub.withDoc(docName, (shared) => Y.encodeStateAsUpdate(shared.doc));
		const base = new Y.Doc();
		Y.applyUpdate(base, baseState);

		context.log(`${count.toLocaleString('en')} board-shaped edits by ${historyLoad.writers} writers`);
		const { updates, principals } = makeEdits(base, count);
		const cpu = measureRules(baseState, updates, principals);

		// Storage: the same edits through the hub (described, stamped and stored as a peer's would be).
		const before = historyBytes(dataDir, docName);
		// A meeting of the board's mission starts and ends before the edits: its end is the moment asked about.
		const started = await backend.meetings.start(adminPrincipal, { missionId: mission.id, forum: 'Missions Board', boardId: board.id });
		await backend.meetings.end(adminPrincipal, started.meetingId);
		const meetingEnd = (await backend.meetings.records.list(mission.id)).find((meeting) => meeting.id === started.meetingId)!.endedAt!;
		await new Promise((resolve) => setTimeout(resolve, 5));
		await backend.hub.withDoc(docName, async (shared) => {
			for (const [index, update] of updates.entries()) {
				shared.doc.transact(() => Y.applyUpdate(shared.doc, update), { originKind: 'server', principal: principals[index]! });
				if (index % 200 === 199) await shared.whenDurable();
			}
			await shared.whenDurable();
		});
		const after = historyBytes(dataDir, docName);
		// Per update: its kept copy and its ledger entries (the stamps' own updates included).
		const bytesPerUpdate = (after.updates - before.updates + after.ledger - before.ledger) / count;
		// Per day: that for every update, plus an hourly checkpoint of the whole board.
		const checkpointBytes = baseState.byteLength;
		const ledgerEntries = (await backend.store.ledger(docName, { limit: count * 2 })).length;

		context.log('waiting for the reading kept at the meeting’s end (made once the moment has settled)');
		await backend.readings.keep(board.id, meetingEnd);
		const kept = (await backend.store.getRecord(`${asAtReadingDefaults.collectionPrefix}${board.id}`, String(meetingEnd))) as { data: string } | undefined;
		if (!kept) throw new Error('no reading was kept at the meeting’s end');
		/**
		 * Opens the board as at `at` `times` times over: the four registers a meeting reviews, one after
		 * another. Also the longest the event loop (the live boards' loop) was held meanwhile.
		 */
		const open = async (at: number, times: number) => {
			const opens: number[] = [];
			const loop = monitorEventLoopDelay({ resolution: 5 });
			loop.enable();
			for (let i = 0; i < times; i++) {
				const started = performance.now();
				for (const register of ['dependencies', 'blockers', 'actions', 'decisions'] as const) {
					await backend.history.recordsAsAt(adminPrincipal, board.id, register, at);
				}
				opens.push(performance.now() - started);
			}
			loop.disable();
			return { opens, loopMaxMs: loop.max / 1e6 };
		};
		const times = context.quick ? historyLoad.asAtOpens.quick : historyLoad.asAtOpens.full;
		context.log('opening the board as at the end of the meeting');
		const { opens, loopMaxMs: keptLoopMs } = await open(meetingEnd, times);
		context.log('opening the board as at a moment just after it (no reading kept: rebuilt)');
		const { opens: rebuilds, loopMaxMs: rebuiltLoopMs } = await open(meetingEnd + 1, times);
		const figures: Figures = {
			historyRulesUsPerUpdate: cpu.ruled - cpu.plain,
			historyApplyUsPerUpdate: cpu.plain,
			historyRulesOverheadPct: ((cpu.ruled - cpu.plain) / cpu.plain) * 100,
			historyBytesPerUpdate: bytesPerUpdate,
			historyMbPerBusyDay: (bytesPerUpdate * historyLoad.busyEditsPerSecond * historyLoad.workingDaySeconds + checkpointBytes * (historyLoad.workingDaySeconds / 3_600)) / 1_048_576,
			historyLedgerEntries: ledgerEntries,
			historyAsAtOpenP50Ms: percentile(opens, 50),
			historyAsAtOpenMaxMs: Math.max(...opens),
			historyAsAtRebuildP50Ms: percentile(rebuilds, 50),
			historyAsAtRebuildMaxMs: Math.max(...rebuilds),
			historyAsAtLoopHeldMs: Math.max(keptLoopMs, rebuiltLoopMs),
			historyReadingKb: (kept.data.length * 3) / 4 / 1024
		};
		return { server, status: resultStatus.ok, figures, untrustworthy: [], warnings: [] };
	} catch (error) {
		return failed(server, error instanceof Error ? error.message : String(error));
	} finally {
		await backend.close();
		rmSync(dataDir, { recursive: true, force: true });
	}
}

export const history: Scenario = {
	name: 'history',
	title: 'Accountable record',
	describe: (quick) =>
		`ours only, in this process: protection check + ledger per accepted update vs. a plain apply (${(quick ? historyLoad.updates.quick : historyLoad.updates.full).toLocaleString('en')} board-shaped edits by ${historyLoad.writers} writers on a ${historyLoad.records.toLocaleString('en')}-record board), ` +
		`storage per update and per 8-hour busy day (${historyLoad.busyEditsPerSecond} edits/s), and opening the board as at a past meeting (from the reading kept at its end) and at a moment no meeting marked (rebuilt)`,
	notApplicable: (server) => (server === serverKinds.ours ? undefined : 'keeps no history'),
	run: (server, context) => (server === serverKinds.ours ? run(server, context) : Promise.resolve(notAvailable(server, 'keeps no history')))
};
