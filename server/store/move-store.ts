/**
 * Moves an embedded SQLite workspace into an empty PostgreSQL database, row for row, in one
 * PostgreSQL transaction (all or nothing), then verifies the result through both stores.
 *
 * Copied: every document (its snapshot and log with their seqs, so the log length is the same), its
 * whole history (who, when, size and the update itself where retention kept it), its change ledger
 * and its checkpoints, and every record of every collection (missions, boards, departments, people,
 * sessions, invites, tokens, playlists, meetings…) as its canonical JSON text.
 *
 * Verified after the commit, reading back through `createSqliteStore` and `createPostgresStore`:
 * every document's state vector and full state (encoded update) are byte-equal, its history and
 * ledger counts are equal, and every collection's records are equal.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import type { TransactionSql } from 'postgres';
import * as Y from 'yjs';
import { canonicalJson } from './canonical-json.ts';
import { blob, int, openSqliteDatabase, text } from './sqlite-database.ts';
import { createSqliteStore, sqliteStoreDefaults } from './sqlite-store.ts';
import { createPostgresStore, openPostgres } from './postgres-store.ts';
import type { Store } from './store.ts';

export const moveDefaults = {
	/** Rows per INSERT (PostgreSQL takes at most 65,535 parameters per statement). */
	batchRows: 1_000
} as const;

export interface MoveReport {
	documents: number;
	updates: number;
	ledgerEntries: number;
	checkpoints: number;
	/** Records per collection. */
	records: Record<string, number>;
	/** Documents whose state vectors and states were compared equal after the move. */
	verified: number;
}

export class MoveError extends Error {
	readonly code = 'move_failed';
	constructor(message: string) {
		super(message);
		this.name = 'MoveError';
	}
}

export async function moveSqliteToPostgres(options: { dataDir: string; databaseUrl: string }): Promise<MoveReport> {
	const file = join(options.dataDir, sqliteStoreDefaults.fileName);
	if (!existsSync(file)) throw new MoveError(`there is no SQLite workspace at ${file}`);
	const source = openSqliteDatabase(file);
	// Opening the store applies the PostgreSQL migrations; the raw connection writes the rows.
	const target = await createPostgresStore({ url: options.databaseUrl });
	const sql = openPostgres(options.databaseUrl, 1);
	try {
		const [held] = await sql<{ docs: number; records: number }[]>`SELECT (SELECT count(*) FROM docs) AS docs, (SELECT count(*) FROM records) AS records`;
		if ((held?.docs ?? 0) > 0 || (held?.records ?? 0) > 0) {
			throw new MoveError(`the target database is not empty (${held?.docs} documents, ${held?.records} records): move into a new database`);
		}
		const report = await sql.begin(async (tx) => copyRows(source, tx));
		source.close();
		report.verified = await verify(options.dataDir, target, Object.keys(report.records));
		return report;
	} finally {
		if (source.isOpen) source.close();
		await sql.end({ timeout: 5 });
		await target.close();
	}
}

type Tx = TransactionSql<{ int8: number }>;

async function insertAll(tx: Tx, table: string, rows: Record<string, unknown>[]): Promise<void> {
	for (let i = 0; i < rows.length; i += moveDefaults.batchRows) {
		const batch = rows.slice(i, i + moveDefaults.batchRows);
		const columns = Object.keys(batch[0] ?? {});
		if (columns.length > 0) await tx`INSERT INTO ${tx(table)} ${tx(batch as Record<string, never>[], columns)}`;
	}
}

