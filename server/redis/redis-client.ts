/**
 * One way to open a node-redis (v5/v6) connection for the whole backend: the store, and the relay's
 * publisher and subscriber. While Redis is unreachable commands fail at once (no offline queue), the
 * client reconnects by itself with a capped exponential back-off, and an outage is logged once.
 */
import { RedisClient as NodeRedisClient, ErrorReply, ClientClosedError, ClientOfflineError, ConnectionTimeoutError,
	SocketClosedUnexpectedlyError, SocketTimeoutError, TimeoutError, DisconnectsClientError } from 'redis';
import { z } from 'zod';
import { StoreUnavailableError } from '../store/store.ts';

export type RedisClient = ReturnType<typeof buildClient>;

export interface RedisLogger {
	warn(obj: object, msg: string): void;
	info?(obj: object, msg: string): void;
}

export const redisClientDefaults = {
	/** How long one TCP connect may take. */
	connectTimeoutMs: 2_000,
	/** First reconnect delay; it doubles per attempt up to `reconnectMaxMs`. */
	reconnectBaseMs: 50,
	reconnectMaxMs: 2_000,
	/** How long `createRedisClient` waits for the first connection before giving up. */
	startupTimeoutMs: 10_000
} as const;

export const redisClientOptionsSchema = z.object({
	url: z.string().regex(/^rediss?:\/\//, 'a Redis URL starts with redis:// or rediss://'),
	/** Shown by `CLIENT LIST`, handy when several instances share one Redis. */
	name: z.string().regex(/^\S+$/).optional(),
	/** Queue commands while disconnected (a pub/sub subscriber may want this); off by default. */
	offlineQueue: z.boolean().default(false),
	connectTimeoutMs: z.number().int().positive().default(redisClientDefaults.connectTimeoutMs),
	reconnectBaseMs: z.number().int().positive().default(redisClientDefaults.reconnectBaseMs),
	reconnectMaxMs: z.number().int().positive().default(redisClientDefaults.reconnectMaxMs),
	startupTimeoutMs: z.number().int().positive().default(redisClientDefaults.startupTimeoutMs)
});

export type RedisClientOptions = z.input<typeof redisClientOptionsSchema> & { logger?: RedisLogger };

/**
 * A connected client. Rejects with StoreUnavailableError when Redis does not answer within
 * `startupTimeoutMs`. The caller owns the client: `close()` it (or `destroy()` it) when done.
 */
export async function createRedisClient(options: RedisClientOptions): Promise<RedisClient> {
	const { logger, ...rest } = options;
	const config = redisClientOptionsSchema.parse(rest);
	const client = buildClient(config);

	let outage = false;
	client.on('error', (err: unknown) => {
		// node-redis emits an error per failed reconnect attempt: report the outage once.
		if (outage) return;
		outage = true;
		logger?.warn({ err, url: redactUrl(config.url) }, 'redis connection lost; reconnecting');
	});
	client.on('ready', () => {
		if (!outage) return;
		outage = false;
		logger?.info?.({ url: redactUrl(config.url) }, 'redis connection restored');
	});

	try {
		await withDeadline(client.connect(), config.startupTimeoutMs, `connecting to redis at ${redactUrl(config.url)}`);
	} catch (err) {
		client.destroy();
		throw toStoreError(err);
	}
	return client;
}

/**
 * node-redis builds a class carrying every command (and, through the `redis` package, every module's)
 * for each distinct options object it is given, and reuses it only for identical options. With six
 * connections per instance (store, rate limits, relay and socket.io publishers and subscribers), all
 * named differently, that was six classes: 1.5 s of start-up CPU and about 130 MB of RSS that the
 * process never gave back. One class, built here once, serves every connection. We use no Redis
 * module commands (JSON, search, …), so the class has the core commands only.
 */
const newNodeRedisClient = NodeRedisClient.factory({ RESP: 3 });

function buildClient(config: z.output<typeof redisClientOptionsSchema>) {
	return newNodeRedisClient({
		url: config.url,
		name: config.name,
		// The class above is built for RESP3; the connection must speak it too (node-redis reads it here).
		...{ RESP: 3 as const },
		disableOfflineQueue: !config.offlineQueue,
		socket: {
			connectTimeout: config.connectTimeoutMs,
			reconnectStrategy: (retries: number) => reconnectDelayMs(retries, config.reconnectBaseMs, config.reconnectMaxMs)
		}
	});
}

/** Capped exponential back-off with ±20 % jitter, so many instances do not reconnect in step. */
export function reconnectDelayMs(retries: number, baseMs: number, maxMs: number): number {
	const exponential = Math.min(maxMs, baseMs * 2 ** Math.min(retries, 20));
	const jitter = exponential * 0.2 * (Math.random() * 2 - 1);
	return Math.max(0, Math.min(maxMs, Math.round(exponential + jitter)));
}

/** Replies that mean "Redis is there but cannot serve this now"; the caller may retry later. */
const unavailableReplies = ['LOADING', 'BUSY', 'MASTERDOWN', 'TRYAGAIN', 'CLUSTERDOWN', 'READONLY', 'OOM', 'NOREPLICAS'] as const;

const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Maps a connection-level failure to StoreUnavailableError and returns anything else unchanged
 * (a Lua error or a wrong argument is a bug, not an outage).
 */
export function toStoreError(err: unknown): unknown {
	if (err instanceof StoreUnavailableError) return err;
	if (err instanceof ErrorReply) {
		const word = err.message.split(' ', 1)[0] ?? '';
		return (unavailableReplies as readonly string[]).includes(word)
			? new StoreUnavailableError(`redis cannot serve the request: ${err.message}`, { cause: err })
			: err;
	}
	if (
		err instanceof ClientClosedError ||
		err instanceof ClientOfflineError ||
		err instanceof ConnectionTimeoutError ||
		err instanceof SocketClosedUnexpectedlyError ||
		err instanceof SocketTimeoutError ||
		err instanceof TimeoutError ||
		err instanceof DisconnectsClientError ||
		(err instanceof Error && 'code' in err && typeof err.code === 'string' && networkCodes.has(err.code))
	) {
		return new StoreUnavailableError(`redis is unavailable: ${err.message}`, { cause: err });
	}
	return err;
}

/**
 * Rejects with StoreUnavailableError when `promise` has not settled within `ms`. The command itself
 * is not cancelled (node-redis cannot take back a command already written); its late outcome is ignored.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		const timer = setTimeout(() => {
			reject(new StoreUnavailableError(`redis did not answer within ${ms} ms (${what})`));
		}, ms);
		promise.then(
			(value) => {
				clearTimeout(timer);
				resolve(value);
			},
			(err: unknown) => {
				clearTimeout(timer);
				reject(err);
			}
		);
	});
}

function redactUrl(url: string): string {
	return url.replace(/\/\/[^@/]*@/, '//***@');
}
