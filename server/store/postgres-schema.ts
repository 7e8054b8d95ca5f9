/**
 * The PostgreSQL database below the store: the schema and its migrations, and which failures mean
 * "unavailable". The tables mirror the SQLite store's (`sqlite-database.ts`):
 * - `docs`: one row per stored document: `last_seq` (the highest seq given out, raised by every
 *   append, so concurrent appends to one document take turns on this row and never share a seq) and
 *   `base_seq` (the seq the snapshot covers; the log length is `last_seq - base_seq`). `id` changes
 *   when a document is deleted and written again, so a compaction in flight never writes into the
 *   new one.
 * - `doc_snapshots`: the merged snapshot of a document, and the seq of the last update it holds.
 * - `doc_log`: the updates after the snapshot.
 * - `doc_history`: who wrote each update, when and how big, and the update itself (NULL once
 *   retention forgot it); never compacted.
 * - `doc_ledger`: the change ledger, one row per record per update, written with its update.
 * - `doc_checkpoints`: the whole document as it stood after update `seq`.
 * - `records`: JSON values (canonical text: keys sorted) by collection and id.
 * - `schema_migrations`: the versions applied. Migrations are forward-only; each runs once, in order,
 *   inside one transaction holding an advisory lock, so instances starting at once take turns and
 *   the later ones find nothing left to do.
 */
import type { Sql } from 'postgres';
import { StoreUnavailableError } from './store.ts';

const migrations: readonly string[] = [
	`CREATE TABLE docs (
		name text PRIMARY KEY,
		id bigint GENERATED ALWAYS AS IDENTITY,
		last_seq bigint NOT NULL,
		base_seq bigint NOT NULL DEFAULT 0
	);
	CREATE TABLE doc_snapshots (
		doc text PRIMARY KEY,
		seq bigint NOT NULL,
		data bytea NOT NULL
	);
	CREATE TABLE doc_log (
		doc text NOT NULL,
		seq bigint NOT NULL,
		data bytea NOT NULL,
		PRIMARY KEY (doc, seq)
	);
	CREATE TABLE doc_history (
		doc text NOT NULL,
		seq bigint NOT NULL,
		"by" text NOT NULL,
		at bigint NOT NULL,
		bytes integer NOT NULL,
		data bytea,
		PRIMARY KEY (doc, seq)
	);
	CREATE INDEX doc_history_at ON doc_history (doc, at);
	CREATE TABLE doc_ledger (
		doc text NOT NULL,
		seq bigint NOT NULL,
		n integer NOT NULL,
		record_id text NOT NULL,
		at bigint NOT NULL,
		draft text NOT NULL,
		PRIMARY KEY (doc, seq, n)
	);
	CREATE INDEX doc_ledger_by_record ON doc_ledger (doc, record_id, seq);
	CREATE TABLE doc_checkpoints (
		doc text NOT NULL,
		seq bigint NOT NULL,
		at bigint NOT NULL,
		data bytea NOT NULL,
		PRIMARY KEY (doc, seq)
	);
	CREATE TABLE records (
		collection text NOT NULL,
		id text NOT NULL,
		json text NOT NULL,
		PRIMARY KEY (collection, id)
	);`
];
export const postgresSchemaVersion = migrations.length;

/** The advisory lock migrations hold (any fixed 64-bit number; this one spells "mc-schema"). */
const migrationLockKey = 0x6d632d736368656dn;

/**
 * Applies the migrations this database lacks; returns the versions it applied. Safe to run from
 * several processes at once: the advisory lock makes them take turns.
 */
export async function migratePostgres(sql: Sql): Promise<number[]> {
	return sql.begin(async (tx) => {
		await tx`SELECT pg_advisory_xact_lock(${migrationLockKey.toString()}::bigint)`;
		await tx`CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`;
		const rows = await tx<{ version: number }[]>`SELECT version FROM schema_migrations ORDER BY version`;
		const current = rows.at(-1)?.version ?? 0;
		if (current > postgresSchemaVersion) {
			throw new StoreUnavailableError(
				`postgres store: the database has schema version ${current}, newer than this server's ${postgresSchemaVersion}`
			);
		}
		const applied: number[] = [];
		for (const [index, source] of migrations.entries()) {
			const version = index + 1;
			if (version <= current) continue;
			await tx.unsafe(source);
			await tx`INSERT INTO schema_migrations (version) VALUES (${version})`;
			applied.push(version);
		}
		return applied;
	});
}

/** SQLSTATE classes that mean the server cannot be reached or is going away (not a bad query). */
const unavailableClasses = ['08', '53', '57', '58'] as const;
/** Errors of the driver and the socket below it, without a SQLSTATE. */
const unavailableDriverCodes: ReadonlySet<string> = new Set([
	'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT',
	'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN'
]);

/** Turns "cannot connect / server gone" failures into StoreUnavailableError; returns anything else as is. */
export function toStoreError(error: unknown): unknown {
	if (!(error instanceof Error) || error instanceof StoreUnavailableError) return error;
	const code = (error as Error & { code?: unknown }).code;
	if (typeof code !== 'string') return error;
	const isSqlState = /^[0-9A-Z]{5}$/.test(code) && (error as Error & { severity?: unknown }).severity !== undefined;
	if (isSqlState ? unavailableClasses.some((c) => code.startsWith(c)) : unavailableDriverCodes.has(code)) {
		return new StoreUnavailableError(`postgres: ${error.message}`, { cause: error });
	}
	return error;
}
