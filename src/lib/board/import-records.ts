/**
 * Writing a RAID import into a board in one transaction: new records carry the key of the row
 * they came from (`importKey`), so importing the same file again updates them instead of adding
 * copies. Inputs are validated by the caller before anything is written (a Yjs transaction cannot
 * be rolled back, so all-or-nothing means checking everything first).
 */
import type * as Y from 'yjs';
import type { Person } from '../protocol/record-fields.ts';
import type { CreateInput, PatchInput, RatingInput, RegisterName, ReplanInput } from '../protocol/records.ts';
import { createRecords, updateRecord } from './board-doc.ts';
import { replanAction, setRating } from './history.ts';
import { recordMap, registerMap } from './layout.ts';
import type { NewRecord } from './insert.ts';
import { importKeyField } from './protected.ts';
import type { WriteOptions } from './write.ts';

export { importKeyField };

export type ImportCreate<R extends RegisterName = RegisterName> = { register: R; key: string; input: CreateInput<R> };
export type ImportUpdate<R extends RegisterName = RegisterName> = {
	register: R;
	id: string;
	patch?: PatchInput<R>;
	/** Actions: a new due date is a re-plan (a slip), never an overwrite. */
	replan?: ReplanInput;
	/** Dependencies: a new rating goes into the rating history. */
	rating?: RatingInput;
};

/** Record id by import key, per register (the oldest record wins if a key was ever stored twice). */
export function importKeyIndex(doc: Y.Doc, register: RegisterName): Map<string, string> {
	const index = new Map<string, { id: string; createdAt: number }>();
	registerMap(doc, register).forEach((value, id) => {
		const map = value as Y.Map<unknown>;
		if (typeof map?.get !== 'function') return;
		const key = map.get(importKeyField);
		if (typeof key !== 'string') return;
		const createdAt = Number(map.get('createdAt')) || 0;
		const known = index.get(key);
		if (!known || createdAt < known.createdAt) index.set(key, { id, createdAt });
	});
	return new Map([...index].map(([key, { id }]) => [key, id]));
}

/** Applies an import in one transaction; answers the records it created, per register. */
export function applyImport(doc: Y.Doc, creates: readonly ImportCreate[], updates: readonly ImportUpdate[], actor: Person, options: WriteOptions = {}): NewRecord[] {
	const created: NewRecord[] = [];
	doc.transact(() => {
		const byRegister = new Map<RegisterName, ImportCreate[]>();
		for (const create of creates) byRegister.set(create.register, [...(byRegister.get(create.register) ?? []), create]);
		for (const [register, list] of byRegister) {
			const made = createRecords(doc, register, list.map((item) => item.input), actor, options);
			made.forEach((record, i) => recordMap(doc, register, record.id)!.set(importKeyField, list[i]!.key));
			created.push(...made);
		}
		for (const update of updates) {
			if (update.patch) updateRecord(doc, update.register, update.id, update.patch, actor, options);
			if (update.replan) replanAction(doc, update.id, update.replan, actor, options);
			if (update.rating) setRating(doc, update.id, update.rating, actor, options);
		}
	}, options.origin);
	return created;
}
