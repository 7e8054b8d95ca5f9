/**
 * The records a notification can be about, read for what the triggers use of them (title, owners,
 * a blocker's unblocker) and their ref: the rest of a record (its comments, histories and long texts)
 * is neither copied out of the document nor validated, so the cost no longer grows with a record's
 * comments. Each field read is validated with its register's schema (the document is client-written:
 * this is the trust boundary), so a record whose title or owner is malformed notifies nobody, as
 * when the whole record was read; one malformed elsewhere (a date, say) no longer silences its owners.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { registerMap } from '#lib/board/layout.ts';
import { plainValue } from '#lib/board/read.ts';
import { buildRefIndex, type RefIndex } from '#lib/board/refs.ts';
import { ownerFieldsOf, soleOwnerWriter, type NotifiedRecord } from '#lib/board/notification-triggers.ts';
import type { LedgerEntry } from '#lib/protocol/ledger.ts';
import { registerSchemas, type RegisterName } from '#lib/protocol/records.ts';

/** What `notificationTriggers` reads of a record, per register. */
const notifiedFields: Readonly<Record<RegisterName, readonly string[]>> = {
	dependencies: ['title', 'owner', 'providerOwner', 'receiverOwner'],
	blockers: ['title', 'owner', 'unblocker'],
	actions: ['title', 'owner'],
	decisions: ['title', 'owner'],
	risks: ['title', 'owner'],
	assumptions: ['title', 'owner']
};

const fieldSchemas = new Map<RegisterName, z.ZodType>();

/** The register's own schemas of those fields (built once per register). */
function schemaOf(register: RegisterName): z.ZodType {
	let schema = fieldSchemas.get(register);
	if (!schema) {
		const shape = registerSchemas[register].record.shape as Record<string, z.ZodType>;
		schema = z.object(Object.fromEntries(notifiedFields[register].map((field) => [field, shape[field]!])));
		fieldSchemas.set(register, schema);
	}
	return schema;
}

/**
 * Whether the record's owners, read as written (not validated), are all the one person whose change
 * can only tell its owners: then nobody is told, whatever validation would say of the fields.
 */
function tellsNobody(map: Y.Map<unknown>, register: RegisterName, entries: readonly LedgerEntry[], id: string): boolean {
	const writer = soleOwnerWriter(
		register,
		entries.filter((entry) => entry.recordId === id)
	);
	if (writer === undefined) return false;
	return ownerFieldsOf(register).every((field) => {
		const owner = plainValue(map.get(field)) as { id?: unknown } | null | undefined;
		return typeof owner !== 'object' || owner === null || typeof owner.id !== 'string' || owner.id === writer;
	});
}

/**
 * The records among `ids` (in the registers their ledger entries name) that are still on the board,
 * valid where read, and could tell someone (`tellsNobody`). Read `ref` while the document is current (inside the same `withDoc`).
 */
export function readNotifiedRecords(doc: Y.Doc, entries: readonly LedgerEntry[], ids: ReadonlySet<string>): Map<string, NotifiedRecord> {
	const found = new Map<string, NotifiedRecord>();
	const refs = new Map<RegisterName, RefIndex>();
	for (const { register, recordId: id } of entries) {
		if (!ids.has(id) || found.has(id)) continue;
		const map = registerMap(doc, register).get(id);
		if (!(map instanceof Y.Map)) continue;
		if (tellsNobody(map, register, entries, id)) continue;
		const raw: Record<string, unknown> = {};
		for (const field of notifiedFields[register]) raw[field] = plainValue(map.get(field));
		const parsed = schemaOf(register).safeParse(raw);
		if (!parsed.success) continue;
		// The ref is resolved against the whole register (O(register)), so only when a trigger names
		// the record in a notification: most changes (a writer editing their own record) tell nobody.
		const refOf = () => {
			let index = refs.get(register);
			if (!index) refs.set(register, (index = buildRefIndex(doc, register)));
			// Every record map of the register is in its index.
			return index.byId.get(id)!.ref;
		};
		found.set(id, {
			...(parsed.data as Omit<NotifiedRecord, 'id' | 'register' | 'ref'>),
			id,
			register,
			get ref() {
				return refOf();
			}
		} as NotifiedRecord);
	}
	return found;
}
