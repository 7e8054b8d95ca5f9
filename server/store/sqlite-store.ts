/**
 * The embedded store: one SQLite file in the data directory, through Node's built-in `node:sqlite`
 * (schema, pragmas and error mapping in `sqlite-database.ts`).
 *
 * Every write runs in one `BEGIN IMMEDIATE` transaction, so several processes may share the file and
 * take turns; `node:sqlite` is synchronous, so within one process each call runs to completion before
 * the next starts. An append numbers its entries after the highest seq in the log (an index seek) and
 * writes only the log and history rows: no counter row is rewritten on this hot path. A compaction
 * merges the log up to the highest seq it read (a large document in the Yjs thread) and deletes
 * only those rows, in a transaction that first checks they are still the ones read, so an update
 * appended before, during or after it is never lost. Statements are prepared once per store.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { LedgerEntry } from '#lib/protocol/ledger.ts';
import { canonicalJson } from './canonical-json.ts';
import { MergeThread } from './merge-thread.ts';
import { oneAtATimePerKey } from './one-at-a-time.ts';
import { blob, int, openSqliteDatabase, text, toStoreError, type Row } from './sqlite-database.ts';
import {
	StoreUnavailableError,
	type AppendEntry,
	type HistoryEntry,
	type LoadedDoc,
	type PastDoc,
	type Store,
	type StoredRecord
} from './store.ts';

export const sqliteStoreDefaults = {
	fileName: 'mission-control.db',
	/** Entries `history()` and `ledger()` return when no limit is given. */
	historyLimit: 100,
	/** A compaction also keeps its result as a checkpoint when the newest one is older than this. */
	checkpointIntervalMs: 3_600_000,
	/**
	 * The ledger's by-record index is written once per this many updates of a document, in the append
	 * that reaches a multiple of it; a record's history reads the rows after it (fewer than this) from
	 * the history itself. Indexed by every append, a ledger entry cost a fifth of an update's write.
	 */
	ledgerIndexEvery: 64,
	/**
	 * A compaction of fewer stored bytes than this merges on the event loop, a larger one in the Yjs
	 * thread (`merge-thread.ts`). Measured in the bench (30 s windows, one core): the meeting's board
	 * (136 KB) merged in 45–57 ms on the loop, and starting the thread for it cost about 300 ms of
	 * CPU and 29 MB of RSS, the thread ending 30 s after each compaction; the busy board's merges of
	 * 240–580 KB take 70–100 ms, every 5 s, and keep the thread running.
	 */
	mergeOnLoopBelowBytes: 262_144
} as const;

export interface SqliteStoreOptions {
	dataDir: string;
	/** Defaults to `mission-control.db`. */
	fileName?: string;
	/** Defaults to `sqliteStoreDefaults.checkpointIntervalMs`. */
	checkpointIntervalMs?: number;
	/** Defaults to `sqliteStoreDefaults.mergeOnLoopBelowBytes`. */
	mergeOnLoopBelowBytes?: number;
}

