/**
 * Owners as people: the migration that ties free-text owners to people of the workspace. A person
 * field without an id whose name (ignoring case and spacing) is the name of exactly one person in
 * the directory gets that person's id; an ambiguous or unknown name stays free text. It only ever
 * fills in missing ids, so running it again changes nothing, and a later edit by hand is kept.
 * The audit fields (`updatedBy`/`updatedAt`) are left alone: nobody edited the record.
 */
import * as Y from 'yjs';
import type { DirectoryEntry } from '../protocol/identity.ts';
import { person as personSchema, type Person } from '../protocol/record-fields.ts';
import { registerNames, type RegisterName } from '../protocol/registers.ts';
import { registerMap } from './layout.ts';

/** Person fields per register (one person each), and the decision-makers list. */
export const personFields: Readonly<Record<RegisterName, readonly string[]>> = {
	dependencies: ['owner', 'providerOwner', 'receiverOwner'],
	blockers: ['owner'],
	actions: ['owner'],
	decisions: ['owner'],
	risks: ['owner'],
	assumptions: ['owner']
};
export const personListFields: Readonly<Partial<Record<RegisterName, readonly string[]>>> = { decisions: ['decisionMakers'] };

export interface OwnerMatchReport {
	/** Person fields (or list entries) that got an id. */
	matched: number;
	/** Names shared by several people of the workspace: left as free text. */
	ambiguous: string[];
	/** Free-text names nobody in the workspace has. */
	unmatched: number;
}

export const normaliseName = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();

/** name → the one directory entry with it, or 'ambiguous'. */
function nameIndex(directory: readonly DirectoryEntry[]): Map<string, DirectoryEntry | 'ambiguous'> {
	const index = new Map<string, DirectoryEntry | 'ambiguous'>();
	for (const entry of directory) {
		const key = normaliseName(entry.name);
		index.set(key, index.has(key) ? 'ambiguous' : entry);
	}
	return index;
}

/** Ties free-text owners on one board to people; one transaction (with `origin`). */
export function matchOwners(doc: Y.Doc, directory: readonly DirectoryEntry[], origin?: unknown): OwnerMatchReport {
	const index = nameIndex(directory);
	const report: OwnerMatchReport = { matched: 0, ambiguous: [], unmatched: 0 };
	const ambiguous = new Set<string>();
	const resolve = (value: unknown): Person | undefined => {
		const parsed = personSchema.safeParse(value);
		if (!parsed.success || parsed.data.id !== undefined) return undefined;
		const found = index.get(normaliseName(parsed.data.name));
		if (found === 'ambiguous') ambiguous.add(parsed.data.name);
		else if (found === undefined) report.unmatched++;
		return found && found !== 'ambiguous' ? { name: parsed.data.name, id: found.id } : undefined;
	};
	doc.transact(() => {
		for (const register of registerNames) {
			for (const record of registerMap(doc, register).values()) {
				if (!(record instanceof Y.Map)) continue;
				const map = record as Y.Map<unknown>;
				for (const field of personFields[register]) {
					const matched = resolve(map.get(field));
					if (matched) {
						map.set(field, matched);
						report.matched++;
					}
				}
				for (const field of personListFields[register] ?? []) {
					const list = map.get(field);
					if (!Array.isArray(list)) continue;
					let changed = false;
					const next = list.map((entry: unknown) => {
						const matched = resolve(entry);
						if (!matched) return entry;
						changed = true;
						report.matched++;
						return matched;
					});
					if (changed) map.set(field, next);
				}
			}
		}
	}, origin);
	report.ambiguous = [...ambiguous].sort();
	return report;
}
