/**
 * The persistence contract. Three implementations (SQLite embedded; Redis or PostgreSQL when scaled) pass the same
 * contract suite in `store-contract.ts`.
 *
 * A document is an append-only log of Yjs updates (V1 encoding), compacted into one snapshot
 * when it grows. Every appended update carries who wrote it and when, kept in a history that
 * compaction does not erase. Small server-side records (sessions, invites, people, missions…)
 * live in named collections as JSON values; callers validate what they read with zod.
 */

import type { LedgerEntry } from '#lib/protocol/ledger.ts';

export const storeKinds = ['sqlite', 'redis', 'postgres'] as const;
export type StoreKind = (typeof storeKinds)[number];

/** Who wrote an update and when (epoch milliseconds). `by` is a principal id. */
export interface UpdateMeta {
	by: string;
	at: number;
}

/** One record's changes in an update, as the hub attributed them (the store adds seq and at). */
export type LedgerDraft = Omit<LedgerEntry, 'seq' | 'at'>;

export interface AppendEntry {
	update: Uint8Array;
	meta: UpdateMeta;
	/** The ledger entries of this update, written in the same atomic write. */
	ledger?: LedgerDraft[];
}

/**
 * A message to publish on a Redis pub/sub channel in the same atomic write as the append (the relay's
 * message for the batch). Only a store that says it shares the relay's Redis (`RedisStore.sharesRedis`)
 * is given one; the others take no options.
 */
export interface Announcement {
	channel: string;
	message: Uint8Array;
}

export interface AppendOptions {
	announce?: Announcement;
}

export interface LedgerQuery {
	/** Entries with a seq below this one (exclusive): the cursor of the next page. */
	beforeSeq?: number;
	/** One record's entries only. */
	recordId?: string;
	/** Defaults to 100. */
	limit?: number;
}

/** What the store keeps to rebuild a document as it stood at a moment. */
export interface PastDoc {
	/** A checkpoint (if any) first, then the updates after it, in order. */
	updates: Uint8Array[];
	/** The seq of the last update included (0: nothing had been written by then). */
	seq: number;
	/** Whether the store still had everything up to that moment (retention may have dropped updates). */
	complete: boolean;
}

export interface LoadedDoc {
	/** The snapshot (if any) first, then every logged update in the order it was appended. */
	updates: Uint8Array[];
	/** How many entries the log holds beyond the snapshot: the hub compacts when it passes a threshold. */
	logLength: number;
}

export interface HistoryEntry {
	seq: number;
	by: string;
	at: number;
	bytes: number;
}

export interface StoredRecord {
	id: string;
	value: unknown;
}

export interface DocStore {
	/** Everything stored for a document; an unknown document loads as `{ updates: [], logLength: 0 }`. */
	loadDoc(name: string): Promise<LoadedDoc>;
	/**
	 * Appends the entries in order, with their ledger entries, atomically (all or none). Resolves once
	 * they are durable, with the log length and the seq given to the first entry.
	 */
	appendUpdates(name: string, entries: AppendEntry[], options?: AppendOptions): Promise<{ logLength: number; firstSeq: number }>;
	/** Ledger entries, newest first (ties: the order they were written, reversed). */
	ledger(name: string, query?: LedgerQuery): Promise<LedgerEntry[]>;
	/**
	 * The updates that rebuild the document as it stood at `at` (epoch ms): everything appended with
	 * `meta.at <= at`, from the newest checkpoint at or before that point.
	 */
	loadAsAt(name: string, at: number): Promise<PastDoc>;
	/** Keeps `state` (the whole document after update `seq`) as a checkpoint. Idempotent. */
	putCheckpoint(name: string, seq: number, state: Uint8Array): Promise<void>;
	/**
	 * Retention: forgets the kept copies of updates up to `upToSeq` (a checkpoint at `upToSeq` must
	 * exist first), and the checkpoints before it except those at `keepSeqs`. The ledger is kept.
	 */
	pruneHistory(name: string, upToSeq: number, keepSeqs: readonly number[]): Promise<void>;
	/**
	 * Merges the snapshot and the log as it stands into one snapshot. An update appended while this
	 * runs is kept after the new snapshot. Only one compaction of a document runs at a time.
	 */
	compact(name: string): Promise<void>;
	/**
	 * Attribution of the newest updates first (not erased by compaction). `seq` is a positive integer
	 * that grows with every append to the document; `beforeSeq` is exclusive; `limit` defaults to 100.
	 */
	history(name: string, options?: { limit?: number; beforeSeq?: number }): Promise<HistoryEntry[]>;
	/** Removes the document, its log and its history. */
	deleteDoc(name: string): Promise<void>;
	/** Names of every stored document starting with `prefix` (literal, case-sensitive), in no set order. */
	listDocs(prefix?: string): Promise<string[]>;
}

export interface RecordStore {
	/** The stored value, or `undefined` when there is none (a stored `null` reads as `null`). */
	getRecord(collection: string, id: string): Promise<unknown>;
	/** Stores a JSON-serialisable value, replacing any. */
	putRecord(collection: string, id: string, value: unknown): Promise<void>;
	/**
	 * Writes `next` only if the stored value still equals `expected`, atomically. Values compare as JSON
	 * with object keys sorted (key order does not matter); `undefined` means "absent", for `expected`
	 * and for `next` (which then deletes the record). Returns whether it wrote. For counters and
	 * one-time secrets.
	 */
	compareAndSetRecord(collection: string, id: string, expected: unknown, next: unknown): Promise<boolean>;
	deleteRecord(collection: string, id: string): Promise<boolean>;
	/** Every record of one collection, in no set order. */
	listRecords(collection: string): Promise<StoredRecord[]>;
}

export interface Store extends DocStore, RecordStore {
	readonly kind: StoreKind;
	/** Resolves when the store answers; rejects with StoreUnavailableError otherwise. */
	ping(): Promise<void>;
	/** Idempotent. */
	close(): Promise<void>;
}

export class StoreUnavailableError extends Error {
	readonly code = 'store_unavailable';
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'StoreUnavailableError';
	}
}
