/**
 * Short references (`DEP-12`) that stay short, agree everywhere and survive offline creation.
 *
 * Scheme (see docs/document-schema.md, "Short references"):
 * - Each record stores `seq`, the number behind its ref. A new record takes
 *   max(every seq and former seq in the register) + 1: dense and short.
 * - Two clients creating records offline can pick the same number. Reading resolves
 *   that deterministically from the document alone: among records claiming one number,
 *   the winner is the one with the fewest former numbers, then the earliest createdAt,
 *   then the smallest id. Every loser (and any record without a valid seq) is shown with
 *   a fresh number above the register's maximum, in (createdAt, id) order. Every client
 *   with the same updates therefore shows the same refs, whatever the merge order.
 * - `reconcileRefs` writes that outcome into the document (new `seq`, old number
 *   appended to `refAliases`), so the fresh numbers stay put as the board grows. It is
 *   deterministic, so two writers reconciling the same state write the same values.
 * - Former numbers are never reused, and lookups by a former ref still find the record
 *   (`lookupRef` returns the current holder and everyone who held the number before).
 */
import * as Y from 'yjs';
import { formatRef, parseRef, registerNames, type RegisterName } from '../protocol/registers.ts';
import { refKeys, registerMap } from './layout.ts';

/** Transaction origin of reference repairs: not a user's edit, so UndoManagers should not track it. */
export const refsOrigin = 'board:refs';

export type RefEntry = { id: string; seq: number | undefined; aliases: number[]; createdAt: number };
export type RefInfo = {
	n: number;
	ref: string;
	/** Numbers this record was shown with before, oldest first. */
	aliases: number[];
	/** True while the number is computed on read and not yet written by `reconcileRefs`. */
	provisional: boolean;
};
export type RefIndex = {
	register: RegisterName;
	byId: Map<string, RefInfo>;
	byNumber: Map<number, string>;
	byAlias: Map<number, string[]>;
	/** Highest number in use or used before; the next record gets max + 1. */
	max: number;
};

const isRefNumber = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

/** Reads the ref-relevant keys of one record map; tolerant of junk written by other programs. */
export function refEntry(id: string, value: Y.Map<unknown>): RefEntry {
	const seq = value.get(refKeys.seq);
	const aliasArray = value.get(refKeys.aliases);
	const aliases = aliasArray instanceof Y.Array ? aliasArray.toArray().filter(isRefNumber) : [];
	const createdAt = value.get('createdAt');
	return {
		id,
		seq: isRefNumber(seq) ? seq : undefined,
		aliases: [...new Set(aliases)],
		createdAt: typeof createdAt === 'number' ? createdAt : Number.MAX_SAFE_INTEGER
	};
}

const byAge = (a: RefEntry, b: RefEntry) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byClaim = (a: RefEntry, b: RefEntry) => a.aliases.length - b.aliases.length || byAge(a, b);

/** Pure: resolves the refs of a register from its entries. */
export function resolveRefs(register: RegisterName, entries: RefEntry[]): RefIndex {
	let max = 0;
	const claims = new Map<number, RefEntry[]>();
	const losers: RefEntry[] = [];
	for (const entry of entries) {
		for (const alias of entry.aliases) max = Math.max(max, alias);
		if (entry.seq === undefined) {
			losers.push(entry);
			continue;
		}
		max = Math.max(max, entry.seq);
		const group = claims.get(entry.seq);
		if (group) group.push(entry);
		else claims.set(entry.seq, [entry]);
	}
	const index: RefIndex = { register, byId: new Map(), byNumber: new Map(), byAlias: new Map(), max };
	const settle = (entry: RefEntry, n: number, provisional: boolean) => {
		const former = entry.seq !== undefined && entry.seq !== n ? [...entry.aliases, entry.seq] : entry.aliases;
		const aliases = [...new Set(former)].filter((a) => a !== n);
		index.byId.set(entry.id, { n, ref: formatRef(register, n), aliases, provisional });
		index.byNumber.set(n, entry.id);
		for (const alias of aliases) {
			const holders = index.byAlias.get(alias);
			if (holders) holders.push(entry.id);
			else index.byAlias.set(alias, [entry.id]);
		}
	};
	for (const [n, group] of claims) {
		if (group.length > 1) group.sort(byClaim);
		settle(group[0]!, n, false);
		losers.push(...group.slice(1));
	}
	losers.sort(byAge);
	for (const loser of losers) settle(loser, ++index.max, true);
	return index;
}

export function buildRefIndex(doc: Y.Doc, register: RegisterName): RefIndex {
	const entries: RefEntry[] = [];
	registerMap(doc, register).forEach((value, id) => {
		// A non-map entry is not a record (reads report it as invalid); it holds no number.
		if (value instanceof Y.Map) entries.push(refEntry(id, value));
	});
	return resolveRefs(register, entries);
}

/** Records found by a ref: who holds it now, and who held it before (newest claim last). */
export type RefLookup = { current: string | undefined; formerly: string[] };

export function lookupRef(index: RefIndex, ref: string | number): RefLookup {
	let n: number;
	if (typeof ref === 'number') n = ref;
	else {
		const parsed = parseRef(ref);
		if (!parsed || parsed.register !== index.register) return { current: undefined, formerly: [] };
		n = parsed.n;
	}
	return { current: index.byNumber.get(n), formerly: index.byAlias.get(n) ?? [] };
}

/**
 * Writes provisional refs into the document for every register: each renumbered record
 * gets its new `seq` and its old number appended to `refAliases`. Returns how many
 * records changed; opens no transaction when nothing needs doing (or only `registers`). Call it after
 * applying remote updates, from a client that may write (a read-only client must not:
 * its reads resolve the same refs without it).
 */
export function reconcileRefs(
	doc: Y.Doc,
	origin: unknown = refsOrigin,
	registers: readonly RegisterName[] = registerNames
): number {
	const pending: { register: RegisterName; id: string; info: RefInfo }[] = [];
	for (const register of registers) {
		for (const [id, info] of buildRefIndex(doc, register).byId) {
			if (info.provisional) pending.push({ register, id, info });
		}
	}
	if (pending.length === 0) return 0;
	let changed = 0;
	doc.transact(() => {
		for (const { register, id, info } of pending) {
			const record = registerMap(doc, register).get(id);
			if (!(record instanceof Y.Map)) continue;
			const old = record.get(refKeys.seq);
			if (isRefNumber(old)) {
				// Created on first renumbering: concurrent reconcilers would push the same number.
				let aliases = record.get(refKeys.aliases);
				if (!(aliases instanceof Y.Array)) {
					aliases = new Y.Array<number>();
					record.set(refKeys.aliases, aliases);
				}
				const list = aliases as Y.Array<unknown>;
				if (!list.toArray().includes(old)) list.push([old]);
			}
			record.set(refKeys.seq, info.n);
			changed++;
		}
	}, origin);
	return changed;
}
