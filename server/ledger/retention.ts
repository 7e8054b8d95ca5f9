/**
 * History retention (`HISTORY_RETENTION_DAYS`): past states stay answerable at the moments a Board
 * asks about — the end of every day and the start and end of every meeting — for ever, while the
 * copies of individual updates older than the retention period are dropped. Before anything is
 * dropped, a checkpoint is written at each of those moments (only where something changed), and one
 * at the cut-off, so later moments still replay from there. The ledger itself is always kept.
 *
 * Idempotent, and safe to run on several instances at once (they write the same checkpoints).
 */
import * as Y from 'yjs';
import { isoDateAt } from '#lib/board/dates.ts';
import { boardDocPrefix, boardIdOfDoc } from '#lib/protocol/doc-names.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/store.ts';

export const retentionDefaults = {
	/** How often each instance looks for history to prune (with ± 20 % jitter). */
	intervalMs: 6 * 3_600_000,
	/** History entries read per round trip while finding day ends. */
	historyPage: 1_000
} as const;

/** Moments (epoch ms) whose state must stay answerable: meeting starts and ends for a board. */
export type MeetingMoments = (boardId: string) => Promise<number[]>;

/** The `at` of the last update of each (UK) day among updates before `before`, oldest first. */
async function dayEnds(store: Store, docName: string, before: number): Promise<number[]> {
	const lastOfDay = new Map<string, number>();
	let beforeSeq: number | undefined;
	for (;;) {
		const page = await store.history(docName, { limit: retentionDefaults.historyPage, beforeSeq });
		for (const entry of page) {
			if (entry.at >= before) continue;
			const day = isoDateAt(entry.at);
			lastOfDay.set(day, Math.max(lastOfDay.get(day) ?? 0, entry.at));
		}
		if (page.length < retentionDefaults.historyPage) break;
		beforeSeq = page[page.length - 1]!.seq;
	}
	return [...lastOfDay.values()].sort((a, b) => a - b);
}

/** Prunes one document's history older than `before`; returns the seq it pruned up to (0: nothing). */
export async function pruneDocHistory(store: Store, docName: string, before: number, meetingMoments: readonly number[]): Promise<number> {
	const cut = await store.loadAsAt(docName, before - 1);
	if (cut.seq === 0 || !cut.complete) return 0;
	const moments = [...(await dayEnds(store, docName, before)), ...meetingMoments.filter((at) => at < before)].sort((a, b) => a - b);
	const keep = new Set<number>();
	for (const moment of moments) {
		const past = await store.loadAsAt(docName, moment);
		if (past.seq === 0 || keep.has(past.seq)) continue;
		// Incomplete means an earlier run already pruned there and kept a checkpoint if it had to.
		if (past.complete) await store.putCheckpoint(docName, past.seq, Y.mergeUpdates(past.updates));
		keep.add(past.seq);
	}
	await store.putCheckpoint(docName, cut.seq, Y.mergeUpdates(cut.updates));
	keep.add(cut.seq);
	await store.pruneHistory(docName, cut.seq, [...keep]);
	return cut.seq;
}

export class HistoryRetention {
	#store: Store;
	#log: Logger;
	#days: number;
	#meetingMoments: MeetingMoments;
	#timer: NodeJS.Timeout | undefined;
	#running: Promise<void> | undefined;

	constructor(options: { store: Store; log: Logger; retentionDays: number; meetingMoments: MeetingMoments }) {
		this.#store = options.store;
		this.#log = options.log;
		this.#days = options.retentionDays;
		this.#meetingMoments = options.meetingMoments;
	}

	start(): void {
		const next = () => {
			const jitter = 1 + (Math.random() * 0.4 - 0.2);
			this.#timer = setTimeout(() => {
				void this.runOnce().finally(next);
			}, retentionDefaults.intervalMs * jitter);
			this.#timer.unref();
		};
		next();
	}

	/** One pass over every board document; one pass at a time. */
	runOnce(now: number = Date.now()): Promise<void> {
		this.#running ??= this.#pass(now).finally(() => {
			this.#running = undefined;
		});
		return this.#running;
	}

	async stop(): Promise<void> {
		clearTimeout(this.#timer);
		await this.#running;
	}

	async #pass(now: number): Promise<void> {
		const before = now - this.#days * 86_400_000;
		for (const docName of await this.#store.listDocs(boardDocPrefix)) {
			const boardId = boardIdOfDoc(docName);
			if (!boardId) continue;
			try {
				const upTo = await pruneDocHistory(this.#store, docName, before, await this.#meetingMoments(boardId));
				if (upTo > 0) this.#log.info({ doc: docName, upTo }, 'history pruned; day ends and meetings kept as checkpoints');
			} catch (error) {
				this.#log.warn({ err: error, doc: docName }, 'history retention failed for a document; it will be tried again');
			}
		}
	}
}
