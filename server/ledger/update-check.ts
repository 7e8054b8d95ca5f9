/**
 * Checks a peer's Yjs update against the board's protected paths *before* it is applied: the hub
 * refuses it whole (nothing stored, nothing broadcast) when it would delete or rewrite a protected
 * value, write where only the server writes, or append a log entry in someone else's name.
 *
 * Nothing is applied to find out, and nothing is decoded twice: only the update's struct headers
 * and delete set are read (`update-headers.ts`; no Yjs structs are built, content is skipped). Each
 * new item's place is resolved from its explicit parent, or from its left/right neighbour (in the
 * document or in the update itself); each deleted range is looked up in the document. An update that refers to items the server has
 * never seen cannot be checked (Yjs would keep it pending and apply it later, unchecked), so it is
 * refused too: a real client always sends what its changes depend on.
 */
import * as Y from 'yjs';
import type { Principal } from '../auth/principal.ts';
import {
	authorKeyOf,
	insertionRefused,
	logFields,
	pathOfType,
	protectionMessages,
	removalRefused,
	stampsRoot,
	type ProtectionReason
} from '#lib/board/protected.ts';
import { contentKinds, covers, everyValueWrittenBy, readUpdateHeaders, type Ids, type ItemHeader, type UpdateHeaders } from './update-headers.ts';
import type { RegisterName } from '#lib/protocol/registers.ts';

export type RefusalReason = ProtectionReason | 'forged_author' | 'unverifiable';

export interface Refusal {
	reason: RefusalReason;
	message: string;
	/** Where, for the log: `decisions/<id>/text`. */
	path: string;
}

