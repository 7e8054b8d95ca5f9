/**
 * Reading the accountable record of a board: its ledger (newest first, filtered, paginated by a seq
 * cursor) and the board as it stood at a past moment. Every call checks that the principal may read
 * the board, through the workspace.
 */
import * as Y from 'yjs';
import { flattenEntry, type HistoryItem, type LedgerEntry } from '#lib/protocol/ledger.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import type { Principal } from '../auth/principal.ts';
import type { Store } from '../store/store.ts';
import { InvalidRequestError, NotFoundError, ConflictError } from '../workspace/errors.ts';
import type { RegisterName } from '#lib/protocol/registers.ts';
import { recordPath } from '#lib/protocol/workspace.ts';
import { isoDateAt } from '#lib/board/dates.ts';
import { diffBoards, readingOf, type BoardChange } from '#lib/board/diff.ts';
import { readBoard, type BoardContents } from '#lib/board/read.ts';
import { boardSummary } from '#lib/board/derived.ts';
import { getIn, listIn } from '../workspace/board-records.ts';
import type { Workspace } from '../workspace/workspace.ts';
import type { AsAtReadings } from './as-at-readings.ts';
import { contentsOf, listingOf, readPastRegisters, type PastRegisters } from './past-registers.ts';

export const historyDefaults = {
	pageSize: 100,
	maxPageSize: 500,
	/** Ledger entries read from the store per round while filtering. */
	scanBatch: 500,
	/** How many entries one request may read while filtering before it answers with what it found. */
	maxScanned: 20_000,
	/** Rebuilt past documents kept, and for how long (a page reads six registers of one moment). */
	recentDocs: 2,
	recentTtlMs: 30_000,
	/**
	 * A moment this far in the past is settled: every update stamped at or before it is stored (a
	 * write takes milliseconds; one the store refused is retried, and the board cannot be read from
	 * the store meanwhile), so the board as at that moment is found again by the moment alone,
	 * without reading its history from the store again.
	 */
	settledMs: 10_000,
	/** "What changed" looks back this far when the mission has had no meeting yet. */
	defaultWindowMs: 7 * 86_400_000
} as const;

export interface HistoryQuery {
	since?: number;
	until?: number;
	/** A record id or its ref at the time of the change. */
	record?: string;
	/** A principal id (`person:…`) or a name. */
	person?: string;
	department?: string;
	register?: string;
	field?: string;
	/** The seq to continue before (from the previous page's `nextCursor`). */
	cursor?: number;
	limit?: number;
}

/** When the mission's last meeting before `at` ended (undefined when none has). */
export type LastMeetingEnd = (missionId: string, at: number) => Promise<{ id: string; title: string; forum: string; endedAt: number } | undefined>;

export interface BoardChangesView {
	boardId: string;
	from: string;
	to: string;
	/** What `from` is: given by the caller, the end of a meeting, or a week before `to`. */
	since: { kind: 'given' } | { kind: 'week' } | { kind: 'meeting'; meetingId: string; title: string; forum: string };
	changes: Array<BoardChange & { path: string }>;
}

/**
 * A past moment of a board as the store answered it (`loadAsAt`), and what has been made of it so
 * far: its registers (rebuilt and read in the worker thread) and, only when a caller needs the
 * document itself, the document. Shared by readers: never changed.
 */
type PastBoard = {
	boardId: string;
	updates: Uint8Array[];
	expires: number;
	registers?: Promise<PastRegisters>;
	doc?: Y.Doc;
};

/** A kept reading of a past moment (`AsAtReadings`), decoded. Shared by readers: never changed. */
type PastReading = { registers: PastRegisters; expires: number };

export interface HistoryPage {
	entries: HistoryItem[];
	/** Pass as `cursor` for the next (older) page; null when there is none. */
	nextCursor: number | null;
}

export class BoardHistory {
	#store: Store;
	#workspace: Workspace;

	#lastMeetingEnd: LastMeetingEnd;
	#readings: AsAtReadings | undefined;
	/** Recently decoded readings, by `board@moment`, and those being read from the store. */
	#recentReadings = new Map<string, PastReading>();
	#readingLoads = new Map<string, Promise<PastReading | undefined>>();
	/** Recently loaded past moments (by `board@seq`), oldest first. */
	#recent = new Map<string, PastBoard>();
	/** Settled moments (`board@at`) and the loaded past (its key in `#recent`) that is the board then. */
	#moments = new Map<string, string>();
	/** Past moments being loaded, by board and moment: the page reads six registers of one moment at once. */
	#loading = new Map<string, Promise<PastBoard>>();

