/**
 * The PostgreSQL store (`DATABASE_URL`): the system of record when several instances run, with the
 * same semantics as the SQLite store (schema and migrations in `postgres-schema.ts`).
 *
 * An append is one statement: it raises the document's `last_seq` (the row lock makes concurrent
 * appends to one document take turns and number their updates without gaps) and writes the log,
 * history and ledger rows from the seqs it got. A statement is atomic, so the ledger is written with
 * its update or not at all, and it resolves once PostgreSQL committed it (durable per the server's
 * `synchronous_commit`).
 *
 * A compaction reads the snapshot and the log in one statement (one consistent view), merges them
 * in the Yjs thread (`merge-thread.ts`, off the event loop), then in one transaction writes the new
 * snapshot only if it covers more than the stored one, and deletes the log rows it merged: an update
 * appended meanwhile has a higher seq and stays. Two compactions at once (two instances) are safe:
 * the one covering less writes nothing.
 *
 * While PostgreSQL is unreachable every call rejects with StoreUnavailableError; the driver
 * reconnects by itself on the next call.
 */
import postgres, { type Sql } from 'postgres';
import { z } from 'zod';
import type { LedgerEntry } from '#lib/protocol/ledger.ts';
import { canonicalJson } from './canonical-json.ts';
import { MergeThread } from './merge-thread.ts';
import { oneAtATimePerKey } from './one-at-a-time.ts';
import { migratePostgres, toStoreError } from './postgres-schema.ts';
import {
	StoreUnavailableError,
	type AppendEntry,
	type HistoryEntry,
	type LedgerDraft,
	type LedgerQuery,
	type LoadedDoc,
	type PastDoc,
	type Store,
	type StoredRecord
} from './store.ts';

export const postgresStoreDefaults = {
	/** Connections in the pool. */
	maxConnections: 10,
	connectTimeoutSeconds: 5,
	pingTimeoutMs: 1_000,
	/** How long `close()` lets queries in flight finish. */
	closeTimeoutSeconds: 5,
	historyLimit: 100,
	/** A compaction also keeps its result as a checkpoint when the newest one is older than this. */
	checkpointIntervalMs: 3_600_000
} as const;

const optionsSchema = z.object({
	url: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL'),
	maxConnections: z.number().int().positive().default(postgresStoreDefaults.maxConnections),
	checkpointIntervalMs: z.number().int().nonnegative().default(postgresStoreDefaults.checkpointIntervalMs),
	/** Apply migrations on open (the default); `npm run migrate` applies them alone. */
	migrate: z.boolean().default(true)
});

export type PostgresStoreOptions = z.input<typeof optionsSchema>;

export interface PostgresStore extends Store {
	readonly kind: 'postgres';
}

/** bigint columns (seqs, epoch milliseconds) read as numbers: every value stays below 2^53. */
const int8AsNumber = { to: 20, from: [20], serialize: (value: number) => String(value), parse: (value: string) => Number(value) };

export function openPostgres(url: string, maxConnections: number = postgresStoreDefaults.maxConnections): Sql<{ int8: number }> {
	return postgres(url, {
		max: maxConnections,
		connect_timeout: postgresStoreDefaults.connectTimeoutSeconds,
		onnotice: () => undefined,
		types: { int8: int8AsNumber }
	});
}

