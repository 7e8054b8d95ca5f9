/**
 * The Yjs layout of a board document (documented in docs/document-schema.md):
 *
 *   meta                    Y.Map   { schemaVersion: number }
 *   dependencies|blockers|actions|decisions|risks|assumptions
 *                           Y.Map<recordId, Y.Map>   one Y.Map of fields per record
 *
 * Within a record: scalars and small objects are plain values (last writer wins per
 * field); long text is Y.Text (people can type in the same field at once); links are a
 * Y.Map<targetId, registerName> (add/remove commute); comments and histories are
 * append-only Y.Arrays of plain objects.
 */
import * as Y from 'yjs';
import { registerNames, type RegisterName } from '../protocol/registers.ts';

export const schemaVersion = 1;
export const metaRoot = 'meta';

/** Fields held as Y.Text, per register. */
export const textFields = {
	dependencies: ['description', 'deliverable', 'doneCriteria', 'narrative', 'impact'],
	blockers: ['description', 'ask'],
	actions: ['description', 'text'],
	decisions: ['description', 'text', 'rationale'],
	risks: ['description', 'cause', 'event', 'effect', 'mitigations'],
	assumptions: ['description', 'statement']
} as const satisfies Record<RegisterName, readonly string[]>;

/** Fields held as Y.Map<targetId, registerName>. */
export const linkFields = {
	dependencies: ['links'],
	blockers: ['links', 'blocks'],
	actions: ['links'],
	decisions: ['links', 'createdActions'],
	risks: ['links'],
	assumptions: ['links']
} as const satisfies Record<RegisterName, readonly string[]>;
export type LinkField<R extends RegisterName> = (typeof linkFields)[R][number];

/** Append-only Y.Array fields, per register (besides `refAliases`). */
export const historyFields = {
	dependencies: ['comments', 'ratingHistory'],
	blockers: ['comments', 'escalations'],
	actions: ['comments', 'replans'],
	decisions: ['comments'],
	risks: ['comments'],
	assumptions: ['comments']
} as const satisfies Record<RegisterName, readonly string[]>;

/** Keys the model maintains: the sequence number behind the short ref, and former numbers. */
export const refKeys = { seq: 'seq', aliases: 'refAliases' } as const;

export type RecordMap = Y.Map<unknown>;

export function registerMap(doc: Y.Doc, register: RegisterName): Y.Map<unknown> {
	return doc.getMap(register);
}

export function metaMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap(metaRoot);
}

/** The record's Y.Map, or undefined when absent or not a map (a foreign program's mistake). */
export function recordMap(doc: Y.Doc, register: RegisterName, id: string): RecordMap | undefined {
	const value = registerMap(doc, register).get(id);
	return value instanceof Y.Map ? value : undefined;
}

/** Which register holds a record id (ids are unique across the board). */
export function registerOf(doc: Y.Doc, id: string): RegisterName | undefined {
	return registerNames.find((register) => registerMap(doc, register).has(id));
}

export function isTextField(register: RegisterName, field: string): boolean {
	return (textFields[register] as readonly string[]).includes(field);
}

/** Marks the document as a board of this schema version (idempotent; call inside a transaction). */
export function ensureMeta(doc: Y.Doc): void {
	const meta = metaMap(doc);
	if (meta.get('schemaVersion') !== schemaVersion) meta.set('schemaVersion', schemaVersion);
}

export function readSchemaVersion(doc: Y.Doc): number | undefined {
	const value = metaMap(doc).get('schemaVersion');
	return typeof value === 'number' ? value : undefined;
}

const idAlphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * A random 12-character record id (~71 bits). Uses getRandomValues, which unlike
 * randomUUID also works on plain-http pages (a self-hosted board on a LAN).
 */
export function newRecordId(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(12));
	let id = '';
	for (const byte of bytes) id += idAlphabet[byte % 62];
	return id;
}