	constructor(options: { store: Store; workspace: Workspace; lastMeetingEnd: LastMeetingEnd; readings?: AsAtReadings }) {
		this.#store = options.store;
		this.#workspace = options.workspace;
		this.#lastMeetingEnd = options.lastMeetingEnd;
		this.#readings = options.readings;
	}

	/**
	 * What changed on the board between two moments (default: the end of the mission's last ended
	 * meeting, or a week ago when none has ended, and now), record by record.
	 */
	async changes(principal: Principal, boardId: string, range: { from?: number; to?: number } = {}): Promise<BoardChangesView> {
		const { board } = await this.#workspace.resolveBoard(principal, boardId);
		const now = Date.now();
		const to = range.to ?? now;
		let from = range.from;
		let since: BoardChangesView['since'] = { kind: 'given' };
		if (from === undefined) {
			const meeting = await this.#lastMeetingEnd(board.missionId, to);
			from = meeting?.endedAt ?? to - historyDefaults.defaultWindowMs;
			since = meeting ? { kind: 'meeting', meetingId: meeting.id, title: meeting.title, forum: meeting.forum } : { kind: 'week' };
		}
		if (from > to) throw new InvalidRequestError('from must be before to');
		const read = async (at: number) => {
			if (at < board.createdAt) return readingOf(readBoard(new Y.Doc(), { includeArchived: true }));
			return readingOf(await this.contentsAsAt(principal, boardId, Math.min(at, now), { includeArchived: true }));
		};
		const [before, after] = [await read(from), await read(to)];
		const changes = diffBoards(before, after, { fromDay: isoDateAt(from), toDay: isoDateAt(to) }).map((change) => ({
			...change,
			path: recordPath(boardId, change.ref)
		}));
		return { boardId, from: new Date(from).toISOString(), to: new Date(to).toISOString(), since, changes };
	}

	/** The board's changes, newest first, each field as one item. */
	async boardHistory(principal: Principal, boardId: string, query: HistoryQuery = {}): Promise<HistoryPage> {
		await this.#workspace.resolveBoard(principal, boardId);
		return this.#page(boardDocName(boardId), query, undefined);
	}

	/** One record's changes, newest first (resolved by ref or id, as the record API does). */
	async recordHistory(principal: Principal, boardId: string, register: RegisterName, refOrId: string, query: HistoryQuery = {}): Promise<HistoryPage> {
		const record = await this.#workspace.getRecord(principal, boardId, register, refOrId);
		return this.#page(boardDocName(boardId), query, record.id);
	}

	/**
	 * The board document as it stood at `at` (epoch ms), read-only: callers must not change or destroy
	 * it. Rebuilt here, on the event loop: for what needs the document itself (an export, one record);
	 * the registers, the counts and the diff are read without it (`contentsAsAt`). Kept for a short
	 * while, keyed by the last update it includes, so two moments with nothing between them share one.
	 */
	async boardAsAt(principal: Principal, boardId: string, at: number): Promise<Y.Doc> {
		return docOf(await this.#pastAt(principal, boardId, at));
	}

	/** Every register as it stood at `at`, as `readBoard` reads them (from a kept reading, or rebuilt off the event loop). */
	async contentsAsAt(principal: Principal, boardId: string, at: number, options: { includeArchived?: boolean } = {}): Promise<BoardContents> {
		await this.#checkMoment(principal, boardId, at);
		return contentsOf(await this.#registersAt(boardId, at), options);
	}

	/**
	 * The board's state as at `at`, as one update (for a wall, which rebuilds it itself): the store's
	 * checkpoint and updates merged in the worker thread, never a document built here.
	 */
	async stateAsAt(principal: Principal, boardId: string, at: number): Promise<Uint8Array> {
		const past = await this.#pastAt(principal, boardId, at);
		if (past.doc) return Y.encodeStateAsUpdate(past.doc);
		if (past.updates.length === 0) return Y.encodeStateAsUpdate(new Y.Doc());
		if (past.updates.length === 1) return past.updates[0]!;
		if (this.#readings) {
			try {
				return await this.#readings.merge(past.updates);
			} catch {
				// The thread is gone (shutting down): merged here instead.
			}
		}
		return Y.mergeUpdates(past.updates);
	}

	/** The registers at `at`: the reading kept for that moment (a meeting's start or end), else rebuilt. */
	async #registersAt(boardId: string, at: number): Promise<PastRegisters> {
		const kept = await this.#readingAt(boardId, at);
		if (kept) return kept.registers;
		const past = await this.#pastBoard(boardId, at);
		past.registers ??= this.#readRegisters(past);
		return past.registers;
	}

	/** Rebuilds and reads the registers in the worker thread (here only when it cannot: shutting down). */
	async #readRegisters(past: PastBoard): Promise<PastRegisters> {
		if (this.#readings && !past.doc) {
			try {
				return await this.#readings.read(past.boardId, past.updates);
			} catch {
				// Read here instead.
			}
		}
		return readPastRegisters(docOf(past), past.boardId);
	}

