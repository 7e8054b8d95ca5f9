/**
 * Reads what the protection check needs of a Yjs update (the v1 encoding y-websocket sends) without
 * building it: each item's id, length, origins, parent and map key, where its content sits, and the
 * delete set. No Yjs struct is created and content is skipped, not decoded (the check reads a log
 * entry's values only where it must): decoding the whole update a second time, with `Y.decodeUpdate`,
 * was most of the check's cost and half of it garbage collection (docs/performance.md).
 *
 * The grammar is Yjs's own (yjs 13.6: `readClientsStructRefs`, `readItemContent`, `readDeleteSet`),
 * read the way `Y.applyUpdate` reads it, so what this reader sees is what Yjs applies: a client
 * named twice keeps its last block of structs, as Yjs does. Anything past the end or of a kind Yjs
 * does not know throws, as Yjs would.
 */
import * as decoding from 'lib0/decoding';

export interface Ids {
	client: number;
	clock: number;
}

/** The content kinds of an item (Yjs's content refs) that the check tells apart. */
export const contentKinds = { deleted: 1, json: 2, binary: 3, string: 4, embed: 5, format: 6, type: 7, any: 8, doc: 9 } as const;

export interface ItemHeader {
	readonly client: number;
	readonly clock: number;
	readonly length: number;
	/** The item that was on its left (right) when it was inserted; null when none was written. */
	readonly origin: Ids | null;
	readonly rightOrigin: Ids | null;
	/** A root type's name, the id of the item holding the parent type, or null (it is its origin's). */
	readonly parent: string | Ids | null;
	/** Its map key when it was written (only when it has no origin: otherwise it is its origin's). */
	readonly parentSub: string | null;
	/** One of `contentKinds`. */
	readonly content: number;
	/** Where its content starts in the update (for `everyValueWrittenBy`). */
	readonly contentAt: number;
}

export interface DeleteRange {
	clock: number;
	len: number;
}

export interface UpdateHeaders {
	/** The items of each client, in clock order. */
	items: Map<number, ItemHeader[]>;
	/** The deleted ranges of each client, sorted by clock. */
	deletes: Map<number, DeleteRange[]>;
	/**
	 * Each client's holes: the clock its structs start at, and every skipped range inside them (a
	 * merged update leaves a skip where a change in between is missing). What comes after a hole that
	 * the receiving document has not filled stays pending in Yjs, to be applied later unchecked.
	 */
	holes: Map<number, DeleteRange[]>;
}

export class MalformedUpdateError extends Error {
	readonly code = 'malformed_update';
	constructor(message: string) {
		super(message);
		this.name = 'MalformedUpdateError';
	}
}

const bits5 = 0b11111;
const hasOrigin = 0b1000_0000;
const hasRightOrigin = 0b0100_0000;
const hasParentSub = 0b0010_0000;
const gcRef = 0;
const skipRef = 10;
/** Type refs of Yjs (`typeRefs`): XmlElement (3) and XmlHook (5) carry a name. */
const typeRefCount = 7;
const namedTypeRefs: ReadonlySet<number> = new Set([3, 5]);
/** lib0's `readAny` tags (127 − index of its lookup table). */
const anyTags = { undefined: 127, null: 126, integer: 125, float32: 124, float64: 123, bigint: 122, false: 121, true: 120, string: 119, object: 118, array: 117, bytes: 116 } as const;

function readByte(decoder: decoding.Decoder): number {
	if (decoder.pos >= decoder.arr.length) throw new MalformedUpdateError('update ends early');
	return decoder.arr[decoder.pos++]!;
}

function skipBytes(decoder: decoding.Decoder, count: number): void {
	decoder.pos += count;
	if (decoder.pos > decoder.arr.length) throw new MalformedUpdateError('update ends early');
}

function skipVarBytes(decoder: decoding.Decoder): void {
	skipBytes(decoder, decoding.readVarUint(decoder));
}

function readIds(decoder: decoding.Decoder): Ids {
	const client = decoding.readVarUint(decoder);
	return { client, clock: decoding.readVarUint(decoder) };
}

