/**
 * Saved per-board evidence: what the Missions Board view and the mission page read of a board (its
 * records linked to milestones, red dependencies, blockers escalated to the Missions Board, items
 * for decision), kept in the record store (`board-evidence`, one record per board, so SQLite, Redis
 * and PostgreSQL alike) so a cold start answers `/portfolio` without loading every board document.
 *
 * A saved extract names the document's newest stored update (`seq`, from `store.history`) and the
 * shape's `version`. It is used only when both still match: otherwise (missing, an older shape, a
 * document written since, a record that does not parse) the board is read from its document and the
 * extract saved again. The extract of a document that is written to is kept up to date here: every
 * stored batch of this instance and every change to a loaded board document (the relay, a reload)
 * marks the board's extract as due; it is recomputed once the document has been quiet for `debounceMs`
 * (or, while it keeps changing, `maxWaitMs` after the first change not yet saved), one at a time per
 * board. The seq is read before the document, so a saved extract never claims more than it holds; with several
 * instances, each one holding the document recomputes after the others' updates reach it, so the
 * last extract written holds them all.
 */
import { z } from 'zod';
import type * as Y from 'yjs';
import { boardDocName, boardIdOfDoc } from '#lib/protocol/doc-names.ts';
import { escalatedItem, forDecisionItem } from '#lib/protocol/missions.ts';
import { isoDate } from '#lib/protocol/record-fields.ts';
import type { HubHooks } from '../hub/hooks.ts';
import type { Logger } from '../log.ts';
import type { DocStore, RecordStore } from '../store/store.ts';

export const savedEvidenceCollection = 'board-evidence';

export const savedEvidenceDefaults = {
	/** The shape of a saved extract: raise it when `BoardExtract` changes, and old ones are recomputed. */
	version: 1,
	/**
	 * A board's extract is recomputed once its document has been quiet this long… (A second was
	 * too short: someone editing every second or two, as the bench's many-boards writers do, made
	 * one extract per edit, a document read and a store write each. The extract is a cache for a
	 * cold start: a stale one is never used, the document is read instead.)
	 */
	debounceMs: 5_000,
	/** …or, while it keeps changing (a meeting), once this long after the first change not yet saved. */
	maxWaitMs: 30_000
} as const;

const withoutBoardTitle = { boardTitle: true } as const;

/** One board's part of a mission's evidence (board titles are added when read: a board can be renamed). */
export const boardExtract = z.object({
	dependencies: z.array(
		z.object({ id: z.string(), ref: z.string(), boardId: z.string(), path: z.string(), status: z.string(), archived: z.boolean(), forecast: isoDate.nullable(), committed: isoDate.nullable(), milestones: z.array(z.string()) })
	),
	blockers: z.array(
		z.object({ id: z.string(), ref: z.string(), boardId: z.string(), path: z.string(), status: z.string(), archived: z.boolean(), targetResolution: isoDate.nullable(), milestones: z.array(z.string()), blocks: z.array(z.string()) })
	),
	redDependencies: z.array(escalatedItem.omit(withoutBoardTitle)),
	escalatedBlockers: z.array(escalatedItem.omit(withoutBoardTitle)),
	forDecision: z.array(forDecisionItem.omit(withoutBoardTitle)),
	/** Record titles, keyed `<boardId>:<recordId>`. */
	titles: z.array(z.tuple([z.string(), z.string()]))
});
export type BoardExtract = z.infer<typeof boardExtract>;

const savedExtract = z.object({ version: z.number().int(), seq: z.number().int(), extract: boardExtract });

export interface SavedEvidenceOptions {
	store: RecordStore & Pick<DocStore, 'history'>;
	log: Logger;
	/** The extract of a loaded document (cached per document by the caller). */
	extractLoaded: (boardId: string) => Promise<BoardExtract>;
	/** Whether the board's document is in memory on this instance. */
	isLoaded: (boardId: string) => boolean;
	debounceMs?: number;
	maxWaitMs?: number;
}

/** A board whose extract is due: when the first and the last change not yet saved came. */
interface Due {
	firstAt: number;
	lastAt: number;
	timer: NodeJS.Timeout;
}

export class SavedEvidence {
	#options: SavedEvidenceOptions;
	#due = new Map<string, Due>();
	/** One recomputation per board at a time: the latest one started is the latest one written. */
	#running = new Map<string, Promise<void>>();
	#closed = false;

	constructor(options: SavedEvidenceOptions) {
		this.#options = options;
	}

