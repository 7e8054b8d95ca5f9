/**
 * Reading records out of a board document. Every record is validated with its zod
 * schema; a malformed one is reported as `{ ok: false, id, issues }` and never throws,
 * so one bad record (say, written by a buggy script) cannot hide the rest of the board.
 */
import * as Y from 'yjs';
import { forDecisionKey, stampsRoot } from './protected.ts';
import type { z } from 'zod';
import {
	registerSchemas,
	type ReadResult,
	type RecordIssue,
	type RecordOf,
	type RegisterName
} from '../protocol/records.ts';
import { formatRef, parseRef } from '../protocol/registers.ts';
import { linkFields, refKeys, registerMap } from './layout.ts';
import { buildRefIndex, lookupRef, type RefIndex } from './refs.ts';

export function toIssues(error: z.ZodError): RecordIssue[] {
	return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

/** Y.Map<targetId, register> (as JSON) → [{ id, register }]; anything else is left for zod to reject. */
function toLinks(value: unknown): unknown {
	if (value === undefined) return undefined;
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
	return Object.entries(value).map(([id, register]) => ({ id, register }));
}

/**
 * What a record's schema validates: the fields read from its map (`raw`, changed in place), with the
 * server's stamp over them, links as lists, and its id, ref and former refs from `refs`.
 */
function candidateOf(register: RegisterName, id: string, raw: Record<string, unknown>, stamp: unknown, refs: RefIndex): Record<string, unknown> {
	// The Missions Board's "for decision" mark is the server's: a client's own value is dropped.
	delete raw[forDecisionKey];
	// Who created and last changed the record, as the server witnessed it (never the client's own claim).
	if (stamp && typeof stamp === 'object') Object.assign(raw, stamp);
	for (const field of linkFields[register]) raw[field] = toLinks(raw[field]);
	const info = refs.byId.get(id);
	return { ...raw, id, register, ref: info?.ref, aliases: info?.aliases.map((n) => formatRef(register, n)) ?? [] };
}

/** Validates one record map against its register's schema, with refs from `refs`. */
export function readRecordMap<R extends RegisterName>(
	register: R,
	id: string,
	value: unknown,
	refs: RefIndex
): ReadResult<R> {
	if (!(value instanceof Y.Map)) {
		return { ok: false, id, register, issues: [{ path: '', message: 'record is not a Y.Map' }] };
	}
	const raw = value.toJSON() as Record<string, unknown>;
	delete raw[refKeys.seq];
	delete raw[refKeys.aliases];
	const parsed = registerSchemas[register].record.safeParse(candidateOf(register, id, raw, value.doc?.getMap(stampsRoot).get(id), refs));
	if (!parsed.success) return { ok: false, id, register, issues: toIssues(parsed.error) };
	return { ok: true, id, record: parsed.data as RecordOf<R> };
}

/** One record by id; undefined when the register has no such key. */
export function readRecord<R extends RegisterName>(doc: Y.Doc, register: R, id: string): ReadResult<R> | undefined {
	const map = registerMap(doc, register);
	if (!map.has(id)) return undefined;
	return readRecordMap(register, id, map.get(id), buildRefIndex(doc, register));
}

/**
 * The records of `register` among `ids` (archived ones included), validated: the cost follows the
 * records asked for, not the size of the board (the ref index is one pass over the register's keys).
 */
export function readRecordsById<R extends RegisterName>(doc: Y.Doc, register: R, ids: Iterable<string>): ReadResult<R>[] {
	const map = registerMap(doc, register);
	const present = [...ids].filter((id) => map.has(id));
	if (present.length === 0) return [];
	const refs = buildRefIndex(doc, register);
	return present.map((id) => readRecordMap(register, id, map.get(id), refs));
}

export type ListOptions = { includeArchived?: boolean };

const refNumber = (refs: RefIndex, id: string) => refs.byId.get(id)?.n ?? Number.MAX_SAFE_INTEGER;

/**
 * Every record of a register in ref order, validated. Archived records are left out
 * unless asked for; invalid ones are always included (as errors) so they can be seen.
 */
export function listRecords<R extends RegisterName>(
	doc: Y.Doc,
	register: R,
	options: ListOptions = {}
): ReadResult<R>[] {
	const refs = buildRefIndex(doc, register);
	const results: ReadResult<R>[] = [];
	registerMap(doc, register).forEach((value, id) => {
		const result = readRecordMap(register, id, value, refs);
		if (result.ok && result.record.archived && !options.includeArchived) return;
		results.push(result);
	});
	return results.sort((a, b) => refNumber(refs, a.id) - refNumber(refs, b.id));
}

/** The part of a record `listRecordFields` reads: the fields asked for and its identity. */
export type RecordFields<R extends RegisterName, F extends keyof RecordOf<R>> = Pick<RecordOf<R>, F | 'id' | 'register' | 'ref' | 'aliases' | 'archived'>;

const identityFields = ['id', 'register', 'ref', 'aliases', 'archived'] as const;
const fieldSchemas = new Map<string, z.ZodType>();

/** The register's own schemas of `fields`, the identity fields and `archived` (built once per register and field list). */
function fieldsSchema(register: RegisterName, fields: readonly string[]): z.ZodType {
	const key = `${register}:${fields.join(',')}`;
	let schema = fieldSchemas.get(key);
	if (!schema) {
		const picked: Record<string, true> = {};
		for (const field of [...identityFields, ...fields]) picked[field] = true;
		schema = (registerSchemas[register].record as unknown as z.ZodObject).pick(picked as Record<string, true> & Record<number, never>);
		fieldSchemas.set(key, schema);
	}
	return schema;
}

/** A value read from a record map as JSON (a nested Yjs type as its `toJSON`). */
export const plainValue = (value: unknown): unknown => (value instanceof Y.AbstractType ? value.toJSON() : value);

/**
 * The valid, unarchived records of a register in ref order, each read and validated for `fields`
 * only (and its id, ref, aliases and `archived`), the way `listRecords` reads them (the server's stamp, links
 * as lists). For readers that need a few fields of every record: a record's comments and histories,
 * which grow without end, are neither copied out of the document nor validated. A record that is
 * malformed in a field read is left out; one malformed only elsewhere is not.
 */
export function listRecordFields<R extends RegisterName, F extends keyof RecordOf<R> & string>(doc: Y.Doc, register: R, fields: readonly F[]): RecordFields<R, F>[] {
	const refs = buildRefIndex(doc, register);
	const schema = fieldsSchema(register, fields);
	const stamps = doc.getMap(stampsRoot);
	const records: RecordFields<R, F>[] = [];
	registerMap(doc, register).forEach((value, id) => {
		if (!(value instanceof Y.Map)) return;
		const raw: Record<string, unknown> = { archived: plainValue(value.get('archived')) };
		for (const field of fields) raw[field] = plainValue(value.get(field));
		const parsed = schema.safeParse(candidateOf(register, id, raw, stamps.get(id), refs));
		if (!parsed.success) return;
		const record = parsed.data as RecordFields<R, F>;
		if (!record.archived) records.push(record);
	});
	return records.sort((a, b) => refNumber(refs, a.id) - refNumber(refs, b.id));
}

/** The valid records among read results. */
export function validRecords<R extends RegisterName>(results: ReadResult<R>[]): RecordOf<R>[] {
	const records: RecordOf<R>[] = [];
	for (const result of results) if (result.ok) records.push(result.record);
	return records;
}

export type BoardContents = { [R in RegisterName]: ReadResult<R>[] };

export function readBoard(doc: Y.Doc, options: ListOptions = {}): BoardContents {
	return {
		dependencies: listRecords(doc, 'dependencies', options),
		blockers: listRecords(doc, 'blockers', options),
		actions: listRecords(doc, 'actions', options),
		decisions: listRecords(doc, 'decisions', options),
		risks: listRecords(doc, 'risks', options),
		assumptions: listRecords(doc, 'assumptions', options)
	};
}

export type RefMatches = { current: ReadResult | undefined; formerly: ReadResult[] };

/** Everything a ref points at: the record holding it now and records that held it before. */
export function findAllByRef(doc: Y.Doc, ref: string): RefMatches {
	const parsed = parseRef(ref);
	if (!parsed) return { current: undefined, formerly: [] };
	const { register } = parsed;
	const refs = buildRefIndex(doc, register);
	const found = lookupRef(refs, parsed.n);
	const map = registerMap(doc, register);
	const read = (id: string) => readRecordMap(register, id, map.get(id), refs);
	return {
		current: found.current === undefined ? undefined : read(found.current),
		formerly: found.formerly.map(read)
	};
}

/**
 * The record a ref (`DEP-12`, `dep 12`) points at: its current holder, or else the
 * record that most recently held it, so refs quoted before a renumbering still resolve.
 */
export function findByRef(doc: Y.Doc, ref: string): ReadResult | undefined {
	const { current, formerly } = findAllByRef(doc, ref);
	return current ?? formerly.at(-1);
}
