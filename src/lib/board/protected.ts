/**
 * The protected paths of a board document: what no client may delete or rewrite once it exists.
 * The hub refuses an update that would (server/ledger/update-check.ts), and the page's undo never
 * tries to (its UndoManager's `deleteFilter`). Documented in docs/document-schema.md.
 *
 * A location is the path of keys from a root type down to a value: `['decisions', id, 'text']` is
 * the Y.Text of a decision's text; its characters sit at `['decisions', id, 'text']` with key null.
 */
import * as Y from 'yjs';
import { registerNames, type RegisterName } from '../protocol/registers.ts';
import { historyFields, refKeys } from './layout.ts';

/** Root map the server writes (who created and last changed each record): no client writes there. */
export const stampsRoot = 'stamps';

/** The RAID re-import key a record keeps (`import-records.ts`): the row of the source file it came from. */
export const importKeyField = 'importKey';

/**
 * Record fields written once and never changed or removed: re-importing a file matches rows to records
 * by `importKey`, so a client that rewrote it could make a re-import overwrite another record.
 */
export const writeOnceFields: readonly string[] = [importKeyField];

/** The key of a record's stamp that holds its "for decision" mark (`{ by, at, note }`), written by the server only. */
export const forDecisionKey = 'forDecision';

/** A decision's fields that never change once it is recorded (a correction is a new decision). */
export const recordedDecisionFields = ['text', 'decidedOn', 'forum', 'decisionMakers', 'rationale'] as const;

/** Text fields of a decision whose characters are fixed once recorded. */
const fixedDecisionText: readonly string[] = ['text', 'rationale'];

const logFieldsOf = Object.fromEntries(registerNames.map((register) => [register, Object.freeze([...historyFields[register], refKeys.aliases])])) as Readonly<Record<RegisterName, readonly string[]>>;

/** Append-only logs per register: entries are never deleted, the log never replaced. */
export function logFields(register: RegisterName): readonly string[] {
	return logFieldsOf[register];
}

/** Which property of a log entry names its author (checked against the writer by the hub). */
export const logAuthorKey: Readonly<Record<string, 'author' | 'by'>> = {
	comments: 'author',
	ratingHistory: 'by',
	escalations: 'by',
	replans: 'by'
};

export type ProtectionReason =
	| 'server_only'
	| 'decision_recorded'
	| 'decision_removed'
	| 'log_entry_removed'
	| 'log_replaced'
	| 'write_once';

/** Plain-language reasons, as the refused person's page shows them. */
export const protectionMessages: Readonly<Record<ProtectionReason, string>> = {
	server_only: 'attribution is kept by the server and cannot be written by a client',
	decision_recorded: 'decisions can only be corrected by a new entry, never rewritten',
	decision_removed: 'a recorded decision cannot be removed; correct it with a new entry',
	log_entry_removed: 'histories and comments are append-only: an entry cannot be removed',
	log_replaced: 'histories and comments are append-only: a log cannot be replaced',
	write_once: 'a record’s import key is set once, by the import, and never changed'
};

const registers: ReadonlySet<string> = new Set(registerNames);
const isRegister = (name: string | undefined): name is RegisterName => name !== undefined && registers.has(name);

/**
 * Whether removing (or overwriting) the existing value at `path` + `key` is refused, and why.
 * `key` is the map key of the value (null inside arrays and texts).
 */
export function removalRefused(path: readonly string[], key: string | null): ProtectionReason | undefined {
	// Read by index, not destructured: this runs on every check, often before it is optimised.
	const root = path[0];
	const recordId = path[1];
	const field = path[2];
	if (root === stampsRoot) return 'server_only';
	if (!isRegister(root)) return undefined;
	if (path.length === 1) return root === 'decisions' && key !== null ? 'decision_removed' : undefined;
	if (recordId === undefined) return undefined;
	if (path.length === 2 && key !== null) {
		if (logFields(root).includes(key)) return 'log_replaced';
		if (writeOnceFields.includes(key)) return 'write_once';
		if (root === 'decisions' && (recordedDecisionFields as readonly string[]).includes(key)) return 'decision_recorded';
		return undefined;
	}
	if (path.length === 3 && field !== undefined) {
		if (logFields(root).includes(field)) return 'log_entry_removed';
		if (root === 'decisions' && fixedDecisionText.includes(field)) return 'decision_recorded';
	}
	return undefined;
}

/**
 * Whether inserting into an *existing* type at `path` is refused (a new value for a map key that
 * already has one is checked with `removalRefused` on the old value).
 */
export function insertionRefused(path: readonly string[]): ProtectionReason | undefined {
	const root = path[0];
	const field = path[2];
	if (root === stampsRoot) return 'server_only';
	if (root === 'decisions' && path.length === 3 && field !== undefined && fixedDecisionText.includes(field)) return 'decision_recorded';
	return undefined;
}

/** For a value appended to a log at `path`: the entry property that must name its writer, if any. */
export function authorKeyOf(path: readonly string[]): 'author' | 'by' | undefined {
	const root = path[0];
	const field = path[2];
	if (!isRegister(root) || path.length !== 3 || field === undefined) return undefined;
	return logAuthorKey[field];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyType = Y.AbstractType<any>;

/** The roots of a board, looked up by name before any other root is searched for. */
const boardRoots: readonly string[] = [...registerNames, stampsRoot];

/** The name of a root type (of a board first: no iteration over the document's roots). */
function rootName(root: AnyType): string | undefined {
	const doc = root.doc;
	if (!doc) return undefined;
	for (const name of boardRoots) if (doc.share.get(name) === root) return name;
	return Y.findRootTypeKey(root);
}

/** Paths found so far: a type never moves, so its path is found once (the check and the ledger ask on every change). */
const knownPaths = new WeakMap<AnyType, readonly string[]>();

/** The key path of an existing type from its root; undefined for types inside arrays (not in our schema). */
export function pathOfType(type: AnyType): readonly string[] | undefined {
	const known = knownPaths.get(type);
	if (known) return known;
	const path = findPath(type);
	if (path) knownPaths.set(type, Object.freeze(path));
	return path;
}

function findPath(type: AnyType): string[] | undefined {
	const path: string[] = [];
	let current: AnyType = type;
	while (current._item !== null) {
		const item = current._item;
		if (item.parentSub === null) return undefined;
		path.push(item.parentSub);
		current = item.parent as AnyType;
	}
	const root = rootName(current);
	if (root === undefined) return undefined;
	path.push(root);
	return path.reverse();
}

/**
 * Whether the hub would refuse removing this item (for an UndoManager's `deleteFilter`: undoing a
 * comment, a rating or a decision leaves the log entry and the decision in place).
 */
export function itemRemovalRefused(item: Y.Item): boolean {
	const parent = item.parent as AnyType | null;
	const path = parent ? pathOfType(parent) : undefined;
	if (!path) return false;
	if (removalRefused(path, item.parentSub)) return true;
	// A record with entries in its logs stays (removing it would remove them).
	if (path.length === 1 && item.content instanceof Y.ContentType && item.content.type instanceof Y.Map) {
		const record = item.content.type as Y.Map<unknown>;
		const register = path[0] as RegisterName;
		if ((registerNames as readonly string[]).includes(register)) {
			return logFields(register).some((field) => {
				const log = record.get(field);
				return log instanceof Y.Array && log.length > 0;
			});
		}
	}
	return false;
}