export function createSqliteStore(options: SqliteStoreOptions): Store {
	let db: DatabaseSync;
	try {
		mkdirSync(options.dataDir, { recursive: true });
		db = openSqliteDatabase(join(options.dataDir, options.fileName ?? sqliteStoreDefaults.fileName));
	} catch (error) {
		const wrapped = toStoreError(error);
		if (wrapped instanceof StoreUnavailableError) throw wrapped;
		throw new StoreUnavailableError(`sqlite store: cannot open ${options.dataDir}`, { cause: error });
	}
	let closed = false;
	/** Compactions of this store, per document, run one after another. */
	const inTurn = oneAtATimePerKey();
	const merger = new MergeThread({ onLoopBelowBytes: options.mergeOnLoopBelowBytes ?? sqliteStoreDefaults.mergeOnLoopBelowBytes });
	const checkpointIntervalMs = options.checkpointIntervalMs ?? sqliteStoreDefaults.checkpointIntervalMs;
	const sql = (source: string): StatementSync => db.prepare(source);
	const statements = {
		begin: sql('BEGIN IMMEDIATE'),
		commit: sql('COMMIT'),
		rollback: sql('ROLLBACK'),
		ping: sql('SELECT 1 AS ok'),
		// Two index seeks: the newest seq, and the seq the log starts after (the snapshot's, or none).
		logTip: sql(`SELECT
			coalesce((SELECT max(seq) FROM doc_log WHERE doc = ?1), 0) AS last_seq,
			coalesce((SELECT iif(kind = 'snapshot', seq, seq - 1) FROM doc_log WHERE doc = ?1 ORDER BY seq LIMIT 1), 0) AS base_seq`),
		registerDoc: sql('INSERT OR IGNORE INTO docs (name) VALUES (?)'),
		insertLog: sql(`INSERT INTO doc_log (doc, seq, kind, data, "by", at) VALUES (?, ?, 'update', ?, ?, ?)`),
		insertHistory: sql('INSERT INTO doc_history (doc, seq, "by", at, bytes, data, ledger) VALUES (?, ?, ?, ?, ?, ?, ?)'),
		// Each history row holds at least one entry: `limit` rows hold at least `limit` entries.
		ledger: sql('SELECT ledger FROM doc_history WHERE doc = ? AND seq < ? AND ledger IS NOT NULL ORDER BY seq DESC LIMIT ?'),
		ledgerIndexed: sql('SELECT ledger_indexed FROM docs WHERE name = ?'),
		ledgerAfter: sql('SELECT seq, ledger FROM doc_history WHERE doc = ? AND seq > ? AND seq < ? AND ledger IS NOT NULL ORDER BY seq DESC'),
		ledgerOfRecord: sql(`SELECT h.ledger FROM doc_ledger_records r JOIN doc_history h ON h.doc = r.doc AND h.seq = r.seq
			WHERE r.doc = ? AND r.record_id = ? AND r.seq < ? ORDER BY r.seq DESC LIMIT ?`),
		indexLedgerRecord: sql('INSERT OR IGNORE INTO doc_ledger_records (doc, record_id, seq) VALUES (?, ?, ?)'),
		setLedgerIndexed: sql(`INSERT INTO docs (name, ledger_indexed) VALUES (?1, ?2)
			ON CONFLICT (name) DO UPDATE SET ledger_indexed = max(ledger_indexed, excluded.ledger_indexed)`),
		lastSeqAt: sql('SELECT max(seq) AS seq FROM doc_history WHERE doc = ? AND at <= ?'),
		checkpointAtOrBefore: sql('SELECT seq, data FROM doc_checkpoints WHERE doc = ? AND seq <= ? ORDER BY seq DESC LIMIT 1'),
		newestCheckpoint: sql('SELECT max(at) AS at FROM doc_checkpoints WHERE doc = ?'),
		insertCheckpoint: sql('INSERT OR REPLACE INTO doc_checkpoints (doc, seq, at, data) VALUES (?, ?, ?, ?)'),
		historyBetween: sql('SELECT data FROM doc_history WHERE doc = ? AND seq > ? AND seq <= ? ORDER BY seq'),
		atOfSeq: sql('SELECT at FROM doc_history WHERE doc = ? AND seq = ?'),
		deleteLedgerRecords: sql('DELETE FROM doc_ledger_records WHERE doc = ?'),
		forgetUpdatesUpTo: sql('UPDATE doc_history SET data = NULL WHERE doc = ? AND seq <= ? AND data IS NOT NULL'),
		checkpointSeqsBefore: sql('SELECT seq FROM doc_checkpoints WHERE doc = ? AND seq < ?'),
		deleteCheckpoint: sql('DELETE FROM doc_checkpoints WHERE doc = ? AND seq = ?'),
		deleteCheckpoints: sql('DELETE FROM doc_checkpoints WHERE doc = ?'),
		loadLog: sql('SELECT kind, data FROM doc_log WHERE doc = ? ORDER BY seq'),
		logAll: sql('SELECT seq, kind, data FROM doc_log WHERE doc = ? ORDER BY seq'),
		logShapeUpTo: sql('SELECT count(*) AS count, coalesce(min(seq), 0) AS first_seq, coalesce(sum(length(data)), 0) AS bytes FROM doc_log WHERE doc = ? AND seq <= ?'),
		deleteLogUpTo: sql('DELETE FROM doc_log WHERE doc = ? AND seq <= ?'),
		insertSnapshot: sql(`INSERT INTO doc_log (doc, seq, kind, data, "by", at) VALUES (?, ?, 'snapshot', ?, 'store:compaction', ?)`),
		history: sql('SELECT seq, "by", at, bytes FROM doc_history WHERE doc = ? AND seq < ? ORDER BY seq DESC LIMIT ?'),
		deleteDocRow: sql('DELETE FROM docs WHERE name = ?'),
		deleteLog: sql('DELETE FROM doc_log WHERE doc = ?'),
		deleteHistory: sql('DELETE FROM doc_history WHERE doc = ?'),
		listDocs: sql('SELECT name FROM docs WHERE substr(name, 1, length(?1)) = ?1 ORDER BY name'),
		getRecord: sql('SELECT json FROM records WHERE collection = ? AND id = ?'),
		putRecord: sql(`INSERT INTO records (collection, id, json) VALUES (?, ?, ?)
			ON CONFLICT (collection, id) DO UPDATE SET json = excluded.json`),
		insertRecordIfAbsent: sql(`INSERT INTO records (collection, id, json) VALUES (?, ?, ?)
			ON CONFLICT (collection, id) DO NOTHING`),
		replaceRecordIfEqual: sql('UPDATE records SET json = ? WHERE collection = ? AND id = ? AND json = ?'),
		deleteRecordIfEqual: sql('DELETE FROM records WHERE collection = ? AND id = ? AND json = ?'),
		deleteRecord: sql('DELETE FROM records WHERE collection = ? AND id = ?'),
		listRecords: sql('SELECT id, json FROM records WHERE collection = ? ORDER BY id')
	};

	/** Runs `work` against the open database; failures come back as rejections, unavailability wrapped. */
	function call<T>(work: () => T): Promise<T> {
		try {
			if (closed) throw new StoreUnavailableError('sqlite store is closed');
			return Promise.resolve(work());
		} catch (error) {
			return Promise.reject(toStoreError(error));
		}
	}

	function transaction<T>(work: () => T): T {
		statements.begin.run();
		try {
			const result = work();
			statements.commit.run();
			return result;
		} catch (error) {
			if (db.isTransaction) statements.rollback.run();
			throw error;
		}
	}

	/** The seq up to which a document's ledger is in the by-record index. */
	function ledgerIndexed(name: string): number {
		const value = statements.ledgerIndexed.get(name)?.['ledger_indexed'];
		return typeof value === 'number' ? value : 0;
	}

	/** Writes the by-record index of a document's ledger up to `upToSeq` (inside the caller's transaction). */
	function indexLedger(name: string, upToSeq: number): void {
		for (const row of statements.ledgerAfter.all(name, ledgerIndexed(name), upToSeq + 1)) {
			const seq = int(row, 'seq');
			for (const entry of parseLedger(row)) statements.indexLedgerRecord.run(name, entry.recordId, seq);
		}
		statements.setLedgerIndexed.run(name, upToSeq);
	}

	/**
	 * Merges a document's log into one snapshot: the rows read in one statement, merged (a large
	 * document in the Yjs thread: O(document), on the event loop it held every peer for 70–240 ms
	 * per compaction), then written in one transaction only if the rows up to the last one merged are
	 * still the ones read (another process may have compacted, or the document was deleted). Rows
	 * appended meanwhile come after it and stay.
	 */
	async function compactOnce(name: string): Promise<void> {
		const rows = statements.logAll.all(name);
		const last = rows.at(-1);
		if (!last || !rows.some((row) => text(row, 'kind') === 'update')) return;
		const lastSeq = int(last, 'seq');
		const parts = rows.map((row) => blob(row, 'data'));
		const read = { count: rows.length, firstSeq: int(rows[0]!, 'seq'), bytes: parts.reduce((sum, part) => sum + part.byteLength, 0) };
		const merged = await merger.merge(parts);
		if (closed) return;
		transaction(() => {
			const now = statements.logShapeUpTo.get(name, lastSeq);
			if (!now || int(now, 'count') !== read.count || int(now, 'first_seq') !== read.firstSeq || int(now, 'bytes') !== read.bytes) return;
			// The snapshot takes the seq of the last update it merged, so the log still ends there.
			statements.deleteLogUpTo.run(name, lastSeq);
			statements.insertSnapshot.run(name, lastSeq, merged, Date.now());
			const newest = statements.newestCheckpoint.get(name)?.['at'];
			const at = statements.atOfSeq.get(name, lastSeq)?.['at'];
			if (typeof at === 'number' && (typeof newest !== 'number' || at - newest >= checkpointIntervalMs)) {
				statements.insertCheckpoint.run(name, lastSeq, at, merged);
			}
		});
	}

	/** The newest seq of a document (0 if none) and how many updates follow its snapshot. */
	function logTip(name: string): { lastSeq: number; logLength: number } {
		const row = statements.logTip.get(name);
		if (row === undefined) throw new TypeError('sqlite store: the log tip query returned nothing');
		const lastSeq = int(row, 'last_seq');
		return { lastSeq, logLength: lastSeq - int(row, 'base_seq') };
	}

	return {
		kind: 'sqlite',

		loadDoc: (name) =>
			call((): LoadedDoc => {
				const rows = statements.loadLog.all(name);
				let logLength = 0;
				const updates = rows.map((row) => {
					if (text(row, 'kind') === 'update') logLength += 1;
					return blob(row, 'data');
				});
				return { updates, logLength };
			}),

		appendUpdates: (name, entries: AppendEntry[]) =>
			call(() => {
				if (entries.length === 0) {
					const tip = logTip(name);
					return { logLength: tip.logLength, firstSeq: tip.lastSeq + 1 };
				}
				return transaction(() => {
					const tip = logTip(name);
					if (tip.lastSeq === 0) statements.registerDoc.run(name);
					let seq = tip.lastSeq;
					for (const { update, meta, ledger } of entries) {
						seq += 1;
						statements.insertLog.run(name, seq, update, meta.by, meta.at);
						const entriesJson = ledger?.length ? JSON.stringify(ledger.map((draft) => ({ seq, at: meta.at, ...draft }))) : null;
						statements.insertHistory.run(name, seq, meta.by, meta.at, update.byteLength, update, entriesJson);
					}
					const every = sqliteStoreDefaults.ledgerIndexEvery;
					if (Math.floor(seq / every) > Math.floor(tip.lastSeq / every)) indexLedger(name, seq);
					return { logLength: tip.logLength + entries.length, firstSeq: tip.lastSeq + 1 };
				});
			}),

		compact: (name) => {
			if (closed) return Promise.reject(new StoreUnavailableError('sqlite store is closed'));
			return inTurn(name, () => compactOnce(name).catch((error: unknown) => Promise.reject(toStoreError(error))));
		},

		history: (name, options = {}) =>
			call((): HistoryEntry[] => {
				const wanted = options.limit ?? sqliteStoreDefaults.historyLimit;
				const limit = Number.isFinite(wanted) ? Math.max(0, Math.floor(wanted)) : -1; // -1: no limit
				const beforeSeq = options.beforeSeq ?? Number.MAX_SAFE_INTEGER;
				return statements.history.all(name, beforeSeq, limit).map((row) => ({
					seq: int(row, 'seq'),
					by: text(row, 'by'),
					at: int(row, 'at'),
					bytes: int(row, 'bytes')
				}));
			}),

		ledger: (name, query = {}) =>
			call((): LedgerEntry[] => {
				const limit = Math.max(0, Math.floor(query.limit ?? sqliteStoreDefaults.historyLimit));
				const beforeSeq = query.beforeSeq ?? Number.MAX_SAFE_INTEGER;
				const recordId = query.recordId;
				// Newest first: the entries of one update in reverse of the order they were written.
				const newestFirst = (rows: Row[]) => rows.flatMap((row) => parseLedger(row).reverse());
				if (recordId === undefined) return newestFirst(statements.ledger.all(name, beforeSeq, limit)).slice(0, limit);
				const indexed = ledgerIndexed(name);
				const ofRecord = (entries: LedgerEntry[]) => entries.filter((entry) => entry.recordId === recordId);
				const found = ofRecord(newestFirst(statements.ledgerAfter.all(name, indexed, beforeSeq)));
				if (found.length < limit) found.push(...ofRecord(newestFirst(statements.ledgerOfRecord.all(name, recordId, Math.min(beforeSeq, indexed + 1), limit - found.length))));
				return found.slice(0, limit);
			}),

		loadAsAt: (name, at) =>
			call((): PastDoc => {
				const last = statements.lastSeqAt.get(name, at)?.['seq'];
				if (typeof last !== 'number') return { updates: [], seq: 0, complete: true };
				const checkpoint = statements.checkpointAtOrBefore.get(name, last);
				const updates: Uint8Array[] = checkpoint ? [blob(checkpoint, 'data')] : [];
				let complete = true;
				for (const row of statements.historyBetween.all(name, checkpoint ? int(checkpoint, 'seq') : 0, last)) {
					const data = row['data'];
					if (data instanceof Uint8Array) updates.push(data);
					else complete = false; // written before the store kept updates in the history
				}
				return { updates, seq: last, complete };
			}),

		putCheckpoint: (name, seq, state) =>
			call(() => {
				const at = statements.atOfSeq.get(name, seq)?.['at'];
				if (typeof at !== 'number') throw new TypeError(`sqlite store: ${name} has no update ${seq}`);
				statements.insertCheckpoint.run(name, seq, at, state);
			}),

		pruneHistory: (name, upToSeq, keepSeqs) =>
			call(() =>
				transaction(() => {
					if (!statements.checkpointAtOrBefore.get(name, upToSeq) || int(statements.checkpointAtOrBefore.get(name, upToSeq)!, 'seq') !== upToSeq) {
						throw new TypeError(`sqlite store: prune ${name} up to ${upToSeq} needs a checkpoint there first`);
					}
					statements.forgetUpdatesUpTo.run(name, upToSeq);
					const keep = new Set(keepSeqs);
					for (const row of statements.checkpointSeqsBefore.all(name, upToSeq)) {
						const seq = int(row, 'seq');
						if (!keep.has(seq)) statements.deleteCheckpoint.run(name, seq);
					}
				})
			),

		deleteDoc: (name) =>
			call(() =>
				transaction(() => {
					statements.deleteDocRow.run(name);
					statements.deleteLog.run(name);
					statements.deleteHistory.run(name);
					statements.deleteLedgerRecords.run(name);
					statements.deleteCheckpoints.run(name);
				})
			),

		listDocs: (prefix = '') => call(() => statements.listDocs.all(prefix).map((row) => text(row, 'name'))),

		getRecord: (collection, id) =>
			call(() => {
				const row = statements.getRecord.get(collection, id);
				return row === undefined ? undefined : JSON.parse(text(row, 'json'));
			}),

		putRecord: (collection, id, value) =>
			call(() => {
				statements.putRecord.run(collection, id, canonicalJson(value, `record ${collection}/${id}`));
			}),

		compareAndSetRecord: (collection, id, expected, next) =>
			call(() => {
				const what = `record ${collection}/${id}`;
				if (expected === undefined) {
					if (next === undefined) return statements.getRecord.get(collection, id) === undefined;
					return Number(statements.insertRecordIfAbsent.run(collection, id, canonicalJson(next, what)).changes) > 0;
				}
				const result =
					next === undefined
						? statements.deleteRecordIfEqual.run(collection, id, canonicalJson(expected, what))
						: statements.replaceRecordIfEqual.run(canonicalJson(next, what), collection, id, canonicalJson(expected, what));
				return Number(result.changes) > 0;
			}),

		deleteRecord: (collection, id) =>
			call(() => Number(statements.deleteRecord.run(collection, id).changes) > 0),

		listRecords: (collection) =>
			call((): StoredRecord[] =>
				statements.listRecords.all(collection).map((row) => ({
					id: text(row, 'id'),
					value: JSON.parse(text(row, 'json'))
				}))
			),

		ping: () =>
			call(() => {
				statements.ping.get();
			}),

		close: async () => {
			if (closed) return;
			closed = true;
			await merger.stop();
			try {
				db.close();
			} catch (error) {
				throw toStoreError(error);
			}
		}
	};
}

/** The ledger entries of a history row, in the order they were written. */
function parseLedger(row: Row): LedgerEntry[] {
	return JSON.parse(text(row, 'ledger')) as LedgerEntry[];
}
