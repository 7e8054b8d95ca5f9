/**
 * The Redis implementation of the store, for running several instances (see `server/redis/keys.ts`
 * for the layout). Writes are single Lua scripts (`redis-scripts.ts`), so each is atomic; replies are
 * narrowed in `redis-replies.ts`. `appendUpdates` resolves once Redis has applied the script and
 * written it to its AOF (fsynced per Redis' `appendfsync` policy); given an announcement (the relay's
 * message for the batch), the same script publishes it. A compaction merges the
 * document in a worker thread (`merge-thread.ts`), never on the event loop.
 *
 * While Redis is unreachable every call rejects at once with StoreUnavailableError (no offline
 * queue), calls to a hung Redis reject after `commandTimeoutMs`, and the client reconnects by
 * itself. The relay opens its own connections with `createRedisClient` from
 * `server/redis/redis-client.ts` (a subscriber needs a dedicated connection).
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { RESP_TYPES, type RedisArgument } from 'redis';
import { z } from 'zod';
import { canonicalJson } from './canonical-json.ts';
import { defaultKeyPrefix, keyPrefixSchema, redisKeys, type RedisKeys } from '../redis/keys.ts';
import { createRedisClient, toStoreError, withDeadline, type RedisLogger } from '../redis/redis-client.ts';
import type { LedgerEntry } from '#lib/protocol/ledger.ts';
import { asBytes, asHistory, asInteger, asLoadedDoc, asStreamEntries, asStrings, UnexpectedReplyError } from './redis-replies.ts';
import { MergeThread } from './merge-thread.ts';
import * as scripts from './redis-scripts.ts';
import {
	StoreUnavailableError,
	type AppendEntry,
	type AppendOptions,
	type HistoryEntry,
	type LedgerDraft,
	type LedgerQuery,
	type LoadedDoc,
	type PastDoc,
	type Store,
	type StoredRecord
} from './store.ts';

export const redisStoreDefaults = {
	keyPrefix: defaultKeyPrefix,
	/** A call to a connected but silent Redis rejects after this long. */
	commandTimeoutMs: 5_000,
	pingTimeoutMs: 1_000,
	/** A compaction lock left by a crashed instance expires after this long. */
	compactLockTtlMs: 30_000,
	compactLockPollMs: 25,
	historyLimit: 100,
	/** Stream entries read per round trip when scanning the ledger or the history. */
	ledgerPage: 500,
	/** A compaction also keeps its result as a checkpoint when the newest one is older than this. */
	checkpointIntervalMs: 3_600_000,
	/** Names of documents remembered as already in the name index (see `indexed`). */
	indexedNamesLimit: 10_000
} as const;

const optionsSchema = z.object({
	url: z.string(),
	keyPrefix: keyPrefixSchema.default(redisStoreDefaults.keyPrefix),
	commandTimeoutMs: z.number().int().positive().default(redisStoreDefaults.commandTimeoutMs),
	pingTimeoutMs: z.number().int().positive().default(redisStoreDefaults.pingTimeoutMs),
	compactLockTtlMs: z.number().int().positive().default(redisStoreDefaults.compactLockTtlMs),
	checkpointIntervalMs: z.number().int().nonnegative().default(redisStoreDefaults.checkpointIntervalMs),
	reconnectMaxMs: z.number().int().positive().optional(),
	/** How long to wait for Redis at start before rejecting with StoreUnavailableError. */
	startupTimeoutMs: z.number().int().positive().optional()
});

export type RedisStoreOptions = z.input<typeof optionsSchema> & { logger?: RedisLogger };

export interface RedisStore extends Store {
	readonly kind: 'redis';
	/** Key names in use (for tests and tooling). */
	readonly keys: RedisKeys;
	/**
	 * Whether this store writes to the Redis at `url` under `keyPrefix`: then an append can publish
	 * the relay's message for its batch (`AppendOptions.announce`) in the same script.
	 */
	sharesRedis(url: string, keyPrefix: string): boolean;
}