	/** The past board at `at`, once the caller may read the board and `at` is a moment it existed. */
	async #pastAt(principal: Principal, boardId: string, at: number): Promise<PastBoard> {
		await this.#checkMoment(principal, boardId, at);
		return this.#pastBoard(boardId, at);
	}

	/** Refuses a caller who may not read the board, and a moment it cannot be shown at. */
	async #checkMoment(principal: Principal, boardId: string, at: number): Promise<void> {
		const { board } = await this.#workspace.resolveBoard(principal, boardId);
		if (!Number.isFinite(at)) throw new InvalidRequestError('asAt must be an ISO date-time, e.g. 2026-11-12T14:00:00Z');
		if (at > Date.now()) throw new InvalidRequestError('asAt is in the future: a board can be shown as it stood, not as it will be');
		if (at < board.createdAt) throw new NotFoundError('board state', `as at ${new Date(at).toISOString()} (the board was created ${new Date(board.createdAt).toISOString()})`);
	}

	/**
	 * The kept reading of exactly `at` (a meeting's start or end), decoded once however many reads of
	 * that moment arrive together; undefined when none is kept (the board is then rebuilt).
	 */
	#readingAt(boardId: string, at: number): Promise<PastReading | undefined> {
		const readings = this.#readings;
		if (!readings) return Promise.resolve(undefined);
		const key = `${boardId}@${at}`;
		const now = Date.now();
		for (const [stale, entry] of this.#recentReadings) if (entry.expires <= now) this.#recentReadings.delete(stale);
		const known = this.#recentReadings.get(key);
		if (known) return Promise.resolve(known);
		let loading = this.#readingLoads.get(key);
		if (!loading) {
			loading = readings
				.get(boardId, at)
				.then((registers) => {
					if (!registers) return undefined;
					const entry: PastReading = { registers, expires: Date.now() + historyDefaults.recentTtlMs };
					this.#recentReadings.set(key, entry);
					while (this.#recentReadings.size > historyDefaults.recentDocs) this.#recentReadings.delete(this.#recentReadings.keys().next().value!);
					return entry;
				})
				.finally(() => this.#readingLoads.delete(key));
			this.#readingLoads.set(key, loading);
		}
		return loading;
	}

	/** The past board at `at`, loaded from the store once however many reads of that moment arrive together. */
	#pastBoard(boardId: string, at: number): Promise<PastBoard> {
		const key = `${boardId}@${at}`;
		// A page reads several registers of one moment, one request each: the first rebuilds the
		// board, the others find it here without reading its history from the store again.
		const known = this.#recent.get(this.#moments.get(key) ?? '');
		if (known && known.expires > Date.now()) return Promise.resolve(known);
		let loading = this.#loading.get(key);
		if (!loading) {
			loading = this.#loadPastBoard(boardId, at).finally(() => this.#loading.delete(key));
			this.#loading.set(key, loading);
		}
		return loading;
	}

	async #loadPastBoard(boardId: string, at: number): Promise<PastBoard> {
		const past = await this.#store.loadAsAt(boardDocName(boardId), at);
		if (!past.complete) throw new ConflictError(`the board's history before ${new Date(at).toISOString()} is not kept (it predates the change history, or retention removed it)`);
		const key = `${boardId}@${past.seq}`;
		const now = Date.now();
		for (const [stale, entry] of this.#recent) if (entry.expires <= now) this.#forget(stale);
		if (at <= now - historyDefaults.settledMs) this.#moments.set(`${boardId}@${at}`, key);
		const cached = this.#recent.get(key);
		if (cached) return cached;
		const entry: PastBoard = { boardId, updates: past.updates, expires: now + historyDefaults.recentTtlMs };
		this.#recent.set(key, entry);
		// Released when it expires, not at the next load: a 5,000-record board's registers are tens of MB.
		setTimeout(() => {
			if (this.#recent.get(key) === entry) this.#forget(key);
		}, historyDefaults.recentTtlMs).unref();
		while (this.#recent.size > historyDefaults.recentDocs) this.#forget(this.#recent.keys().next().value!);
		return entry;
	}

	#forget(key: string): void {
		this.#recent.get(key)?.doc?.destroy();
		this.#recent.delete(key);
		for (const [moment, target] of this.#moments) if (target === key) this.#moments.delete(moment);
	}

	/**
	 * The board with its counts as they stood at `at` (its title and departments are today's; the
	 * counts and records are the past's). Access is always `read`: the past is not editable.
	 */
	async boardViewAsAt(principal: Principal, boardId: string, at: number) {
		const view = await this.#workspace.getBoard(principal, boardId);
		const counts = boardSummary(readingOf(await this.contentsAsAt(principal, boardId, at)), isoDateAt(at));
		return { ...view, access: 'read' as const, asAt: new Date(at).toISOString(), counts };
	}

	/** A register's records as they stood at `at`. */
	async recordsAsAt<R extends RegisterName>(principal: Principal, boardId: string, register: R, at: number, options: { includeArchived?: boolean } = {}) {
		await this.#checkMoment(principal, boardId, at);
		// A past register never changes: every register is read and validated once while the moment is kept.
		const registers = await this.#registersAt(boardId, at);
		return { asAt: new Date(at).toISOString(), ...(listingOf(registers, register, options) as ReturnType<typeof listIn<R>>) };
	}

	/** One record as it stood at `at` (by its ref or id then). */
	async recordAsAt<R extends RegisterName>(principal: Principal, boardId: string, register: R, refOrId: string, at: number) {
		const doc = await this.boardAsAt(principal, boardId, at);
		return { asAt: new Date(at).toISOString(), ...getIn(doc, boardId, register, refOrId) };
	}

	async #page(docName: string, query: HistoryQuery, recordId: string | undefined): Promise<HistoryPage> {
		const limit = Math.min(query.limit ?? historyDefaults.pageSize, historyDefaults.maxPageSize);
		const entries: HistoryItem[] = [];
		let before = query.cursor;
		let scanned = 0;
		for (;;) {
			const batch = await this.#store.ledger(docName, { beforeSeq: before, recordId, limit: historyDefaults.scanBatch });
			if (batch.length === 0) return { entries, nextCursor: null };
			// Whole updates only: a page never splits one update's entries, so the cursor is a seq.
			for (const group of bySeq(batch)) {
				const seq = group[0]!.seq;
				if (query.since !== undefined && group[0]!.at < query.since) return { entries, nextCursor: null };
				for (const entry of group) if (matches(entry, query)) entries.push(...flattenEntry(entry).filter((item) => !query.field || item.field === query.field));
				before = seq;
				if (entries.length >= limit) return { entries, nextCursor: seq };
			}
			scanned += batch.length;
			if (batch.length < historyDefaults.scanBatch) return { entries, nextCursor: null };
			if (scanned >= historyDefaults.maxScanned) return { entries, nextCursor: before ?? null };
		}
	}
}

function* bySeq(entries: readonly LedgerEntry[]): Generator<LedgerEntry[]> {
	let group: LedgerEntry[] = [];
	for (const entry of entries) {
		if (group.length > 0 && group[0]!.seq !== entry.seq) {
			yield group;
			group = [];
		}
		group.push(entry);
	}
	if (group.length > 0) yield group;
}

function matches(entry: LedgerEntry, query: HistoryQuery): boolean {
	if (query.until !== undefined && entry.at > query.until) return false;
	if (query.record && entry.recordId !== query.record && entry.ref.toUpperCase() !== query.record.toUpperCase()) return false;
	if (query.person && entry.by.id !== query.person && entry.by.name !== query.person) return false;
	if (query.department && entry.by.department !== query.department) return false;
	if (query.register && entry.register !== query.register) return false;
	if (query.field && !entry.changes.some((change) => change.field === query.field)) return false;
	return true;
}

/** The past document itself, rebuilt on the event loop the first time a caller needs it. */
function docOf(past: PastBoard): Y.Doc {
	if (!past.doc) {
		const doc = new Y.Doc({ gc: true });
		doc.transact(() => {
			for (const update of past.updates) Y.applyUpdate(doc, update);
		});
		past.doc = doc;
	}
	return past.doc;
}
