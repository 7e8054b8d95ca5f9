/**
 * Low-level writes shared by the board model's mutating functions. Everything here
 * runs inside a transaction opened by the caller. Two rules keep the document small
 * and concurrent edits safe:
 * - never write a value that did not change (an overwrite leaves a tombstone);
 * - every Y.Text, Y.Array and link Y.Map of a record is created with the record, so two
 *   clients never race to create the same nested type (one of the two would be lost).
 */
import * as Y from 'yjs';
import type { z } from 'zod';
import { person, type Person } from '../protocol/record-fields.ts';
import type { RegisterName } from '../protocol/registers.ts';
import { InvalidInputError, RecordNotFoundError } from './errors.ts';
import { recordMap, registerOf, type RecordMap } from './layout.ts';
import { toIssues } from './read.ts';

/** Options of every mutating function. */
export type WriteOptions = {
	/** Transaction origin; give your UndoManager the same value in `trackedOrigins`. Default null. */
	origin?: unknown;
	/** Clock for createdAt/updatedAt and history entries, epoch ms. Default Date.now(). */
	now?: number;
};

/**
 * Repeated edits by the same person within this window keep the first `updatedAt`:
 * consecutive overwrites of one field then merge into a single tombstone instead of
 * interleaving with `updatedAt` overwrites (~9 bytes each in the V1 update encoding).
 */
export const updatedAtCoalesceMs = 60_000;

export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
	const parsed = schema.safeParse(input);
	if (!parsed.success) {
		const issues = toIssues(parsed.error);
		const first = issues[0];
		throw new InvalidInputError(`invalid ${what}: ${first?.path || '(root)'}: ${first?.message}`, issues);
	}
	return parsed.data;
}

export function parseActor(actor: Person): Person {
	return parseInput(person, actor, 'actor');
}

export function requireRecord(doc: Y.Doc, register: RegisterName, id: string): RecordMap {
	const map = recordMap(doc, register, id);
	if (!map) throw new RecordNotFoundError(id, register);
	return map;
}

/** The register of each link target; throws when a target is not on this board. */
export function resolveTargets(doc: Y.Doc, ids: readonly string[]): Map<string, RegisterName> {
	const targets = new Map<string, RegisterName>();
	for (const id of ids) {
		const register = registerOf(doc, id);
		if (!register) throw new RecordNotFoundError(id, 'this board');
		targets.set(id, register);
	}
	return targets;
}

const samePerson = (a: unknown, b: Person) =>
	typeof a === 'object' && a !== null && (a as Person).name === b.name && (a as Person).id === b.id;

/** Sets `key` only if the value differs (deep, by JSON). Returns true when it wrote. */
export function setIfChanged(map: RecordMap, key: string, value: unknown): boolean {
	const current = map.get(key);
	if (current === value) return false;
	if (current !== undefined && !(current instanceof Y.AbstractType)) {
		if (JSON.stringify(current) === JSON.stringify(value)) return false;
	}
	map.set(key, value);
	return true;
}

/** Stamps updatedBy/updatedAt, coalescing a burst of edits by one person (see updatedAtCoalesceMs). */
export function touch(map: RecordMap, actor: Person, now: number): void {
	const lastBy = map.get('updatedBy');
	const lastAt = map.get('updatedAt');
	const sameActor = samePerson(lastBy, actor);
	if (!sameActor) map.set('updatedBy', actor);
	const recent = typeof lastAt === 'number' && now >= lastAt && now - lastAt < updatedAtCoalesceMs;
	if (!(sameActor && recent)) map.set('updatedAt', now);
}

/**
 * Makes a Y.Text hold `next` by splicing only the changed middle (common prefix and
 * suffix kept), so someone typing elsewhere in the same text keeps their edit.
 */
export function replaceText(map: RecordMap, key: string, next: string): boolean {
	const text = map.get(key);
	if (!(text instanceof Y.Text)) {
		map.set(key, new Y.Text(next));
		return true;
	}
	const prev = text.toString();
	if (prev === next) return false;
	let start = 0;
	const shortest = Math.min(prev.length, next.length);
	while (start < shortest && prev.charCodeAt(start) === next.charCodeAt(start)) start++;
	// Never split a surrogate pair.
	if (start > 0 && isHighSurrogate(prev.charCodeAt(start - 1))) start--;
	let endPrev = prev.length;
	let endNext = next.length;
	while (endPrev > start && endNext > start && prev.charCodeAt(endPrev - 1) === next.charCodeAt(endNext - 1)) {
		endPrev--;
		endNext--;
	}
	if (endPrev < prev.length && isLowSurrogate(prev.charCodeAt(endPrev))) {
		endPrev++;
		endNext++;
	}
	if (endPrev > start) text.delete(start, endPrev - start);
	if (endNext > start) text.insert(start, next.slice(start, endNext));
	return true;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** Appends to an append-only Y.Array field (created if a foreign writer left it out). */
export function appendEntry(map: RecordMap, key: string, entry: object): void {
	let list = map.get(key);
	if (!(list instanceof Y.Array)) {
		list = new Y.Array<unknown>();
		map.set(key, list);
	}
	(list as Y.Array<unknown>).push([entry]);
}

/** The Y.Map<targetId, register> behind a link field (created if missing). */
export function linkMap(map: RecordMap, key: string): Y.Map<RegisterName> {
	let links = map.get(key);
	if (!(links instanceof Y.Map)) {
		links = new Y.Map<RegisterName>();
		map.set(key, links);
	}
	return links as Y.Map<RegisterName>;
}

/** A title from the first line of a text, for actions and decisions created without one. */
export function titleFromText(text: string, maxChars = 120): string {
	const firstLine = text.trim().split('\n', 1)[0]!.trim();
	return firstLine.length <= maxChars ? firstLine : `${firstLine.slice(0, maxChars - 1).trimEnd()}…`;
}
