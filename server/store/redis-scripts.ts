/**
 * The Lua scripts of the Redis store. Each touches only keys of one document (or one record
 * collection), so each runs atomically and stays valid on Redis Cluster. Scripts are sent by
 * EVALSHA and re-sent in full after NOSCRIPT (a restarted Redis has an empty script cache).
 *
 * Scripts write only after every check has passed: Redis does not roll a script back on error.
 */
import { createHash } from 'node:crypto';
import { ErrorReply, type RedisArgument } from 'redis';

export interface LuaScript {
	readonly name: string;
	readonly source: string;
	readonly sha: string;
}

function lua(name: string, source: string): LuaScript {
	return { name, source, sha: createHash('sha1').update(source).digest('hex') };
}

/**
 * KEYS: log, seq, hist, arch, ledger. ARGV: n, channel ('' for none), message, then per entry:
 * update, by, at, ledger JSON ('' for none).
 * Appends the updates to the log, gives each a sequence number, a history entry, an archived copy
 * and its ledger entries, then publishes the message on the channel (the relay's, so other instances
 * hear of the batch in the same write, without a PUBLISH round trip of their own). Returns
 * { log length, first seq }.
 */
export const appendScript = lua(
	'append',
	`
local n = tonumber(ARGV[1])
local last = redis.call('INCRBY', KEYS[2], n)
local first = last - n
for i = 1, n do
	local base = 4 + (i - 1) * 4
	local update = ARGV[base]
	local id = string.format('%d-0', first + i)
	redis.call('RPUSH', KEYS[1], update)
	redis.call('XADD', KEYS[3], id, 'by', ARGV[base + 1], 'at', ARGV[base + 2], 'bytes', string.len(update))
	redis.call('XADD', KEYS[4], id, 'd', update)
	if ARGV[base + 3] ~= '' then redis.call('XADD', KEYS[5], id, 'at', ARGV[base + 2], 'e', ARGV[base + 3]) end
end
if ARGV[2] ~= '' then redis.call('PUBLISH', ARGV[2], ARGV[3]) end
return { redis.call('LLEN', KEYS[1]), first + 1 }
`
);

/** KEYS: snap, log, seq. Returns { snapshot or nil, { log entries }, last seq or nil } read at one instant. */
export const loadScript = lua(
	'load',
	`
return { redis.call('GET', KEYS[1]), redis.call('LRANGE', KEYS[2], 0, -1), redis.call('GET', KEYS[3]) }
`
);

/**
 * KEYS: snap, log, lock. ARGV: token, merged count, new snapshot.
 * Only while the caller still owns the lock: stores the snapshot and drops exactly the first
 * `merged count` log entries, keeping those appended since. Returns the log length, or -1 when
 * the lock was lost (expired, or the document was deleted meanwhile).
 */
export const replaceSnapshotScript = lua(
	'replace-snapshot',
	`
if redis.call('GET', KEYS[3]) ~= ARGV[1] then return -1 end
redis.call('SET', KEYS[1], ARGV[3])
redis.call('LTRIM', KEYS[2], tonumber(ARGV[2]), -1)
return redis.call('LLEN', KEYS[2])
`
);

/** KEYS: lock. ARGV: token. Deletes the lock only if the caller owns it. Returns 1 or 0. */
export const releaseLockScript = lua(
	'release-lock',
	`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`
);

/**
 * KEYS: records hash. ARGV: id, expected present ('1'/'0'), expected JSON, next present ('1'/'0'),
 * next JSON. Writes (or deletes, when next is absent) only if the stored JSON equals the expected
 * one. Returns 1 when it wrote, else 0.
 */
export const compareAndSetScript = lua(
	'compare-and-set',
	`
local current = redis.call('HGET', KEYS[1], ARGV[1])
if ARGV[2] == '0' then
	if current then return 0 end
elseif current ~= ARGV[3] then
	return 0
end
if ARGV[4] == '1' then
	redis.call('HSET', KEYS[1], ARGV[1], ARGV[5])
else
	redis.call('HDEL', KEYS[1], ARGV[1])
end
return 1
`
);

export type SendCommand = (args: RedisArgument[]) => Promise<unknown>;

/** Runs a script by its SHA1, loading it on NOSCRIPT. */
export async function runScript(
	send: SendCommand,
	script: LuaScript,
	keys: readonly string[],
	args: readonly RedisArgument[]
): Promise<unknown> {
	const tail = [String(keys.length), ...keys, ...args];
	try {
		return await send(['EVALSHA', script.sha, ...tail]);
	} catch (err) {
		if (!(err instanceof ErrorReply) || !err.message.startsWith('NOSCRIPT')) throw err;
		return send(['EVAL', script.source, ...tail]);
	}
}