async function copyRows(source: DatabaseSync, tx: Tx): Promise<MoveReport> {
	const report: MoveReport = { documents: 0, updates: 0, ledgerEntries: 0, checkpoints: 0, records: {}, verified: 0 };
	const names = source.prepare('SELECT name FROM docs ORDER BY name').all().map((row) => text(row, 'name'));
	const logOf = source.prepare('SELECT seq, kind, data FROM doc_log WHERE doc = ? ORDER BY seq');
	const historyOf = source.prepare('SELECT seq, "by", at, bytes, data FROM doc_history WHERE doc = ? ORDER BY seq');
	const ledgerOf = source.prepare('SELECT seq, ledger FROM doc_history WHERE doc = ? AND ledger IS NOT NULL ORDER BY seq');
	const checkpointsOf = source.prepare('SELECT seq, at, data FROM doc_checkpoints WHERE doc = ? ORDER BY seq');
	for (const name of names) {
		const log = logOf.all(name);
		const history = historyOf.all(name);
		const snapshot = log.find((row) => text(row, 'kind') === 'snapshot');
		const updates = log.filter((row) => text(row, 'kind') === 'update');
		const lastSeq = Math.max(0, ...log.map((row) => int(row, 'seq')), ...history.map((row) => int(row, 'seq')));
		await tx`INSERT INTO docs (name, last_seq, base_seq) VALUES (${name}, ${lastSeq}, ${lastSeq - updates.length})`;
		if (snapshot) await tx`INSERT INTO doc_snapshots (doc, seq, data) VALUES (${name}, ${int(snapshot, 'seq')}, ${Buffer.from(blob(snapshot, 'data'))})`;
		await insertAll(tx, 'doc_log', updates.map((row) => ({ doc: name, seq: int(row, 'seq'), data: Buffer.from(blob(row, 'data')) })));
		await insertAll(tx, 'doc_history', history.map((row) => {
			const data = row['data'];
			return { doc: name, seq: int(row, 'seq'), by: text(row, 'by'), at: int(row, 'at'), bytes: int(row, 'bytes'), data: data instanceof Uint8Array ? Buffer.from(data) : null };
		}));
		const ledger = ledgerOf.all(name).flatMap((row) =>
			(JSON.parse(text(row, 'ledger')) as Array<{ seq: number; at: number; recordId: string }>).map(({ seq: _seq, at, ...draft }, n) => ({
				doc: name,
				seq: int(row, 'seq'),
				n,
				record_id: draft.recordId,
				at,
				draft: JSON.stringify(draft)
			}))
		);
		await insertAll(tx, 'doc_ledger', ledger);
		const checkpoints = checkpointsOf.all(name).map((row) => ({ doc: name, seq: int(row, 'seq'), at: int(row, 'at'), data: Buffer.from(blob(row, 'data')) }));
		await insertAll(tx, 'doc_checkpoints', checkpoints);
		report.documents += 1;
		report.updates += history.length;
		report.ledgerEntries += ledger.length;
		report.checkpoints += checkpoints.length;
	}
	const records = source.prepare('SELECT collection, id, json FROM records ORDER BY collection, id').all().map((row) => ({
		collection: text(row, 'collection'),
		id: text(row, 'id'),
		// Re-canonicalised, so compare-and-set compares the same text PostgreSQL writes itself.
		json: canonicalJson(JSON.parse(text(row, 'json')), 'record')
	}));
	await insertAll(tx, 'records', records);
	for (const record of records) report.records[record.collection] = (report.records[record.collection] ?? 0) + 1;
	return report;
}

/** Reads every document and collection back through both stores; throws MoveError on any difference. */
async function verify(dataDir: string, target: Store, collections: string[]): Promise<number> {
	const sqlite = createSqliteStore({ dataDir });
	const problems: string[] = [];
	try {
		const names = (await sqlite.listDocs()).sort();
		const moved = (await target.listDocs()).sort();
		if (canonicalJson(names, 'names') !== canonicalJson(moved, 'names')) problems.push(`document names differ: ${names.length} in SQLite, ${moved.length} in PostgreSQL`);
		for (const name of names) {
			const [before, after] = await Promise.all([stateOf(sqlite, name), stateOf(target, name)]);
			if (!Buffer.from(before.vector).equals(Buffer.from(after.vector))) problems.push(`${name}: state vectors differ`);
			if (!Buffer.from(before.state).equals(Buffer.from(after.state))) problems.push(`${name}: states differ`);
			const [historyBefore, historyAfter] = await Promise.all([sqlite.history(name, { limit: Infinity }), target.history(name, { limit: Infinity })]);
			if (canonicalJson(historyBefore, 'history') !== canonicalJson(historyAfter, 'history')) problems.push(`${name}: histories differ`);
			const [ledgerBefore, ledgerAfter] = await Promise.all([sqlite.ledger(name, { limit: Number.MAX_SAFE_INTEGER }), target.ledger(name, { limit: Number.MAX_SAFE_INTEGER })]);
			if (canonicalJson(ledgerBefore, 'ledger') !== canonicalJson(ledgerAfter, 'ledger')) problems.push(`${name}: ledgers differ`);
		}
		for (const collection of collections) {
			const [before, after] = await Promise.all([sqlite.listRecords(collection), target.listRecords(collection)]);
			if (canonicalJson(before, collection) !== canonicalJson(after, collection)) problems.push(`records of "${collection}" differ`);
		}
		if (problems.length > 0) throw new MoveError(`the moved workspace differs from the source: ${problems.slice(0, 10).join('; ')}`);
		return names.length;
	} finally {
		await sqlite.close();
	}
}

async function stateOf(store: Store, name: string): Promise<{ vector: Uint8Array; state: Uint8Array }> {
	const doc = new Y.Doc();
	for (const update of (await store.loadDoc(name)).updates) Y.applyUpdate(doc, update);
	const result = { vector: Y.encodeStateVector(doc), state: Y.encodeStateAsUpdate(doc) };
	doc.destroy();
	return result;
}
