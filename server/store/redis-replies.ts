/**
 * Narrowing of raw Redis replies (from `sendCommand`, RESP2) into the shapes the store expects.
 * A reply of another shape means the keyspace holds something we did not write: a named error.
 */
import type { HistoryEntry } from './store.ts';

export class UnexpectedReplyError extends Error {
	readonly code = 'redis_unexpected_reply';
	constructor(what: string, reply: unknown) {
		super(`unexpected reply from redis for ${what}: ${describe(reply)}`);
		this.name = 'UnexpectedReplyError';
	}
}

export function asInteger(reply: unknown, what: string): number {
	if (typeof reply === 'number' && Number.isInteger(reply)) return reply;
	throw new UnexpectedReplyError(what, reply);
}

export function asStrings(reply: unknown, what: string): string[] {
	if (Array.isArray(reply) && reply.every((item) => typeof item === 'string')) return reply;
	throw new UnexpectedReplyError(what, reply);
}

/** A Buffer reply as a plain Uint8Array view over the same bytes (no copy). */
export function asBytes(reply: unknown, what: string): Uint8Array {
	if (Buffer.isBuffer(reply)) return new Uint8Array(reply.buffer, reply.byteOffset, reply.byteLength);
	throw new UnexpectedReplyError(what, reply);
}

/** The reply of the load script: `[snapshot | null, [update, …], seq | null]`. */
export function asLoadedDoc(reply: unknown, what: string): { snapshot: Uint8Array | undefined; log: Uint8Array[]; seq: number } {
	if (!Array.isArray(reply) || reply.length < 2 || !Array.isArray(reply[1])) {
		throw new UnexpectedReplyError(what, reply);
	}
	const [snapshot, log, seq] = reply as [unknown, unknown[], unknown];
	const last = seq === null || seq === undefined ? 0 : Number(Buffer.isBuffer(seq) ? seq.toString() : seq);
	if (!Number.isSafeInteger(last)) throw new UnexpectedReplyError(what, reply);
	return {
		snapshot: snapshot === null ? undefined : asBytes(snapshot, what),
		log: log.map((entry) => asBytes(entry, what)),
		seq: last
	};
}

/** A stream reply (XRANGE / XREVRANGE): `[[id, [field, value, …]], …]` as seq and a field map. */
export function asStreamEntries(reply: unknown, what: string): { seq: number; fields: Map<string, unknown> }[] {
	if (!Array.isArray(reply)) throw new UnexpectedReplyError(what, reply);
	return reply.map((item: unknown) => {
		if (!Array.isArray(item) || !Array.isArray(item[1])) throw new UnexpectedReplyError(what, item);
		const id = Buffer.isBuffer(item[0]) ? item[0].toString() : item[0];
		if (typeof id !== 'string') throw new UnexpectedReplyError(what, item);
		const flat = item[1] as unknown[];
		const fields = new Map<string, unknown>();
		for (let i = 0; i + 1 < flat.length; i += 2) {
			const key = flat[i];
			fields.set(Buffer.isBuffer(key) ? key.toString() : String(key), flat[i + 1]);
		}
		const seq = Number(id.split('-', 1)[0]);
		if (!Number.isSafeInteger(seq)) throw new UnexpectedReplyError(what, item);
		return { seq, fields };
	});
}

/** The reply of XREVRANGE on a history stream: `[[id, [field, value, …]], …]`. */
export function asHistory(reply: unknown, what: string): HistoryEntry[] {
	if (!Array.isArray(reply)) throw new UnexpectedReplyError(what, reply);
	return reply.map((item: unknown) => {
		if (!Array.isArray(item) || typeof item[0] !== 'string') throw new UnexpectedReplyError(what, item);
		const flat = asStrings(item[1], what);
		const fields = new Map<string, string>();
		for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i] as string, flat[i + 1] as string);
		const value = (name: string) => {
			const found = fields.get(name);
			if (found === undefined) throw new UnexpectedReplyError(what, item);
			return found;
		};
		const entry = {
			seq: Number(item[0].split('-', 1)[0]),
			by: value('by'),
			at: Number(value('at')),
			bytes: Number(value('bytes'))
		};
		if (!Number.isSafeInteger(entry.seq) || !Number.isFinite(entry.at) || !Number.isSafeInteger(entry.bytes)) {
			throw new UnexpectedReplyError(what, item);
		}
		return entry;
	});
}

function describe(reply: unknown): string {
	if (Buffer.isBuffer(reply)) return `<${reply.byteLength} bytes>`;
	const text = JSON.stringify(reply) ?? String(reply);
	return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
