/**
 * Works out what one accepted transaction changed on a board, record by record and field by field,
 * while the transaction's deleted content is still readable (Yjs garbage-collects it right after the
 * `afterTransaction` event, where the hub calls this). Pure reading: nothing is written.
 */
import * as Y from 'yjs';
import { createdField, type FieldChange } from '#lib/protocol/ledger.ts';
import { formatRef, registerNames, type RegisterName } from '#lib/protocol/registers.ts';
import { refKeys } from '#lib/board/layout.ts';
import { forDecisionKey, logFields, pathOfType, stampsRoot } from '#lib/board/protected.ts';
import { forDecisionRegisters } from '#lib/protocol/records.ts';

/** One record's changes, before the store numbers it and the hub attributes it. */
export interface RecordChanges {
	register: RegisterName;
	recordId: string;
	ref: string;
	changes: FieldChange[];
}

export const ledgerDefaults = {
	/** Characters of long text kept on each side of a change. */
	excerptChars: 160
} as const;

/** Attribution fields are the ledger's own business (the server stamps them): never listed as changes. */
const unlisted: ReadonlySet<string> = new Set(['updatedBy', 'updatedAt', 'createdBy', 'createdAt', refKeys.seq, refKeys.aliases]);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyType = Y.AbstractType<any>;

const registers: ReadonlySet<string> = new Set(registerNames);
const isRegister = (name: string | undefined): name is RegisterName => name !== undefined && registers.has(name);

const addedIn = (transaction: Y.Transaction, item: Y.Item) =>
	item.id.clock >= (transaction.beforeState.get(item.id.client) ?? 0);

/**
 * The items this transaction added to `log`, in document order, found from the transaction's new
 * structs (O(what it added)), not by walking the whole log: a log grows without end.
 */
function appendedTo(transaction: Y.Transaction, log: AnyType): Y.Item[] {
	const added: Y.Item[] = [];
	const clients = new Set<number>();
	for (const [client, after] of transaction.afterState) {
		const before = transaction.beforeState.get(client) ?? 0;
		if (after <= before) continue;
		const structs = transaction.doc.store.clients.get(client) ?? [];
		for (let index = Y.findIndexSS(structs, before); index < structs.length; index++) {
			const struct = structs[index];
			if (struct instanceof Y.Item && struct.parent === log) {
				added.push(struct);
				clients.add(client);
			}
		}
	}
	if (clients.size <= 1) return added; // one writer's items are in clock order, which is their order in the log
	const order = new Map<Y.Item, number>();
	let position = 0;
	for (let item = log._start; item !== null; item = item.right) order.set(item, position++);
	return added.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
}

type KeyChange = { action: 'add' | 'update' | 'delete'; oldValue: unknown };

/**
 * What the transaction did to one key of a map, with the value it replaced: the answer of Yjs's
 * `YMapEvent.keys` for that key (the same rules), without building the event for the whole map.
 */
function keyChange(map: AnyType, key: string, transaction: Y.Transaction): KeyChange | undefined {
	const item = map._map.get(key);
	if (!item) return undefined;
	const removed = (struct: Y.Item) => Y.isDeleted(transaction.deleteSet, struct.id);
	const last = (struct: Y.Item) => {
		const values = struct.content.getContent();
		return values[values.length - 1];
	};
	if (!addedIn(transaction, item)) return removed(item) ? { action: 'delete', oldValue: last(item) } : undefined;
	let previous = item.left;
	while (previous !== null && addedIn(transaction, previous)) previous = previous.left;
	const replaced = previous !== null && removed(previous) ? previous : undefined;
	if (removed(item)) return replaced ? { action: 'delete', oldValue: last(replaced) } : undefined;
	return replaced ? { action: 'update', oldValue: last(replaced) } : { action: 'add', oldValue: undefined };
}

function plain(value: unknown): unknown {
	if (value instanceof Y.Text) return value.toString();
	if (value instanceof Y.AbstractType) return value.toJSON();
	return value ?? null;
}

function refOf(register: RegisterName, record: Y.Map<unknown> | undefined, id: string): string {
	const seq = record?.get(refKeys.seq);
	return typeof seq === 'number' && Number.isInteger(seq) && seq > 0 ? formatRef(register, seq) : id;
}

/** The text as it was before the transaction, and how many characters it inserted and deleted. */
function textChange(text: Y.Text, transaction: Y.Transaction): { before: string; inserted: number; deleted: number } {
	let before = '';
	let inserted = 0;
	let deleted = 0;
	for (let item = text._start; item !== null; item = item.right) {
		if (!(item.content instanceof Y.ContentString)) continue;
		const added = addedIn(transaction, item);
		const removedNow = item.deleted && transaction.deleteSet.clients.has(item.id.client) && Y.isDeleted(transaction.deleteSet, item.id);
		if (added) {
			if (!item.deleted) inserted += item.length;
			continue;
		}
		if (!item.deleted || removedNow) before += item.content.str;
		if (removedNow) deleted += item.length;
	}
	return { before, inserted, deleted };
}