export async function createPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
	const config = optionsSchema.parse(options);
	const sql = openPostgres(config.url, config.maxConnections);
	try {
		if (config.migrate) await migratePostgres(sql);
		else await sql`SELECT 1`;
	} catch (error) {
		await sql.end({ timeout: 0 });
		const wrapped = toStoreError(error);
		throw wrapped instanceof StoreUnavailableError ? wrapped : new StoreUnavailableError('postgres store: cannot open the database', { cause: error });
	}
	/** Compactions of this instance, per document, run one after another. */
	const inTurn = oneAtATimePerKey();
	const merger = new MergeThread();
	let closing: Promise<void> | undefined;

	/** Runs `work`; failures come back as rejections, unavailability wrapped. */
	async function call<T>(work: () => Promise<T>): Promise<T> {
		if (closing) throw new StoreUnavailableError('the postgres store is closed');
		try {
			return await work();
		} catch (error) {
			throw toStoreError(error);
		}
	}

	async function compactOnce(name: string): Promise<void> {
		// One statement: the snapshot and the log as they stood at one moment.
		const rows = await sql<{ id: number; part: number; seq: number; data: Buffer }[]>`
			SELECT d.id, p.part, p.seq, p.data FROM docs d
			JOIN LATERAL (
				SELECT 0 AS part, s.seq, s.data FROM doc_snapshots s WHERE s.doc = d.name
				UNION ALL
				SELECT 1 AS part, l.seq, l.data FROM doc_log l WHERE l.doc = d.name
			) p ON true
			WHERE d.name = ${name}
			ORDER BY p.part, p.seq`;
		const first = rows[0];
		if (first === undefined || !rows.some((row) => row.part === 1)) return;
		const upTo = rows.at(-1)!.seq;
		const merged = await merger.merge(rows.map((row) => row.data));
		await sql.begin(async (tx) => {
			const [doc] = await tx<{ id: number }[]>`SELECT id FROM docs WHERE name = ${name} FOR UPDATE`;
			// Deleted (and maybe written again) meanwhile: the merge belongs to a document that is gone.
			if (doc?.id !== first.id) return;
			const written = await tx`
				INSERT INTO doc_snapshots (doc, seq, data) VALUES (${name}, ${upTo}, ${merged})
				ON CONFLICT (doc) DO UPDATE SET seq = excluded.seq, data = excluded.data WHERE doc_snapshots.seq < excluded.seq`;
			if (written.count === 0) return; // another compaction already covered more
			await tx`DELETE FROM doc_log WHERE doc = ${name} AND seq <= ${upTo}`;
			await tx`UPDATE docs SET base_seq = ${upTo} WHERE name = ${name} AND base_seq < ${upTo}`;
			await tx`
				INSERT INTO doc_checkpoints (doc, seq, at, data)
				SELECT ${name}, h.seq, h.at, ${merged} FROM doc_history h
				WHERE h.doc = ${name} AND h.seq = ${upTo}
					AND NOT EXISTS (
						SELECT 1 FROM doc_checkpoints c WHERE c.doc = ${name} AND (c.seq >= ${upTo} OR h.at - c.at < ${config.checkpointIntervalMs})
					)
				ON CONFLICT (doc, seq) DO NOTHING`;
		});
	}

	return {
		kind: 'postgres',

		loadDoc: (name) =>
			call(async (): Promise<LoadedDoc> => {
				const rows = await sql<{ part: number; data: Buffer }[]>`
					SELECT 0 AS part, seq, data FROM doc_snapshots WHERE doc = ${name}
					UNION ALL
					SELECT 1 AS part, seq, data FROM doc_log WHERE doc = ${name}
					ORDER BY part, seq`;
				return { updates: rows.map((row) => toBytes(row.data)), logLength: rows.filter((row) => row.part === 1).length };
			}),

		appendUpdates: (name, entries: AppendEntry[]) =>
			call(async () => {
				if (entries.length === 0) {
					const [tip] = await sql<{ last_seq: number; base_seq: number }[]>`SELECT last_seq, base_seq FROM docs WHERE name = ${name}`;
					return { logLength: tip ? tip.last_seq - tip.base_seq : 0, firstSeq: (tip?.last_seq ?? 0) + 1 };
				}
				const ledgerOf: number[] = [];
				const ledgerN: number[] = [];
				const ledgerRecord: string[] = [];
				const ledgerDraft: string[] = [];
				entries.forEach(({ ledger }, i) =>
					ledger?.forEach((draft, n) => {
						ledgerOf.push(i + 1);
						ledgerN.push(n);
						ledgerRecord.push(draft.recordId);
						ledgerDraft.push(JSON.stringify(draft));
					})
				);
				const count = entries.length;
				const packed = pack(entries.map((e) => e.update));
				const [tip] = await sql<{ last_seq: number; base_seq: number }[]>`
					WITH tip AS (
						INSERT INTO docs AS d (name, last_seq) VALUES (${name}, ${count})
						ON CONFLICT (name) DO UPDATE SET last_seq = d.last_seq + ${count}
						RETURNING d.last_seq, d.base_seq
					), added AS (
						SELECT tip.last_seq - ${count} + u.i AS seq, substring(${packed.bytes}::bytea FROM u.start FOR u.length) AS data, u.by, u.at
						FROM tip, unnest(${packed.starts}::int[], ${packed.lengths}::int[], ${entries.map((e) => e.meta.by)}::text[], ${entries.map((e) => e.meta.at)}::bigint[])
							WITH ORDINALITY AS u(start, length, by, at, i)
					), log AS (
						INSERT INTO doc_log (doc, seq, data) SELECT ${name}, seq, data FROM added
					), history AS (
						INSERT INTO doc_history (doc, seq, "by", at, bytes, data) SELECT ${name}, seq, by, at, length(data), data FROM added
					), ledger AS (
						INSERT INTO doc_ledger (doc, seq, n, record_id, at, draft)
						SELECT ${name}, tip.last_seq - ${count} + l.i, l.n, l.record_id, e.at, l.draft
						FROM tip, unnest(${ledgerOf}::bigint[], ${ledgerN}::int[], ${ledgerRecord}::text[], ${ledgerDraft}::text[]) AS l(i, n, record_id, draft)
						JOIN unnest(${entries.map((e) => e.meta.at)}::bigint[]) WITH ORDINALITY AS e(at, i) ON e.i = l.i
					)
					SELECT last_seq, base_seq FROM tip`;
				if (tip === undefined) throw new TypeError('postgres store: the append returned no row');
				return { logLength: tip.last_seq - tip.base_seq, firstSeq: tip.last_seq - count + 1 };
			}),

		compact: (name) => inTurn(name, () => call(() => compactOnce(name))),

		history: (name, options = {}) =>
			call(async (): Promise<HistoryEntry[]> => {
				const wanted = options.limit ?? postgresStoreDefaults.historyLimit;
				const limit = Number.isFinite(wanted) ? Math.max(0, Math.floor(wanted)) : null; // null: no limit
				const beforeSeq = options.beforeSeq ?? Number.MAX_SAFE_INTEGER;
				const rows = await sql<HistoryEntry[]>`
					SELECT seq, "by", at, bytes FROM doc_history WHERE doc = ${name} AND seq < ${beforeSeq}
					ORDER BY seq DESC LIMIT ${limit}`;
				return rows.map(({ seq, by, at, bytes }) => ({ seq, by, at, bytes }));
			}),

		ledger: (name, query: LedgerQuery = {}) =>
			call(async (): Promise<LedgerEntry[]> => {
				const limit = Math.max(0, Math.floor(query.limit ?? postgresStoreDefaults.historyLimit));
				const beforeSeq = query.beforeSeq ?? Number.MAX_SAFE_INTEGER;
				const byRecord = query.recordId === undefined ? sql`` : sql`AND record_id = ${query.recordId}`;
				const rows = await sql<{ seq: number; at: number; draft: string }[]>`
					SELECT seq, at, draft FROM doc_ledger WHERE doc = ${name} ${byRecord} AND seq < ${beforeSeq}
					ORDER BY seq DESC, n DESC LIMIT ${limit}`;
				return rows.map((row) => ({ seq: row.seq, at: row.at, ...(JSON.parse(row.draft) as LedgerDraft) }));
			}),

		loadAsAt: (name, at) =>
			call(async (): Promise<PastDoc> => {
				// One statement, so a compaction or prune in between cannot tear the answer.
				const rows = await sql<{ last: number | null; part: number; seq: number | null; data: Buffer | null }[]>`
					WITH last AS (SELECT max(seq) AS seq FROM doc_history WHERE doc = ${name} AND at <= ${at}),
					checkpoint AS (
						SELECT c.seq, c.data FROM doc_checkpoints c, last WHERE c.doc = ${name} AND c.seq <= last.seq
						ORDER BY c.seq DESC LIMIT 1
					)
					SELECT last.seq AS last, 0 AS part, checkpoint.seq, checkpoint.data FROM last LEFT JOIN checkpoint ON true
					UNION ALL
					SELECT last.seq, 1, h.seq, h.data FROM last, doc_history h
					WHERE h.doc = ${name} AND h.seq <= last.seq AND h.seq > coalesce((SELECT seq FROM checkpoint), 0)
					ORDER BY part, seq`;
				const last = rows[0]?.last ?? null;
				if (last === null) return { updates: [], seq: 0, complete: true };
				const updates: Uint8Array[] = [];
				let complete = true;
				for (const row of rows) {
					if (row.part === 0 && row.seq === null) continue; // no checkpoint at or before `last`
					if (row.data === null) complete = false; // forgotten by retention
					else updates.push(toBytes(row.data));
				}
				return { updates, seq: last, complete };
			}),

		putCheckpoint: (name, seq, state) =>
			call(async () => {
				const written = await sql`
					INSERT INTO doc_checkpoints (doc, seq, at, data)
					SELECT doc, seq, at, ${toBuffer(state)} FROM doc_history WHERE doc = ${name} AND seq = ${seq}
					ON CONFLICT (doc, seq) DO UPDATE SET data = excluded.data`;
				if (written.count === 0) throw new TypeError(`postgres store: ${name} has no update ${seq}`);
			}),

		pruneHistory: (name, upToSeq, keepSeqs) =>
			call(async () => {
				await sql.begin(async (tx) => {
					const [checkpoint] = await tx`SELECT 1 FROM doc_checkpoints WHERE doc = ${name} AND seq = ${upToSeq}`;
					if (checkpoint === undefined) throw new TypeError(`postgres store: prune ${name} up to ${upToSeq} needs a checkpoint there first`);
					await tx`UPDATE doc_history SET data = NULL WHERE doc = ${name} AND seq <= ${upToSeq} AND data IS NOT NULL`;
					await tx`DELETE FROM doc_checkpoints WHERE doc = ${name} AND seq < ${upToSeq} AND NOT (seq = ANY(${[...keepSeqs]}::bigint[]))`;
				});
			}),

		deleteDoc: (name) =>
			call(async () => {
				await sql.begin(async (tx) => {
					await tx`DELETE FROM docs WHERE name = ${name}`;
					await tx`DELETE FROM doc_snapshots WHERE doc = ${name}`;
					await tx`DELETE FROM doc_log WHERE doc = ${name}`;
					await tx`DELETE FROM doc_history WHERE doc = ${name}`;
					await tx`DELETE FROM doc_ledger WHERE doc = ${name}`;
					await tx`DELETE FROM doc_checkpoints WHERE doc = ${name}`;
				});
			}),

		listDocs: (prefix = '') =>
			call(async () => (await sql<{ name: string }[]>`SELECT name FROM docs WHERE starts_with(name, ${prefix}) ORDER BY name`).map((row) => row.name)),

		getRecord: (collection, id) =>
			call(async () => {
				const [row] = await sql<{ json: string }[]>`SELECT json FROM records WHERE collection = ${collection} AND id = ${id}`;
				return row === undefined ? undefined : JSON.parse(row.json);
			}),

		putRecord: (collection, id, value) =>
			call(async () => {
				const json = canonicalJson(value, `record ${collection}/${id}`);
				await sql`INSERT INTO records (collection, id, json) VALUES (${collection}, ${id}, ${json})
					ON CONFLICT (collection, id) DO UPDATE SET json = excluded.json`;
			}),

		compareAndSetRecord: (collection, id, expected, next) =>
			call(async () => {
				const what = `record ${collection}/${id}`;
				if (expected === undefined) {
					if (next === undefined) {
						return (await sql`SELECT 1 FROM records WHERE collection = ${collection} AND id = ${id}`).length === 0;
					}
					const inserted = await sql`INSERT INTO records (collection, id, json) VALUES (${collection}, ${id}, ${canonicalJson(next, what)})
						ON CONFLICT (collection, id) DO NOTHING`;
					return inserted.count > 0;
				}
				const before = canonicalJson(expected, what);
				const result =
					next === undefined
						? await sql`DELETE FROM records WHERE collection = ${collection} AND id = ${id} AND json = ${before}`
						: await sql`UPDATE records SET json = ${canonicalJson(next, what)} WHERE collection = ${collection} AND id = ${id} AND json = ${before}`;
				return result.count > 0;
			}),

		deleteRecord: (collection, id) =>
			call(async () => (await sql`DELETE FROM records WHERE collection = ${collection} AND id = ${id}`).count > 0),

		listRecords: (collection) =>
			call(async (): Promise<StoredRecord[]> => {
				const rows = await sql<{ id: string; json: string }[]>`SELECT id, json FROM records WHERE collection = ${collection} ORDER BY id`;
				return rows.map((row) => ({ id: row.id, value: JSON.parse(row.json) }));
			}),

		ping: () =>
			call(async () => {
				let timer: NodeJS.Timeout | undefined;
				const deadline = new Promise<never>((_, reject) => {
					timer = setTimeout(() => reject(new StoreUnavailableError(`postgres did not answer within ${postgresStoreDefaults.pingTimeoutMs} ms`)), postgresStoreDefaults.pingTimeoutMs);
				});
				try {
					await Promise.race([sql`SELECT 1`, deadline]);
				} finally {
					clearTimeout(timer);
				}
			}),

		close() {
			// Lets queries in flight finish, then closes every connection.
			closing ??= Promise.all([sql.end({ timeout: postgresStoreDefaults.closeTimeoutSeconds }), merger.stop()]).then(() => undefined);
			return closing;
		}
	};
}

/**
 * The updates of one append as one bytea parameter and where each starts (1-based, as SQL's
 * `substring` counts) and how long it is: the driver sends a Buffer as is, not as an array literal.
 */
function pack(updates: Uint8Array[]): { bytes: Buffer; starts: number[]; lengths: number[] } {
	const starts: number[] = [];
	let offset = 1;
	for (const update of updates) {
		starts.push(offset);
		offset += update.byteLength;
	}
	return { bytes: Buffer.concat(updates), starts, lengths: updates.map((u) => u.byteLength) };
}

function toBuffer(bytes: Uint8Array): Buffer {
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A plain Uint8Array copy-free view, as the other stores return. */
function toBytes(data: Buffer): Uint8Array {
	return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