const refusalMessages: Readonly<Record<RefusalReason, string>> = {
	...protectionMessages,
	forged_author: 'a history entry or comment must be written in your own name',
	unverifiable: 'the change depends on changes the server has not seen; reload the board'
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyType = Y.AbstractType<any>;

/** Where a value sits: the path of its parent type and its map key (null in arrays and texts). */
interface Place {
	path: readonly string[];
	key: string | null;
	/** The parent type when it already exists in the document; undefined when the update creates it. */
	parent: AnyType | undefined;
}
type Resolved = Place | 'gone' | 'missing';

function refuse(reason: RefusalReason, path: readonly string[], key: string | null): Refusal {
	return { reason, message: refusalMessages[reason], path: [...path, ...(key === null ? [] : [key])].join('/') };
}

/** The struct of the document that holds `id`, or undefined when the document has not seen it. */
function findInDoc(doc: Y.Doc, id: Ids): Y.Item | Y.GC | undefined {
	const structs = doc.store.clients.get(id.client);
	if (!structs) return undefined;
	const last = structs[structs.length - 1]!;
	if (id.clock >= last.id.clock + last.length) return undefined;
	return structs[Y.findIndexSS(structs, id.clock)] as Y.Item | Y.GC;
}

/** The item of the update that holds `id`, or undefined. */
function findInUpdate(items: Map<number, ItemHeader[]>, id: Ids): ItemHeader | undefined {
	const list = items.get(id.client);
	if (!list) return undefined;
	let low = 0;
	let high = list.length - 1;
	while (low <= high) {
		const mid = (low + high) >> 1;
		const item = list[mid]!;
		if (id.clock < item.clock) high = mid - 1;
		else if (id.clock >= item.clock + item.length) low = mid + 1;
		else return item;
	}
	return undefined;
}

function placeOfExisting(item: Y.Item | Y.GC): Resolved {
	if (!(item instanceof Y.Item)) return 'gone';
	const parent = item.parent as AnyType | null;
	if (!parent) return 'gone';
	const path = pathOfType(parent);
	return path ? { path, key: item.parentSub, parent } : 'gone';
}

/**
 * Checks `update` as sent by `principal` against `doc` (a board document). Returns the refusal,
 * or undefined when the update may be applied. Throws on a malformed update.
 */
export function checkBoardUpdate(doc: Y.Doc, update: Uint8Array, principal: Principal): Refusal | undefined {
	const { items, deletes, holes } = readUpdateHeaders(update);
	const places = new Map<ItemHeader, Resolved>();

	const resolve = (item: ItemHeader, depth = 0): Resolved => {
		const known = places.get(item);
		if (known) return known;
		let result: Resolved;
		const parent = item.parent;
		if (depth > 10_000) result = 'missing';
		else if (typeof parent === 'string') result = { path: [parent], key: item.parentSub, parent: doc.share.get(parent) };
		else if (parent !== null) {
			const holder = findInDoc(doc, parent);
			if (holder) {
				const type = holder instanceof Y.Item && holder.content instanceof Y.ContentType ? (holder.content.type as AnyType) : undefined;
				const path = type && !holder.deleted ? pathOfType(type) : undefined;
				result = path && type ? { path, key: item.parentSub, parent: type } : 'gone';
			} else {
				const created = findInUpdate(items, parent);
				const outer = created ? resolve(created, depth + 1) : 'missing';
				result = typeof outer === 'string' ? outer : { path: [...outer.path, outer.key ?? '#'], key: item.parentSub, parent: undefined };
			}
		} else {
			const neighbour = item.origin ?? item.rightOrigin;
			if (!neighbour) result = 'missing';
			else {
				const existing = findInDoc(doc, neighbour);
				if (existing) result = placeOfExisting(existing);
				else {
					const sibling = findInUpdate(items, neighbour);
					result = sibling ? resolve(sibling, depth + 1) : 'missing';
				}
			}
		}
		places.set(item, result);
		return result;
	};

	for (const [client, list] of items) {
		const known = Y.getState(doc.store, client);
		// A hole the document has not filled (the client's own earlier change, never sent) leaves the
		// rest pending: Yjs would apply it later, once the hole fills, with no check at that moment.
		const last = list.at(-1);
		if (last && last.clock + last.length > known && holes.get(client)?.some((hole) => hole.len > 0 && hole.clock + hole.len > known && hole.clock < last.clock)) return refuse('unverifiable', [], null);
		for (const item of list) {
			// Parts the document already holds are skipped by Yjs; they change nothing.
			if (item.clock + item.length <= known) continue;
			const place = resolve(item);
			if (place === 'gone') continue;
			if (place === 'missing') return refuse('unverifiable', [], null);
			const { path, key, parent } = place;
			if (path[0] === stampsRoot) return refuse('server_only', path, key);
			if (parent) {
				const inserted = insertionRefused(path);
				if (inserted) return refuse(inserted, path, key);
				if (key !== null) {
					const current = (parent as AnyType)._map.get(key);
					if (current && !current.deleted) {
						const removed = removalRefused(path, key) ?? removalOfRecordRefused(path, key, current);
						if (removed) return refuse(removed, path, key);
					}
				}
			}
			const authorKey = authorKeyOf(path);
			if (authorKey && key === null && item.content === contentKinds.any) {
				if (!everyValueWrittenBy(update, item, authorKey, principal)) return refuse('forged_author', path, key);
			}
		}
	}

	for (const [client, ranges] of deletes) {
		const known = Y.getState(doc.store, client);
		for (const { clock, len } of ranges) {
			const end = clock + len;
			if (end > known) {
				// Deleting what the server has never seen: only items this very update creates.
				for (let at = Math.max(clock, known); at < end; ) {
					const own = findInUpdate(items, { client, clock: at });
					if (!own) return refuse('unverifiable', [], null);
					at = own.clock + own.length;
				}
			}
			const structsOfClient = doc.store.clients.get(client) ?? [];
			if (clock >= known) continue;
			let position = Y.findIndexSS(structsOfClient, clock);
			for (; position < structsOfClient.length; position++) {
				const struct = structsOfClient[position]!;
				if (struct.id.clock >= end) break;
				if (!(struct instanceof Y.Item) || struct.deleted) continue;
				// Removing a value removes what it holds: the outermost removal is the one judged.
				if (insideRemoved(struct, deletes)) continue;
				const place = placeOfExisting(struct);
				if (typeof place === 'string') continue;
				const reason = removalRefused(place.path, place.key) ?? removalOfRecordRefused(place.path, place.key, struct);
				if (reason) return refuse(reason, place.path, place.key);
			}
		}
	}
	return undefined;
}

/** Whether an item that holds this one (its parent type's item, and so on up) is removed by `ds` too. */
function insideRemoved(item: Y.Item, deletes: UpdateHeaders['deletes']): boolean {
	for (let holder = (item.parent as AnyType | null)?._item ?? null; holder !== null; holder = (holder.parent as AnyType | null)?._item ?? null) {
		if (!holder.deleted && covers(deletes.get(holder.id.client), holder.id.clock)) return true;
	}
	return false;
}

/** A record (not a decision: those are refused outright) may be removed only while its logs are empty. */
function removalOfRecordRefused(path: readonly string[], key: string | null, item: Y.Item): ProtectionReason | undefined {
	if (path.length !== 1 || key === null || !(item.content instanceof Y.ContentType)) return undefined;
	const record = item.content.type;
	if (!(record instanceof Y.Map)) return undefined;
	for (const field of logFields(path[0] as RegisterName)) {
		const log = record.get(field);
		if (log instanceof Y.Array && log.length > 0) return 'log_entry_removed';
	}
	return undefined;
}

