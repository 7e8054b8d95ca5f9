/**
 * The SQLite file itself, below the store: opening it with the pragmas we rely on, the schema and its
 * migrations, which SQLite failures mean "unavailable", and typed reads of row columns.
 *
 * WAL journal with `synchronous = NORMAL`: a committed transaction survives the process being killed
 * (kill -9), not necessarily a power cut. The busy timeout lets several processes share the file.
 * The WAL is copied back into the file (checkpointed, with its syncs) every 10,000 pages rather than
 * SQLite's 1,000: each commit appends every page it touched (an edit touches the log, its index and
 * the history), the same tail pages of busy documents again and again, and a checkpoint writes each
 * page once however often it was appended. That saves about a tenth of an append's CPU (100
 * documents, one edit each in turn); what a commit makes durable is unchanged.
 * For the same reason an update's ledger entries live in its history row rather than a table of
 * their own, and their by-record index is written 64 updates at a time.
 *
 * Tables (STRICT, so SQLite itself enforces the column types):
 * - `docs`: the name of every stored document (written on its first append, for `listDocs`), and
 *   how far its ledger's by-record index goes.
 * - `doc_log`: the snapshot (kind `snapshot`, seq = the last update it merged) and the updates after it,
 *   seq counting 1, 2, 3… per document. The newest row always holds the highest seq given out, and the
 *   log length is that seq minus the snapshot's.
 * - `doc_history`: who wrote each update, when and how big, the update itself (to rebuild the
 *   document as it stood at a past moment) and its ledger entries (a JSON array, one per record it
 *   changed; NULL when none); never compacted.
 * - `doc_ledger_records`: which updates changed each record (the ledger's by-record index). It is
 *   written in batches behind the appends, not by each one: `docs.ledger_indexed` is the seq up to
 *   which it is complete, and a record's history reads the few rows after it from `doc_history`.
 * - `doc_checkpoints`: the whole document as it stood after update `seq`, kept at compactions at most
 *   once per checkpoint interval, so a past state replays from the nearest one.
 * - `records`: JSON values by collection and id.
 * `PRAGMA user_version` holds the schema version; `sqliteMigrations[i]` upgrades version i to i + 1.
 */
import { DatabaseSync, type SQLOutputValue } from 'node:sqlite';
import { StoreUnavailableError } from './store.ts';

export const sqliteDatabaseDefaults = {
	busyTimeoutMs: 5_000,
	journalSizeLimitBytes: 67_108_864,
	/** Pages in the WAL before it is checkpointed (about 40 MB; SQLite's default is 1,000). */
	walAutocheckpointPages: 10_000
} as const;

export type Row = Record<string, SQLOutputValue>;

export const sqliteMigrations: readonly string[] = [
	`CREATE TABLE docs (name TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
	CREATE TABLE doc_log (
		doc TEXT NOT NULL,
		seq INTEGER NOT NULL,
		kind TEXT NOT NULL CHECK (kind IN ('snapshot', 'update')),
		data BLOB NOT NULL,
		"by" TEXT NOT NULL,
		at INTEGER NOT NULL,
		PRIMARY KEY (doc, seq)
	) STRICT;
	CREATE TABLE doc_history (
		doc TEXT NOT NULL,
		seq INTEGER NOT NULL,
		"by" TEXT NOT NULL,
		at INTEGER NOT NULL,
		bytes INTEGER NOT NULL,
		PRIMARY KEY (doc, seq)
	) STRICT, WITHOUT ROWID;
	CREATE TABLE records (
		collection TEXT NOT NULL,
		id TEXT NOT NULL,
		json TEXT NOT NULL,
		PRIMARY KEY (collection, id)
	) STRICT, WITHOUT ROWID;`,
	`ALTER TABLE doc_history ADD COLUMN data BLOB;
	CREATE TABLE doc_ledger (
		doc TEXT NOT NULL,
		seq INTEGER NOT NULL,
		n INTEGER NOT NULL,
		record_id TEXT NOT NULL,
		entry TEXT NOT NULL,
		PRIMARY KEY (doc, seq, n)
	) STRICT, WITHOUT ROWID;
	CREATE INDEX doc_ledger_by_record ON doc_ledger (doc, record_id, seq);
	CREATE TABLE doc_checkpoints (
		doc TEXT NOT NULL,
		seq INTEGER NOT NULL,
		at INTEGER NOT NULL,
		data BLOB NOT NULL,
		PRIMARY KEY (doc, seq)
	) STRICT;`,
	// The ledger moves into its update's history row (one write fewer per update); the by-record
	// index becomes a narrow table filled in batches behind the appends (`docs.ledger_indexed`).
	`ALTER TABLE doc_history ADD COLUMN ledger TEXT;
	ALTER TABLE docs ADD COLUMN ledger_indexed INTEGER NOT NULL DEFAULT 0;
	UPDATE doc_history SET ledger = (SELECT json_group_array(json(l.entry) ORDER BY l.n) FROM doc_ledger l WHERE l.doc = doc_history.doc AND l.seq = doc_history.seq)
		WHERE EXISTS (SELECT 1 FROM doc_ledger l WHERE l.doc = doc_history.doc AND l.seq = doc_history.seq);
	CREATE TABLE doc_ledger_records (
		doc TEXT NOT NULL,
		record_id TEXT NOT NULL,
		seq INTEGER NOT NULL,
		PRIMARY KEY (doc, record_id, seq)
	) STRICT, WITHOUT ROWID;
	INSERT OR IGNORE INTO doc_ledger_records (doc, record_id, seq) SELECT doc, record_id, seq FROM doc_ledger;
	UPDATE docs SET ledger_indexed = coalesce((SELECT max(seq) FROM doc_history h WHERE h.doc = docs.name), 0);
	DROP TABLE doc_ledger;`
];
export const sqliteSchemaVersion = sqliteMigrations.length;