	/** Watches every loaded board document: a change schedules its extract's recomputation. */
	readonly hubHooks: HubHooks = {
		// After this instance's own updates are durable (the seq read then includes them).
		onStore: ({ docName }) => {
			const boardId = boardIdOfDoc(docName);
			if (boardId !== undefined) this.#schedule(boardId);
		},
		// Any change to a loaded board: the relay's updates (stored by their instance) and reloads.
		onLoad: ({ docName, shared }) => {
			const boardId = boardIdOfDoc(docName);
			if (boardId === undefined) return;
			const doc: Y.Doc = shared.doc;
			doc.on('update', () => this.#schedule(boardId));
		}
	};

	/** The newest stored update of a board's document (0 for none). */
	async #newestSeq(boardId: string): Promise<number> {
		return (await this.#options.store.history(boardDocName(boardId), { limit: 1 }))[0]?.seq ?? 0;
	}

	/**
	 * The board's extract: from its loaded document, else the saved one when it is current, else
	 * read from the document (loading it) and saved.
	 */
	async read(boardId: string): Promise<BoardExtract> {
		if (this.#options.isLoaded(boardId)) return this.#options.extractLoaded(boardId);
		const [raw, seq] = await Promise.all([this.#options.store.getRecord(savedEvidenceCollection, boardId), this.#newestSeq(boardId)]);
		const saved = raw === undefined ? undefined : savedExtract.safeParse(raw);
		if (saved?.success && saved.data.version === savedEvidenceDefaults.version && saved.data.seq === seq) return saved.data.extract;
		if (saved && !saved.success) this.#options.log.warn({ board: boardId }, 'missions: a saved board extract does not parse; reading the board');
		const extract = await this.#options.extractLoaded(boardId);
		await this.#save(boardId, seq, extract);
		return extract;
	}

	async #save(boardId: string, seq: number, extract: BoardExtract): Promise<void> {
		await this.#options.store.putRecord(savedEvidenceCollection, boardId, { version: savedEvidenceDefaults.version, seq, extract });
	}

	/**
	 * Marks a board's extract as due (a Map lookup per batch: the hot path). The recomputation runs
	 * once the document has been quiet for `debounceMs`, or `maxWaitMs` after the first change not
	 * yet saved while it keeps changing, so a burst costs one extract, not one per second.
	 */
	#schedule(boardId: string): void {
		if (this.#closed) return;
		const now = Date.now();
		const due = this.#due.get(boardId);
		if (due) {
			due.lastAt = now;
			return;
		}
		this.#due.set(boardId, { firstAt: now, lastAt: now, timer: this.#timer(boardId, this.#quietMs) });
	}

	get #quietMs(): number {
		return this.#options.debounceMs ?? savedEvidenceDefaults.debounceMs;
	}

	#timer(boardId: string, ms: number): NodeJS.Timeout {
		const timer = setTimeout(() => this.#fire(boardId), ms);
		timer.unref();
		return timer;
	}

	#fire(boardId: string): void {
		const due = this.#due.get(boardId);
		if (!due) return;
		const now = Date.now();
		const quietFor = now - due.lastAt;
		const waited = now - due.firstAt;
		const maxWaitMs = this.#options.maxWaitMs ?? savedEvidenceDefaults.maxWaitMs;
		if (quietFor < this.#quietMs && waited < maxWaitMs) {
			due.timer = this.#timer(boardId, Math.min(this.#quietMs - quietFor, maxWaitMs - waited));
			return;
		}
		this.#due.delete(boardId);
		const previous = this.#running.get(boardId) ?? Promise.resolve();
		const next = previous.then(() => this.#recompute(boardId));
		this.#running.set(boardId, next);
		void next.finally(() => {
			if (this.#running.get(boardId) === next) this.#running.delete(boardId);
		});
	}

	async #recompute(boardId: string): Promise<void> {
		if (this.#closed || !this.#options.isLoaded(boardId)) return;
		try {
			// The seq first: the document read after it holds at least that much.
			const seq = await this.#newestSeq(boardId);
			await this.#save(boardId, seq, await this.#options.extractLoaded(boardId));
		} catch (error) {
			// The saved extract stays behind the document's seq, so readers fall back to the document.
			this.#options.log.warn({ err: error, board: boardId }, 'missions: saving a board extract failed');
		}
	}

	/** Forgets a deleted board's extract. */
	forget(boardId: string): Promise<boolean> {
		return this.#options.store.deleteRecord(savedEvidenceCollection, boardId);
	}

	/** Stops scheduling and waits for the recomputations under way (idempotent). Pending ones are dropped: their extracts are found stale and read again. */
	async close(): Promise<void> {
		this.#closed = true;
		for (const { timer } of this.#due.values()) clearTimeout(timer);
		this.#due.clear();
		await Promise.all([...this.#running.values()]);
	}
}
