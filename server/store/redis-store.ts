/**
 * The Redis implementation of the store, for running several instances (see `server/redis/keys.ts`
 * for the layout). Writes are single Lua scripts, so each is atomic; `appendUpdates` resolves once
 * Redis has applied the script and written it to its AOF (fsynced per Redis' `appendfsync` policy).
 *
 * While Redis is unreachable every call rejects at once with StoreUnavailableError (no offline
 * queue), calls to a hung Redis reject after `commandTimeoutMs`, and the client reconnects by
 * itself. The relay opens its own connections with `createRedisClient` from
 * `server/redis/redis-client.ts` (a subscriber needs a dedicated connection).
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { RESP_TYPES, type RedisArgument } from 'redis';
import * as Y from 'yjs';
import { z } from 'zod';
import { canonicalJson } from '../redis/canonical-json.ts';
import { defaultKeyPrefix, keyPrefixSchema, redisKeys, type RedisKeys } from '../redis/keys.ts';
import { createRedisClient, toStoreError, withDeadline, type RedisLogger } from '../redis/redis-client.ts';
import { asHistory, asInteger, asLoadedDoc, asStrings } from '../redis/replies.ts';
import * as scripts from '../redis/scripts.ts';
import { StoreUnavailableError, type AppendEntry, type HistoryEntry, type LoadedDoc, type Store, type StoredRecord } from './store.ts';

export const redisStoreDefaults = {
	keyPrefix: defaultKeyPrefix,
	/** A call to a connected but silent Redis rejects after this long. */
	commandTimeoutMs: 5_000,
	pingTimeoutMs: 1_000,
	/** A compaction lock left by a crashed instance expires after this long. */
	compactLockTtlMs: 30_000,
	compactLockPollMs: 25,
	historyLimit: 100
} as const;

const optionsSchema = z.object({
	url: z.string(),
	keyPrefix: keyPrefixSchema.default(redisStoreDefaults.keyPrefix),
	commandTimeoutMs: z.number().int().positive().default(redisStoreDefaults.commandTimeoutMs),
	pingTimeoutMs: z.number().int().positive().default(redisStoreDefaults.pingTimeoutMs),
	compactLockTtlMs: z.number().int().positive().default(redisStoreDefaults.compactLockTtlMs),
	reconnectMaxMs: z.number().int().positive().optional(),
	/** How long to wait for Redis at start before rejecting with StoreUnavailableError. */
	startupTimeoutMs: z.number().int().positive().optional()
});

export type RedisStoreOptions = z.input<typeof optionsSchema> & { logger?: RedisLogger };

export interface RedisStore extends Store {
	readonly kind: 'redis';
	/** Key names in use (for tests and tooling). */
	readonly keys: RedisKeys;
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
	/** Compactions of this instance, per document, run one after another. */
	const compactions = new Map<string, Promise<void>>();
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
		const reply = await scripts.runScript(sendBinary, scripts.loadScript, [doc.snap, doc.log], []);
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

	async function compactOnce(name: string): Promise<void> {
		const doc = keys.doc(name);
		const token = randomUUID();
		await acquireCompactLock(name, doc.lock, token);
		try {
			const { snapshot, log } = await loadParts(name);
			if (log.length === 0) return;
			const merged = Y.mergeUpdates(snapshot ? [snapshot, ...log] : log);
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

		async appendUpdates(name: string, entries: AppendEntry[]): Promise<{ logLength: number }> {
			const doc = keys.doc(name);
			if (entries.length === 0) return { logLength: asInteger(await send(['LLEN', doc.log]), 'LLEN') };
			const args: RedisArgument[] = [String(entries.length)];
			for (const { update, meta } of entries) args.push(toBuffer(update), meta.by, String(meta.at));
			// The name index lives in another slot, so it cannot join the script. It is sent first on
			// the same connection, so Redis applies it before the append.
			const [, logLength] = await Promise.all([
				send(['ZADD', keys.docs, '0', name]),
				scripts.runScript(sendText, scripts.appendScript, [doc.log, doc.seq, doc.hist], args)
			]);
			return { logLength: asInteger(logLength, 'append') };
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

		async deleteDoc(name: string): Promise<void> {
			const doc = keys.doc(name);
			// Deleting the lock too makes a compaction in flight give up instead of writing back.
			await Promise.all([
				send(['DEL', doc.snap, doc.log, doc.seq, doc.hist, doc.lock]),
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