/** Primary SQLite result codes that mean the file cannot be reached or trusted (not a bad query). */
const unavailableCodes = {
	SQLITE_PERM: 3, SQLITE_BUSY: 5, SQLITE_LOCKED: 6, SQLITE_NOMEM: 7, SQLITE_READONLY: 8, SQLITE_IOERR: 10,
	SQLITE_CORRUPT: 11, SQLITE_FULL: 13, SQLITE_CANTOPEN: 14, SQLITE_PROTOCOL: 15, SQLITE_NOTADB: 26
} as const;
const unavailableCodeSet: ReadonlySet<number> = new Set(Object.values(unavailableCodes));

/** Turns "cannot open / IO / closed" failures into StoreUnavailableError; returns anything else as is. */
export function toStoreError(error: unknown): unknown {
	if (!(error instanceof Error) || error instanceof StoreUnavailableError) return error;
	const { code, errcode } = error as Error & { code?: unknown; errcode?: unknown };
	if (code === 'ERR_SQLITE_ERROR' && typeof errcode === 'number' && unavailableCodeSet.has(errcode & 0xff)) {
		return new StoreUnavailableError(`sqlite: ${error.message}`, { cause: error });
	}
	if (code === 'ERR_INVALID_STATE') return new StoreUnavailableError('sqlite store is closed', { cause: error });
	return error;
}

export function int(row: Row, column: string): number {
	const value = row[column];
	if (typeof value !== 'number') throw new TypeError(`sqlite store: column ${column} is not an integer`);
	return value;
}

export function text(row: Row, column: string): string {
	const value = row[column];
	if (typeof value !== 'string') throw new TypeError(`sqlite store: column ${column} is not text`);
	return value;
}

export function blob(row: Row, column: string): Uint8Array {
	const value = row[column];
	if (!(value instanceof Uint8Array)) throw new TypeError(`sqlite store: column ${column} is not a blob`);
	return value;
}

/** Opens (creating if needed) and migrates the database file at `path`. */
export function openSqliteDatabase(path: string): DatabaseSync {
	const db = new DatabaseSync(path, { timeout: sqliteDatabaseDefaults.busyTimeoutMs });
	try {
		db.exec(`PRAGMA journal_mode = WAL;
			PRAGMA synchronous = NORMAL;
			PRAGMA journal_size_limit = ${sqliteDatabaseDefaults.journalSizeLimitBytes};
			PRAGMA wal_autocheckpoint = ${sqliteDatabaseDefaults.walAutocheckpointPages};`);
		migrate(db);
		return db;
	} catch (error) {
		db.close();
		throw error;
	}
}

function migrate(db: DatabaseSync): void {
	db.exec('BEGIN IMMEDIATE');
	try {
		const row = db.prepare('PRAGMA user_version').get();
		const version = row === undefined ? 0 : int(row, 'user_version');
		if (version > sqliteSchemaVersion) {
			throw new StoreUnavailableError(
				`sqlite store: the database has schema version ${version}, newer than this server's ${sqliteSchemaVersion}`
			);
		}
		for (const [index, sql] of sqliteMigrations.entries()) if (index >= version) db.exec(sql);
		db.exec(`PRAGMA user_version = ${sqliteSchemaVersion}`);
		db.exec('COMMIT');
	} catch (error) {
		if (db.isTransaction) db.exec('ROLLBACK');
		throw error;
	}
}

