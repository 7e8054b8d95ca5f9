/**
 * The persistence contract. Two implementations (SQLite embedded, Redis scaled) pass the same
 * contract suite in `store-contract.ts`.
 *
 * A document is an append-only log of Yjs updates (V1 encoding), compacted into one snapshot
 * when it grows. Every appended update carries who wrote it and when, kept in a history that
 * compaction does not erase. Small server-side records (sessions, invites, people, missions…)
 * live in named collections as JSON values; callers validate what they read with zod.
 */

export const storeKinds = ['sqlite', 'redis'] as const;
export type StoreKind = (typeof storeKinds)[number];

/** Who wrote an update and when (epoch milliseconds). `by` is a principal id. */
export interface UpdateMeta {
	by: string;
	at: number;
}

export interface AppendEntry {
	update: Uint8Array;
	meta: UpdateMeta;
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
	/** Appends the entries in order, atomically (all or none). Resolves once they are durable. */
	appendUpdates(name: string, entries: AppendEntry[]): Promise<{ logLength: number }>;
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
