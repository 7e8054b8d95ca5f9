/**
 * Typed access to a board's Y.Doc: the entry point of the board model.
 *
 * Every mutating function validates its input with the register's zod schema (throwing
 * InvalidInputError before touching the doc), then makes all its changes in one
 * `doc.transact(fn, options.origin)`, so an UndoManager tracking that origin undoes the
 * whole change and nothing else.
 */
import type * as Y from 'yjs';
import type { Person } from '../protocol/record-fields.ts';
import {
	registerSchemas,
	type CreateData,
	type CreateInput,
	type PatchInput,
	type RegisterName
} from '../protocol/records.ts';
import { registerNouns } from '../protocol/registers.ts';
import { insertPrepared, prepareRecord, type NewRecord } from './insert.ts';
import { isTextField } from './layout.ts';
import { reconcileRefs, refsOrigin } from './refs.ts';
import {
	parseActor,
	parseInput,
	replaceText,
	requireRecord,
	setIfChanged,
	touch,
	type WriteOptions
} from './write.ts';

export type { NewRecord } from './insert.ts';
export type { WriteOptions } from './write.ts';
export { readRecord, readRecordsById, listRecords, readBoard, validRecords, findByRef, findAllByRef } from './read.ts';
export type { BoardContents, ListOptions, RefMatches } from './read.ts';
export { addComment, addLink, removeLink } from './comments.ts';
export { setRating, escalateBlocker, replanAction, correctDecision } from './history.ts';
export { reconcileRefs, refsOrigin } from './refs.ts';

/**
 * Creates records in one transaction. Any pending ref conflicts are reconciled first
 * (in their own transaction, origin `refsOrigin`) so new numbers never collide locally.
 */
export function createRecords<R extends RegisterName>(
	doc: Y.Doc,
	register: R,
	inputs: readonly CreateInput<R>[],
	actor: Person,
	options: WriteOptions = {}
): NewRecord[] {
	const by = parseActor(actor);
	const now = options.now ?? Date.now();
	const noun = registerNouns[register];
	const datas = inputs.map((input) => parseInput(registerSchemas[register].create, input, noun) as CreateData<R>);
	const prepared = datas.map((data) => prepareRecord(doc, register, data, by, now));
	reconcileRefs(doc, refsOrigin, [register]);
	let created: NewRecord[] = [];
	doc.transact(() => {
		created = insertPrepared(doc, register, prepared);
	}, options.origin);
	return created;
}

/** Creates one record: allocates its ref and sets createdBy/createdAt. */
export function createRecord<R extends RegisterName>(
	doc: Y.Doc,
	register: R,
	input: CreateInput<R>,
	actor: Person,
	options: WriteOptions = {}
): NewRecord {
	return createRecords(doc, register, [input], actor, options)[0]!;
}

/**
 * Applies a patch (validated against the register's patch schema). Only fields whose
 * value changes are written; text fields are spliced, not rewritten. Sets
 * updatedBy/updatedAt when anything changed. Returns whether anything changed.
 */
export function updateRecord<R extends RegisterName>(
	doc: Y.Doc,
	register: R,
	id: string,
	patch: PatchInput<R>,
	actor: Person,
	options: WriteOptions = {}
): boolean {
	const by = parseActor(actor);
	const data = parseInput(registerSchemas[register].patch, patch, `${registerNouns[register]} patch`);
	const map = requireRecord(doc, register, id);
	let changed = false;
	doc.transact(() => {
		for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
			if (value === undefined) continue;
			const wrote = isTextField(register, key) ? replaceText(map, key, String(value)) : setIfChanged(map, key, value);
			changed ||= wrote;
		}
		if (changed) touch(map, by, options.now ?? Date.now());
	}, options.origin);
	return changed;
}

function setArchived(
	doc: Y.Doc,
	register: RegisterName,
	id: string,
	archived: boolean,
	actor: Person,
	options: WriteOptions
): boolean {
	const by = parseActor(actor);
	const map = requireRecord(doc, register, id);
	let changed = false;
	doc.transact(() => {
		changed = setIfChanged(map, 'archived', archived);
		if (changed) touch(map, by, options.now ?? Date.now());
	}, options.origin);
	return changed;
}

/** Soft delete: the record is archived (hidden from lists by default) and keeps its ref. */
export function deleteRecord(
	doc: Y.Doc,
	register: RegisterName,
	id: string,
	actor: Person,
	options: WriteOptions = {}
): boolean {
	return setArchived(doc, register, id, true, actor, options);
}

export function restoreRecord(
	doc: Y.Doc,
	register: RegisterName,
	id: string,
	actor: Person,
	options: WriteOptions = {}
): boolean {
	return setArchived(doc, register, id, false, actor, options);
}