/** A window of both texts around where they first differ. */
export function excerpts(before: string, after: string, chars: number = ledgerDefaults.excerptChars): { before: string; after: string } {
	let start = 0;
	while (start < before.length && start < after.length && before[start] === after[start]) start++;
	const from = Math.max(0, start - Math.floor(chars / 4));
	const cut = (text: string) => (from > 0 ? '…' : '') + text.slice(from, from + chars) + (text.length > from + chars ? '…' : '');
	return { before: cut(before), after: cut(after) };
}

const markOf = (stamp: unknown): unknown => (stamp !== null && typeof stamp === 'object' ? ((stamp as Record<string, unknown>)[forDecisionKey] ?? null) : null);

/**
 * The Missions Board "for decision" mark lives in the record's stamp (only the server writes it), so
 * putting a record to the Board, changing the question or taking it off is listed from there, as the
 * record's `forDecision` field. The rest of a stamp is attribution, never listed.
 */
function forDecisionChanges(stamps: AnyType, keys: Set<string | null>, transaction: Y.Transaction, entry: (register: RegisterName, recordId: string) => RecordChanges): void {
	for (const recordId of keys) {
		if (recordId === null) continue;
		const change = keyChange(stamps, recordId, transaction);
		if (!change) continue;
		const before = change.action === 'add' ? null : markOf(change.oldValue);
		const after = change.action === 'delete' ? null : markOf((stamps as Y.Map<unknown>).get(recordId));
		if (JSON.stringify(before) === JSON.stringify(after)) continue;
		const register = forDecisionRegisters.find((name) => transaction.doc.getMap(name).has(recordId));
		if (register) entry(register, recordId).changes.push({ field: forDecisionKey, before, after });
	}
}

/** Record-level changes of one transaction on a board document. */
export function describeBoardTransaction(transaction: Y.Transaction): RecordChanges[] {
	const records = new Map<string, RecordChanges>();
	const entry = (register: RegisterName, recordId: string): RecordChanges => {
		let found = records.get(recordId);
		if (!found) {
			const map = transaction.doc.getMap(register).get(recordId);
			found = { register, recordId, ref: refOf(register, map instanceof Y.Map ? map : undefined, recordId), changes: [] };
			records.set(recordId, found);
		}
		return found;
	};

	for (const [type, keys] of transaction.changed as Map<AnyType, Set<string | null>>) {
		const path = pathOfType(type);
		if (!path) continue;
		const register = path[0];
		const recordId = path[1];
		const field = path[2];
		if (register === stampsRoot && path.length === 1) {
			forDecisionChanges(type, keys, transaction, entry);
			continue;
		}
		if (!isRegister(register)) continue;

		if (path.length === 1) {
			// Records added to or removed from a register. (A root first seen in this update may still
			// be an untyped AbstractType here, so its items are read directly.)
			for (const id of keys) {
				const item = id === null ? undefined : type._map.get(id);
				if (!item || id === null) continue;
				if (addedIn(transaction, item) && !item.deleted) {
					const map = item.content instanceof Y.ContentType ? item.content.type : undefined;
					const title = map instanceof Y.Map ? plain(map.get('title')) : null;
					entry(register, id).changes.push({ field: createdField, before: null, after: title });
				} else if (item.deleted && !addedIn(transaction, item)) {
					entry(register, id).changes.push({ field: 'removed', before: null, after: true });
				}
			}
			continue;
		}
		if (recordId === undefined) continue;

		if (path.length === 2) {
			const map = type as Y.Map<unknown>;
			for (const key of keys) {
				if (key === null || unlisted.has(key)) continue;
				const change = keyChange(map, key, transaction);
				if (!change) continue;
				const after = change.action === 'delete' ? null : plain(map.get(key));
				const before = change.action === 'add' ? null : plain(change.oldValue);
				entry(register, recordId).changes.push({ field: key, before, after });
			}
			continue;
		}

		if (path.length === 3 && field !== undefined && !unlisted.has(field)) {
			if (type instanceof Y.Text) {
				const { before, inserted, deleted } = textChange(type, transaction);
				const window = excerpts(before, type.toString());
				entry(register, recordId).changes.push({ field, ...window, inserted, deleted });
			} else if (type instanceof Y.Array && logFields(register).includes(field)) {
				const appended: unknown[] = [];
				for (const item of appendedTo(transaction, type)) if (!item.deleted) appended.push(...item.content.getContent());
				if (appended.length > 0) entry(register, recordId).changes.push({ field, before: null, after: appended });
			} else if (type instanceof Y.Map) {
				// Links: the set of target ids before and after.
				const after = [...type.keys()].sort();
				const before = new Set(after);
				for (const key of keys) {
					const action = key === null ? undefined : keyChange(type, key, transaction)?.action;
					if (action === 'add') before.delete(key!);
					else if (action === 'delete') before.add(key!);
				}
				entry(register, recordId).changes.push({ field, before: [...before].sort(), after });
			}
		}
	}
	return [...records.values()].filter((record) => record.changes.length > 0);
}