/** The most bytes a varint of lib0 takes (53 bits); a longer one is malformed, as lib0 finds it. */
const maxVarBytes = 8;
/** Values nested deeper than this are refused (lib0 would overflow its stack reading them). */
const maxDepth = 1_000;

/** What `readLength` read: reused, so reading a length allocates nothing. */
const scratch = { value: 0, end: 0 };

/** Reads the varuint length at `at` into `scratch` (its value, and where it ends). */
function readLength(bytes: Uint8Array, at: number): void {
	let pos = at;
	let value = 0;
	for (let shift = 1, read = 0; ; shift *= 128) {
		if (pos >= bytes.length || ++read > maxVarBytes) throw new MalformedUpdateError('update ends early');
		const byte = bytes[pos++]!;
		value += (byte & 0x7f) * shift;
		if (byte < 0x80) break;
	}
	scratch.value = value;
	scratch.end = pos;
}

/**
 * Where the `count` values written by lib0's `writeAny` from `at` end. One loop over the bytes, with
 * the lengths read in place: an update's log entry (a comment: an object of strings and numbers) is
 * skipped on every check, often before the code is optimised (a meeting's few edits a second), when
 * each call per value or per byte costs more than the work it does.
 */
export function endOfAny(bytes: Uint8Array, at: number, count = 1): number {
	const end = bytes.length;
	let pos = at;
	// Values still to skip, per nesting level: negative for an object's entries (each after its key).
	const left: number[] = [count];
	while (left.length > 0) {
		const level = left.length - 1;
		const remaining = left[level]!;
		if (remaining === 0) {
			left.pop();
			continue;
		}
		if (remaining > 0) left[level] = remaining - 1;
		else {
			left[level] = remaining + 1;
			// The entry's key: a length, then its UTF-8.
			readLength(bytes, pos);
			pos = scratch.end + scratch.value;
		}
		if (pos >= end) throw new MalformedUpdateError('update ends early');
		const tag = bytes[pos++]!;
		switch (tag) {
			case anyTags.undefined:
			case anyTags.null:
			case anyTags.false:
			case anyTags.true:
				break;
			case anyTags.integer:
				for (let read = 1; ; read++) {
					if (pos >= end || read > maxVarBytes) throw new MalformedUpdateError('update ends early');
					if (bytes[pos++]! < 0x80) break;
				}
				break;
			case anyTags.float32:
				pos += 4;
				break;
			case anyTags.float64:
			case anyTags.bigint:
				pos += 8;
				break;
			case anyTags.string:
			case anyTags.bytes:
			case anyTags.object:
			case anyTags.array: {
				readLength(bytes, pos);
				pos = scratch.end;
				const length = scratch.value;
				if (tag === anyTags.string || tag === anyTags.bytes) pos += length;
				else {
					if (left.length >= maxDepth) throw new MalformedUpdateError('value nested too deeply');
					left.push(tag === anyTags.object ? -length : length);
				}
				break;
			}
			default:
				throw new MalformedUpdateError(`unknown value tag ${tag}`);
		}
	}
	if (pos > end) throw new MalformedUpdateError('update ends early');
	return pos;
}

/** Skips `count` values written by lib0's `writeAny`. */
function skipAny(decoder: decoding.Decoder, count = 1): void {
	decoder.pos = endOfAny(decoder.arr, decoder.pos, count);
}

/** Skips an item's content; returns the item's length (as Yjs counts it). */
function skipContent(decoder: decoding.Decoder, ref: number): number {
	switch (ref) {
		case contentKinds.deleted:
			return decoding.readVarUint(decoder);
		case contentKinds.json: {
			const length = decoding.readVarUint(decoder);
			for (let i = 0; i < length; i++) skipVarBytes(decoder);
			return length;
		}
		case contentKinds.binary:
		case contentKinds.embed:
			skipVarBytes(decoder);
			return 1;
		case contentKinds.string:
			// Its length is in UTF-16 code units of the decoded text (invalid UTF-8 decodes as Yjs decodes it).
			return decoding.readVarString(decoder).length;
		case contentKinds.format:
			skipVarBytes(decoder);
			skipVarBytes(decoder);
			return 1;
		case contentKinds.type: {
			const typeRef = decoding.readVarUint(decoder);
			if (typeRef >= typeRefCount) throw new MalformedUpdateError(`unknown type ${typeRef}`);
			if (namedTypeRefs.has(typeRef)) skipVarBytes(decoder);
			return 1;
		}
		case contentKinds.any: {
			const length = decoding.readVarUint(decoder);
			skipAny(decoder, length);
			return length;
		}
		case contentKinds.doc:
			skipVarBytes(decoder);
			skipAny(decoder);
			return 1;
		default:
			throw new MalformedUpdateError(`unknown content ${ref}`);
	}
}

