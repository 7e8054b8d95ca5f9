/**
 * Per-board counts for the home page and the API (red and late dependencies, open and escalated
 * blockers, overdue actions), computed by the board model's `boardSummary` from the board
 * document. A summary is cached per loaded document until the document changes or the day
 * turns; an unloaded document drops its cache with it.
 */
import type * as Y from 'yjs';
import { readBoard, validRecords } from '#lib/board/board-doc.ts';
import { isoDateAt } from '#lib/board/dates.ts';
import { boardSummary, type BoardSummary } from '#lib/board/derived.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import type { BoardCounts } from '#lib/protocol/workspace.ts';
import type { DocHub } from '../hub/doc-hub.ts';

// The API's zod schema and the model's type describe the same thing: fail the build if they drift.
const sameShape = (summary: BoardSummary): BoardCounts => summary;
void sameShape;

interface CacheEntry {
	today: string;
	summary: BoardSummary | undefined;
}

export class BoardSummaries {
	#hub: DocHub;
	#now: () => number;
	/** Keyed by the Y.Doc itself: a reloaded document is a new object and starts fresh. */
	#cache = new WeakMap<Y.Doc, CacheEntry>();

	constructor(hub: DocHub, now: () => number = Date.now) {
		this.#hub = hub;
		this.#now = now;
	}

	/** The counts of one board (loads its document if it is not in memory). */
	summary(boardId: string): Promise<BoardCounts> {
		return this.#hub.withDoc(boardDocName(boardId), (shared) => this.#summarise(shared.doc));
	}

	/** The counts of several boards, keyed by board id. */
	async summaries(boardIds: readonly string[]): Promise<Map<string, BoardCounts>> {
		const entries = await Promise.all(boardIds.map(async (id) => [id, await this.summary(id)] as const));
		return new Map(entries);
	}

	#summarise(doc: Y.Doc): BoardSummary {
		const today = isoDateAt(this.#now());
		let entry = this.#cache.get(doc);
		if (!entry) {
			const fresh: CacheEntry = { today, summary: undefined };
			doc.on('update', () => {
				fresh.summary = undefined;
			});
			this.#cache.set(doc, fresh);
			entry = fresh;
		}
		if (entry.summary && entry.today === today) return entry.summary;
		const contents = readBoard(doc);
		const summary = boardSummary(
			{
				dependencies: validRecords(contents.dependencies),
				blockers: validRecords(contents.blockers),
				actions: validRecords(contents.actions),
				decisions: validRecords(contents.decisions)
			},
			today
		);
		entry.today = today;
		entry.summary = summary;
		return summary;
	}
}
