/**
 * Revoking a stored secret's record (an invite, a wall display, an API token): mark it revoked by
 * whom and when with a compare-and-set, retried when someone else wrote in between. Revoking twice
 * is not an error: the second call answers with the record as it is.
 */
import type { z } from 'zod';
import type { RecordStore } from '../store/store.ts';
import { AccessError } from './errors.ts';

export const revocationDefaults = { maxCasAttempts: 20 } as const;

interface Revocable {
	revokedAt?: number | undefined;
	revokedBy?: string | undefined;
	updatedAt: number;
	updatedBy: string;
}

export interface RevokeOptions {
	/** The `not_found` message for an unknown or malformed record. */
	notFound: string;
	/** The `conflict` message when every attempt lost the race. */
	conflict: string;
}

/** The record after revocation, and whether this call revoked it (false: it already was). */
export async function revokeRecord<S extends z.ZodType<Revocable>>(
	store: RecordStore,
	collection: string,
	schema: S,
	id: string,
	by: string,
	options: RevokeOptions
): Promise<{ record: z.output<S>; revoked: boolean }> {
	for (let attempt = 0; attempt < revocationDefaults.maxCasAttempts; attempt++) {
		const raw = await store.getRecord(collection, id);
		const parsed = schema.safeParse(raw);
		if (raw === undefined || !parsed.success) throw new AccessError('not_found', options.notFound);
		if (parsed.data.revokedAt !== undefined) return { record: parsed.data, revoked: false };
		const now = Date.now();
		const next = { ...parsed.data, revokedAt: now, revokedBy: by, updatedAt: now, updatedBy: by };
		if (await store.compareAndSetRecord(collection, id, raw, next)) return { record: next, revoked: true };
	}
	throw new AccessError('conflict', options.conflict);
}

/** Every record of a collection that passes its schema (a malformed one is passed over). */
export async function listValidRecords<S extends z.ZodType>(store: RecordStore, collection: string, schema: S): Promise<z.output<S>[]> {
	const records: z.output<S>[] = [];
	for (const { value } of await store.listRecords(collection)) {
		const parsed = schema.safeParse(value);
		if (parsed.success) records.push(parsed.data);
	}
	return records;
}