/** Reads the struct headers and the delete set of a v1 update. Throws MalformedUpdateError (or lib0's decoding errors). */
export function readUpdateHeaders(update: Uint8Array): UpdateHeaders {
	const decoder = decoding.createDecoder(update);
	const items = new Map<number, ItemHeader[]>();
	const holes = new Map<number, DeleteRange[]>();
	for (let blocks = decoding.readVarUint(decoder); blocks > 0; blocks--) {
		const structs = decoding.readVarUint(decoder);
		const client = decoding.readVarUint(decoder);
		let clock = decoding.readVarUint(decoder);
		const list: ItemHeader[] = [];
		items.set(client, list);
		const clientHoles: DeleteRange[] = [{ clock: 0, len: clock }];
		holes.set(client, clientHoles);
		for (let i = 0; i < structs; i++) {
			const info = readByte(decoder);
			const ref = info & bits5;
			if (ref === gcRef || ref === skipRef) {
				const len = decoding.readVarUint(decoder);
				if (ref === skipRef) clientHoles.push({ clock, len });
				clock += len;
				continue;
			}
			const origin = info & hasOrigin ? readIds(decoder) : null;
			const rightOrigin = info & hasRightOrigin ? readIds(decoder) : null;
			const ownParent = (info & (hasOrigin | hasRightOrigin)) === 0;
			const parent = ownParent ? (decoding.readVarUint(decoder) === 1 ? decoding.readVarString(decoder) : readIds(decoder)) : null;
			const parentSub = ownParent && info & hasParentSub ? decoding.readVarString(decoder) : null;
			const contentAt = decoder.pos;
			const length = skipContent(decoder, ref);
			list.push({ client, clock, length, origin, rightOrigin, parent, parentSub, content: ref, contentAt });
			clock += length;
		}
	}
	const deletes = new Map<number, DeleteRange[]>();
	for (let clients = decoding.readVarUint(decoder); clients > 0; clients--) {
		const client = decoding.readVarUint(decoder);
		const count = decoding.readVarUint(decoder);
		if (count === 0) continue;
		let ranges = deletes.get(client);
		if (!ranges) deletes.set(client, (ranges = []));
		for (let i = 0; i < count; i++) {
			const clock = decoding.readVarUint(decoder);
			ranges.push({ clock, len: decoding.readVarUint(decoder) });
		}
	}
	for (const ranges of deletes.values()) if (ranges.length > 1) ranges.sort((a, b) => a.clock - b.clock);
	return { items, deletes, holes };
}

/**
 * Whether every value of an item whose content is `contentKinds.any` names `person` (exactly its
 * id and name) under `authorKey`, as a log entry must: read in place, with nothing decoded but the
 * keys and the person's two strings (decoding each entry whole, its text and all, was most of the
 * protection check's cost for a comment). A value that is not an object (a ref alias, a string)
 * names nobody and passes; an object is read as lib0's `readAny` reads it (the last of a
 * repeated key wins); anything else fails.
 */
