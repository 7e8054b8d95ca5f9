/**
 * Key names of the Redis store. Every key of one document carries the same Redis Cluster hash tag
 * (`{<name>}`), so one Lua script can touch all of them and they live in one slot of a cluster:
 *
 *   <prefix>doc:{<name>}:snap   STRING  the compacted snapshot (Yjs update, V1)
 *   <prefix>doc:{<name>}:log    LIST    updates appended since the snapshot, oldest first
 *   <prefix>doc:{<name>}:seq    STRING  counter of appended updates (history sequence numbers)
 *   <prefix>doc:{<name>}:hist   STREAM  one entry per update, id `<seq>-0`, fields by/at/bytes
 *   <prefix>doc:{<name>}:arch   STREAM  the update itself per seq (id `<seq>-0`, field d), to rebuild past states
 *   <prefix>doc:{<name>}:ledger STREAM  ledger entries per seq (id `<seq>-0`, field e: JSON array of drafts)
 *   <prefix>doc:{<name>}:ckpt   HASH    `<seq>:<at>` → the whole document as it stood after that update
 *   <prefix>doc:{<name>}:lock   STRING  compaction lock (token, with an expiry)
 *   <prefix>docs                ZSET    every document name (score 0, listed by lexical range)
 *   <prefix>rec:{<collection>}  HASH    record id → JSON value
 *
 * Inside a tag, `%`, `{` and `}` are escaped (`%25`, `%7B`, `%7D`) so a name can never end the tag
 * early or collide with another name.
 */
import { z } from 'zod';

export const defaultKeyPrefix = 'mc:';

/** A key prefix must not contain braces: they would become the hash tag of every key. */
export const keyPrefixSchema = z
	.string()
	.regex(/^[^{}]*$/, 'a Redis key prefix must not contain "{" or "}"');

export interface DocKeys {
	snap: string;
	log: string;
	seq: string;
	hist: string;
	arch: string;
	ledger: string;
	ckpt: string;
	lock: string;
}

export interface RedisKeys {
	readonly prefix: string;
	/** The set of document names; it lives outside every document's slot. */
	readonly docs: string;
	doc(name: string): DocKeys;
	records(collection: string): string;
}

export function redisKeys(prefix: string = defaultKeyPrefix): RedisKeys {
	const checked = keyPrefixSchema.parse(prefix);
	return {
		prefix: checked,
		docs: `${checked}docs`,
		doc(name) {
			const base = `${checked}doc:{${escapeTag(name)}}:`;
			return {
				snap: `${base}snap`,
				log: `${base}log`,
				seq: `${base}seq`,
				hist: `${base}hist`,
				arch: `${base}arch`,
				ledger: `${base}ledger`,
				ckpt: `${base}ckpt`,
				lock: `${base}lock`
			};
		},
		records(collection) {
			return `${checked}rec:{${escapeTag(collection)}}`;
		}
	};
}

/** The part of a key Redis Cluster hashes: the text between the first `{` and the next `}`. */
export function hashTagOf(key: string): string | undefined {
	const open = key.indexOf('{');
	if (open === -1) return undefined;
	const close = key.indexOf('}', open + 1);
	if (close === -1 || close === open + 1) return undefined;
	return key.slice(open + 1, close);
}

function escapeTag(text: string): string {
	return text.replace(/[%{}]/g, (c) => (c === '%' ? '%25' : c === '{' ? '%7B' : '%7D'));
}