export function isRedisStore(store: Store): store is RedisStore {
	return store.kind === 'redis';
}

export class CompactionBusyError extends Error {
	readonly code = 'compaction_busy';
	constructor(name: string, waitedMs: number) {
		super(`another instance kept compacting "${name}" for ${waitedMs} ms`);
		this.name = 'CompactionBusyError';
	}
}

/** Reply shapes asked of node-redis per command (the connection speaks RESP3). */
const replyShapes = {
	text: undefined,
	binary: { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } },
	/** A map reply (HGETALL) as a flat `[key, value, …]` array, as in RESP2. */
	flatMaps: { typeMapping: { [RESP_TYPES.MAP]: Array } }
} as const;
type ReplyShape = keyof typeof replyShapes;

export async function createRedisStore(options: RedisStoreOptions): Promise<RedisStore> {
	const { logger, ...rest } = options;
	const config = optionsSchema.parse(rest);
	const keys = redisKeys(config.keyPrefix);
	const client = await createRedisClient({
		url: config.url,
		logger,
		reconnectMaxMs: config.reconnectMaxMs,
		startupTimeoutMs: config.startupTimeoutMs
	});
	/**
	 * Documents this store has put in the name index (`docs`) since it opened, so that index is
	 * written once per document rather than with every append. Forgotten on delete, and whole when
	 * it reaches `indexedNamesLimit` (the next append of each puts its name in again).
	 */
	const indexed = new Set<string>();
	/** Compactions of this instance, per document, run one after another. */
	const compactions = new Map<string, Promise<void>>();
	/** Where compactions merge (O(document)), so they never hold the event loop. */
	const merger = new MergeThread();
	let closing: Promise<void> | undefined;

	async function send(args: RedisArgument[], shape: ReplyShape = 'text', timeoutMs = config.commandTimeoutMs): Promise<unknown> {
		if (closing) throw new StoreUnavailableError('the redis store is closed');
		try {
			const reply = client.sendCommand(args, replyShapes[shape]);
			return await withDeadline(reply, timeoutMs, String(args[0]));
		} catch (err) {
			throw toStoreError(err);
		}
	}
	const sendText = (args: RedisArgument[]) => send(args);
	const sendBinary = (args: RedisArgument[]) => send(args, 'binary');

	async function loadParts(name: string) {
		const doc = keys.doc(name);
		const reply = await scripts.runScript(sendBinary, scripts.loadScript, [doc.snap, doc.log, doc.seq], []);
		return asLoadedDoc(reply, 'load');
	}

	async function acquireCompactLock(name: string, lockKey: string, token: string): Promise<void> {
		const started = Date.now();
		const giveUpAt = started + config.compactLockTtlMs + redisStoreDefaults.compactLockPollMs;
		for (;;) {
			const reply = await send(['SET', lockKey, token, 'NX', 'PX', String(config.compactLockTtlMs)]);
			if (reply === 'OK') return;
			if (Date.now() >= giveUpAt) throw new CompactionBusyError(name, Date.now() - started);
			await sleep(redisStoreDefaults.compactLockPollMs);
		}
	}

	/** Checkpoints as `<seq>:<at>` → state, newest first. */
	async function checkpoints(name: string): Promise<{ seq: number; at: number; field: string }[]> {
		const fields = asStrings(await send(['HKEYS', keys.doc(name).ckpt]), 'HKEYS');
		return fields
			.map((field) => {
				const [seq, at] = field.split(':').map(Number);
				return { seq: seq ?? NaN, at: at ?? NaN, field };
			})
			.filter((c) => Number.isSafeInteger(c.seq) && Number.isFinite(c.at))
			.sort((a, b) => b.seq - a.seq);
	}

	/** Keeps a compaction's result as a checkpoint when the newest one is older than the interval. */
	async function keepCheckpoint(name: string, seq: number, state: Uint8Array): Promise<void> {
		const doc = keys.doc(name);
		const [newest] = await checkpoints(name);
		const entries = asStreamEntries(await send(['XRANGE', doc.hist, `${seq}-0`, `${seq}-0`]), 'XRANGE');
		const at = Number(entries[0]?.fields.get('at'));
		if (!Number.isFinite(at)) return;
		if (newest && (newest.seq >= seq || at - newest.at < config.checkpointIntervalMs)) return;
		await send(['HSET', doc.ckpt, `${seq}:${at}`, toBuffer(state)]);
	}

	async function compactOnce(name: string): Promise<void> {
		const doc = keys.doc(name);
		const token = randomUUID();
		await acquireCompactLock(name, doc.lock, token);
		try {
			const { snapshot, log, seq } = await loadParts(name);
			if (log.length === 0) return;
			const merged = await merger.merge(snapshot ? [snapshot, ...log] : log);
			await keepCheckpoint(name, seq, merged);
			const reply = await scripts.runScript(sendText, scripts.replaceSnapshotScript, [doc.snap, doc.log, doc.lock], [
				token,
				String(log.length),
				toBuffer(merged)
			]);
			if (asInteger(reply, 'replace-snapshot') === -1) {
				// Nothing was written: the log stays whole and a later compaction merges it.
				logger?.warn({ doc: name }, 'compaction lost its lock (expired, or the document was deleted)');
			}
		} finally {
			await scripts.runScript(sendText, scripts.releaseLockScript, [doc.lock], [token]).catch((err: unknown) => {
				// The lock expires by itself after compactLockTtlMs; the compaction's own outcome matters more.
				logger?.warn({ err, doc: name }, 'could not release the compaction lock');
			});
		}
	}

	return {
		kind: 'redis',
		keys,

		async loadDoc(name: string): Promise<LoadedDoc> {
			const { snapshot, log } = await loadParts(name);
			return { updates: snapshot ? [snapshot, ...log] : log, logLength: log.length };
		},

		sharesRedis(url: string, keyPrefix: string): boolean {
			return url === config.url && keyPrefix === keys.prefix;
		},

		async appendUpdates(name: string, entries: AppendEntry[], options: AppendOptions = {}): Promise<{ logLength: number; firstSeq: number }> {
			const doc = keys.doc(name);
			if (entries.length === 0) {
				const [logLength, seq] = await Promise.all([send(['LLEN', doc.log]), send(['GET', doc.seq])]);
				return { logLength: asInteger(logLength, 'LLEN'), firstSeq: Number(seq ?? 0) + 1 };
			}
			const { announce } = options;
			const args: RedisArgument[] = [String(entries.length), announce?.channel ?? '', announce ? toBuffer(announce.message) : ''];
			for (const { update, meta, ledger } of entries) {
				args.push(toBuffer(update), meta.by, String(meta.at), ledger?.length ? JSON.stringify(ledger) : '');
			}
			// The name index lives in another slot, so it cannot join the script. The first append of a
			// document here sends it first on the same connection, so Redis applies it before the append.
			const indexFirst = !indexed.has(name);
			const [, reply] = await Promise.all([
				indexFirst ? send(['ZADD', keys.docs, '0', name]) : undefined,
				scripts.runScript(sendText, scripts.appendScript, [doc.log, doc.seq, doc.hist, doc.arch, doc.ledger], args)
			]);
			if (!Array.isArray(reply) || reply.length !== 2) throw new UnexpectedReplyError('append', reply);
			const appended = { logLength: asInteger(reply[0], 'append'), firstSeq: asInteger(reply[1], 'append') };
			// Numbering from 1 again: the document was new, or deleted (by another instance) since this
			// store indexed it; then its name goes in again.
			if (!indexFirst && appended.firstSeq === 1) await send(['ZADD', keys.docs, '0', name]);
			if (indexed.size >= redisStoreDefaults.indexedNamesLimit) indexed.clear();
			indexed.add(name);
			return appended;
		},

		async ledger(name: string, query: LedgerQuery = {}): Promise<LedgerEntry[]> {
			const limit = Math.max(0, Math.floor(query.limit ?? redisStoreDefaults.historyLimit));
			const found: LedgerEntry[] = [];
			let end = query.beforeSeq === undefined ? '+' : `(${Math.ceil(query.beforeSeq)}-0`;
			if (query.beforeSeq !== undefined && query.beforeSeq <= 1) return [];
			// One record's entries are found by reading pages of every entry, newest first.
			while (found.length < limit) {
				const page = asStreamEntries(await send(['XREVRANGE', keys.doc(name).ledger, end, '-', 'COUNT', String(redisStoreDefaults.ledgerPage)]), 'XREVRANGE');
				for (const { seq, fields } of page) {
					const drafts = JSON.parse(String(fields.get('e'))) as LedgerDraft[];
					const at = Number(fields.get('at'));
					for (let n = drafts.length - 1; n >= 0 && found.length < limit; n--) {
						const draft = drafts[n]!;
						if (query.recordId === undefined || draft.recordId === query.recordId) found.push({ seq, at, ...draft });
					}
					if (found.length >= limit) break;
				}
				if (page.length < redisStoreDefaults.ledgerPage) break;
				end = `(${page[page.length - 1]!.seq}-0`;
			}
			return found;
		},

		async loadAsAt(name: string, at: number): Promise<PastDoc> {
			const doc = keys.doc(name);
			// The last update written at or before `at`: the history read newest first, a page at a time.
			let last = 0;
			let end = '+';
			for (;;) {
				const page = asStreamEntries(await send(['XREVRANGE', doc.hist, end, '-', 'COUNT', String(redisStoreDefaults.ledgerPage)]), 'XREVRANGE');
				const hit = page.find((entry) => Number(entry.fields.get('at')) <= at);
				if (hit) {
					last = hit.seq;
					break;
				}
				if (page.length < redisStoreDefaults.ledgerPage) break;
				end = `(${page[page.length - 1]!.seq}-0`;
			}
			if (last === 0) return { updates: [], seq: 0, complete: true };
			const checkpoint = (await checkpoints(name)).find((c) => c.seq <= last);
			const updates: Uint8Array[] = [];
			if (checkpoint) updates.push(asBytes(await send(['HGET', doc.ckpt, checkpoint.field], 'binary'), 'HGET'));
			const from = (checkpoint?.seq ?? 0) + 1;
			const archived = from > last ? [] : asStreamEntries(await send(['XRANGE', doc.arch, `${from}-0`, `${last}-0`], 'binary'), 'XRANGE');
			for (const { fields } of archived) updates.push(asBytes(fields.get('d'), 'XRANGE'));
			return { updates, seq: last, complete: archived.length === last - from + 1 };
		},

		compact(name: string): Promise<void> {
			const previous = compactions.get(name) ?? Promise.resolve();
			// The previous compaction's failure belongs to its own caller; this one runs regardless.
			const run = previous.catch(() => undefined).then(() => compactOnce(name));
			compactions.set(name, run);
			const forget = () => {
				if (compactions.get(name) === run) compactions.delete(name);
			};
			run.then(forget, forget);
			return run;
		},

		async history(name: string, opts: { limit?: number; beforeSeq?: number } = {}): Promise<HistoryEntry[]> {
			const limit = opts.limit ?? redisStoreDefaults.historyLimit;
			if (limit <= 0) return [];
			let end = '+';
			if (opts.beforeSeq !== undefined) {
				if (opts.beforeSeq <= 1) return [];
				end = `(${Math.ceil(opts.beforeSeq)}-0`;
			}
			const reply = await send(['XREVRANGE', keys.doc(name).hist, end, '-', 'COUNT', String(Math.floor(limit))]);
			return asHistory(reply, 'XREVRANGE');
		},

		async putCheckpoint(name: string, seq: number, state: Uint8Array): Promise<void> {
			const doc = keys.doc(name);
			const entries = asStreamEntries(await send(['XRANGE', doc.hist, `${seq}-0`, `${seq}-0`]), 'XRANGE');
			const at = Number(entries[0]?.fields.get('at'));
			if (!Number.isFinite(at)) throw new TypeError(`redis store: ${name} has no update ${seq}`);
			await send(['HSET', doc.ckpt, `${seq}:${at}`, toBuffer(state)]);
		},

		async pruneHistory(name: string, upToSeq: number, keepSeqs: readonly number[]): Promise<void> {
			const doc = keys.doc(name);
			const all = await checkpoints(name);
			if (!all.some((c) => c.seq === upToSeq)) throw new TypeError(`redis store: prune ${name} up to ${upToSeq} needs a checkpoint there first`);
			await send(['XTRIM', doc.arch, 'MINID', `${upToSeq + 1}-0`]);
			const keep = new Set(keepSeqs);
			const drop = all.filter((c) => c.seq < upToSeq && !keep.has(c.seq)).map((c) => c.field);
			if (drop.length > 0) await send(['HDEL', doc.ckpt, ...drop]);
		},

		async deleteDoc(name: string): Promise<void> {
			const doc = keys.doc(name);
			indexed.delete(name);
			// Deleting the lock too makes a compaction in flight give up instead of writing back.
			await Promise.all([
				send(['DEL', doc.snap, doc.log, doc.seq, doc.hist, doc.arch, doc.ledger, doc.ckpt, doc.lock]),
				send(['ZREM', keys.docs, name])
			]);
		},

		async listDocs(prefix = ''): Promise<string[]> {
			const range = prefix === '' ? ['-', '+'] : [`[${prefix}`, Buffer.concat([Buffer.from(`(${prefix}`), Buffer.from([0xff])])];
			return asStrings(await send(['ZRANGE', keys.docs, ...range, 'BYLEX']), 'ZRANGE');
		},

		async getRecord(collection: string, id: string): Promise<unknown> {
			const reply = await send(['HGET', keys.records(collection), id]);
			if (reply === null) return undefined;
			if (typeof reply !== 'string') throw new TypeError(`record ${collection}/${id} is not text`);
			return JSON.parse(reply);
		},

		async putRecord(collection: string, id: string, value: unknown): Promise<void> {
			await send(['HSET', keys.records(collection), id, canonicalJson(value, `record ${collection}/${id}`)]);
		},

		async compareAndSetRecord(collection: string, id: string, expected: unknown, next: unknown): Promise<boolean> {
			const what = `record ${collection}/${id}`;
			const args = [
				id,
				expected === undefined ? '0' : '1',
				expected === undefined ? '' : canonicalJson(expected, what),
				next === undefined ? '0' : '1',
				next === undefined ? '' : canonicalJson(next, what)
			];
			const reply = await scripts.runScript(sendText, scripts.compareAndSetScript, [keys.records(collection)], args);
			return asInteger(reply, 'compare-and-set') === 1;
		},

		async deleteRecord(collection: string, id: string): Promise<boolean> {
			return asInteger(await send(['HDEL', keys.records(collection), id]), 'HDEL') > 0;
		},

		async listRecords(collection: string): Promise<StoredRecord[]> {
			const flat = asStrings(await send(['HGETALL', keys.records(collection)], 'flatMaps'), 'HGETALL');
			const records: StoredRecord[] = [];
			for (let i = 0; i + 1 < flat.length; i += 2) {
				records.push({ id: flat[i] as string, value: JSON.parse(flat[i + 1] as string) });
			}
			return records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
		},

		async ping(): Promise<void> {
			const reply = await send(['PING'], 'text', config.pingTimeoutMs);
			if (reply !== 'PONG') throw new StoreUnavailableError(`redis answered PING with ${String(reply)}`);
		},

		close(): Promise<void> {
			closing ??= (async () => {
				await merger.stop();
				if (!client.isReady) {
					client.destroy();
					return;
				}
				try {
					// Lets commands already sent finish, then closes the connection.
					await withDeadline(client.close(), config.commandTimeoutMs, 'close');
				} catch (err) {
					logger?.warn({ err }, 'redis did not close in time; dropping the connection');
					client.destroy();
				}
			})();
			return closing;
		}
	};
}

function toBuffer(bytes: Uint8Array): Buffer {
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