export function everyValueWrittenBy(update: Uint8Array, item: ItemHeader, authorKey: string, person: { id: string; name: string }): boolean {
	const decoder = decoding.createDecoder(update);
	decoder.pos = item.contentAt;
	// Compared as UTF-8 bytes in place: no string is decoded (a TextDecoder call each was most of
	// this), and the wanted bytes are encoded once per key and per person, not per entry.
	const author = bytesOfKey(authorKey);
	const wanted = bytesOfPerson(person);
	for (let count = decoding.readVarUint(decoder); count > 0; count--) {
		const tag = update[decoder.pos];
		if (tag === anyTags.array) return false;
		if (tag !== anyTags.object) {
			skipAny(decoder);
			continue;
		}
		decoder.pos++;
		let named = false;
		for (let entries = decoding.readVarUint(decoder); entries > 0; entries--) {
			const keyAt = skipString(decoder);
			if (bytesAre(decoder.arr, keyAt, decoder.pos, author)) named = isPerson(decoder, wanted);
			else skipAny(decoder);
		}
		if (!named) return false;
	}
	return true;
}

/** Reads one value: whether it is an object whose `id` and `name` are exactly `person`'s strings (as UTF-8). */
function isPerson(decoder: decoding.Decoder, person: { id: Uint8Array; name: Uint8Array }): boolean {
	if (decoder.arr[decoder.pos] !== anyTags.object) {
		skipAny(decoder);
		return false;
	}
	decoder.pos++;
	let id = false;
	let name = false;
	for (let entries = decoding.readVarUint(decoder); entries > 0; entries--) {
		const keyAt = skipString(decoder);
		const key = bytesAre(decoder.arr, keyAt, decoder.pos, idKey) ? 'id' : bytesAre(decoder.arr, keyAt, decoder.pos, nameKey) ? 'name' : undefined;
		let matches = false;
		if (key && decoder.arr[decoder.pos] === anyTags.string) {
			decoder.pos++;
			const valueAt = skipString(decoder);
			matches = bytesAre(decoder.arr, valueAt, decoder.pos, key === 'id' ? person.id : person.name);
		} else skipAny(decoder);
		if (key === 'id') id = matches;
		else if (key === 'name') name = matches;
	}
	return id && name;
}

const utf8 = new TextEncoder();
const idKey = utf8.encode('id');
const nameKey = utf8.encode('name');
/** The UTF-8 of the few author keys the board has (`authorKeyOf`). */
const authorKeys = new Map<string, Uint8Array>();
/** A person's id and name as UTF-8, by the person object (a connection's principal), while it lives. */
const people = new WeakMap<object, { id: string; name: string; bytes: { id: Uint8Array; name: Uint8Array } }>();

function bytesOfKey(key: string): Uint8Array {
	let bytes = authorKeys.get(key);
	if (!bytes) authorKeys.set(key, (bytes = utf8.encode(key)));
	return bytes;
}

function bytesOfPerson(person: { id: string; name: string }): { id: Uint8Array; name: Uint8Array } {
	const known = people.get(person);
	if (known && known.id === person.id && known.name === person.name) return known.bytes;
	const bytes = { id: utf8.encode(person.id), name: utf8.encode(person.name) };
	people.set(person, { id: person.id, name: person.name, bytes });
	return bytes;
}

/** Skips one string (lib0's `writeVarString`: a length, then UTF-8) and returns where its bytes start (they end at `decoder.pos`). */
function skipString(decoder: decoding.Decoder): number {
	const length = decoding.readVarUint(decoder);
	const at = decoder.pos;
	skipBytes(decoder, length);
	return at;
}

/** Whether `bytes[at, end)` are exactly `expected`. */
function bytesAre(bytes: Uint8Array, at: number, end: number, expected: Uint8Array): boolean {
	if (end - at !== expected.length) return false;
	for (let index = 0; index < expected.length; index++) if (bytes[at + index] !== expected[index]) return false;
	return true;
}

/** Whether `ranges` (sorted by clock) cover `clock`. */
export function covers(ranges: readonly DeleteRange[] | undefined, clock: number): boolean {
	if (!ranges) return false;
	let low = 0;
	let high = ranges.length - 1;
	while (low <= high) {
		const mid = (low + high) >> 1;
		const range = ranges[mid]!;
		if (clock < range.clock) high = mid - 1;
		else if (clock >= range.clock + range.len) low = mid + 1;
		else return true;
	}
	return false;
}
