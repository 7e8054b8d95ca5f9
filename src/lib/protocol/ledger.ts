/**
 * The change ledger, as the server witnessed it: for every update the hub accepts on a board, one
 * entry per record it touched, with each field's value before and after, attributed to the principal
 * the hub admitted (never to a value written into the document). Shared by the server (which writes
 * it), the API (which serves it) and the pages (which show it).
 */
import { z } from 'zod';
import { registerName } from './registers.ts';

/** Who made a change, as the server knew them when it accepted it. */
export const ledgerActor = z.object({
	/** Principal id: `admin`, `person:<id>`, `wall:<id>`. */
	id: z.string(),
	name: z.string(),
	/** Department id, or null for the administrator. */
	department: z.string().nullable()
});
export type LedgerActor = z.infer<typeof ledgerActor>;

/**
 * One field's change. `before`/`after` are JSON values (null where absent). Long text carries a
 * short excerpt of each side and the size of the change; a log field (comments, rating history…)
 * carries the appended entries in `after`.
 */
export const fieldChange = z.object({
	field: z.string(),
	before: z.unknown(),
	after: z.unknown(),
	/** For text fields: characters inserted and deleted. */
	inserted: z.number().int().nonnegative().optional(),
	deleted: z.number().int().nonnegative().optional()
});
export type FieldChange = z.infer<typeof fieldChange>;

/** Pseudo-field of the change that creates a record (`after` is its title). */
export const createdField = 'created';

/** One record's changes in one accepted update. */
export const ledgerEntry = z.object({
	/** The document's update sequence number this entry belongs to. */
	seq: z.number().int().positive(),
	at: z.number().int(),
	by: ledgerActor,
	register: registerName,
	recordId: z.string(),
	/** The record's short ref when the change was accepted (refs can be renumbered later). */
	ref: z.string(),
	changes: z.array(fieldChange)
});
export type LedgerEntry = z.infer<typeof ledgerEntry>;

/** What the history API returns per field: the contract's flat shape. */
export const historyItem = z.object({
	at: z.number().int(),
	by: ledgerActor,
	recordId: z.string(),
	ref: z.string(),
	register: registerName,
	field: z.string(),
	before: z.unknown(),
	after: z.unknown(),
	inserted: z.number().int().nonnegative().optional(),
	deleted: z.number().int().nonnegative().optional()
});
export type HistoryItem = z.infer<typeof historyItem>;

export function flattenEntry(entry: LedgerEntry): HistoryItem[] {
	return entry.changes.map((change) => ({
		at: entry.at,
		by: entry.by,
		recordId: entry.recordId,
		ref: entry.ref,
		register: entry.register,
		...change
	}));
}
