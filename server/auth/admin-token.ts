import { z } from 'zod';
import type { Store } from '../store/store.ts';
import { hashSecret, randomSecret, sameHash } from './secrets.ts';

const collection = 'system';
const recordId = 'admin-token';
const adminTokenRecord = z.object({ hash: z.string().regex(/^[0-9a-f]{64}$/), source: z.enum(['environment', 'generated']), createdAt: z.number() });

export interface AdminTokenSetup {
	/** Set only when a token was generated just now: the one time it can be shown. */
	generated: string | undefined;
}

/**
 * Makes sure an admin token exists. ADMIN_TOKEN from the environment wins; otherwise one is
 * generated on first start and only its hash is kept.
 */
export async function ensureAdminToken(store: Store, fromEnvironment: string | undefined): Promise<AdminTokenSetup> {
	if (fromEnvironment) {
		const hash = hashSecret(fromEnvironment);
		const current = adminTokenRecord.safeParse(await store.getRecord(collection, recordId));
		if (!current.success || current.data.hash !== hash) {
			await store.putRecord(collection, recordId, { hash, source: 'environment', createdAt: Date.now() });
		}
		return { generated: undefined };
	}
	const current = adminTokenRecord.safeParse(await store.getRecord(collection, recordId));
	if (current.success) return { generated: undefined };
	return { generated: await rotateAdminToken(store) };
}

/** Replaces the admin token with a new random one and returns it (the only time it is visible). */
export async function rotateAdminToken(store: Store): Promise<string> {
	const token = randomSecret();
	await store.putRecord(collection, recordId, { hash: hashSecret(token), source: 'generated', createdAt: Date.now() });
	return token;
}

export async function isAdminToken(store: Store, token: string): Promise<boolean> {
	const current = adminTokenRecord.safeParse(await store.getRecord(collection, recordId));
	return current.success && sameHash(current.data.hash, hashSecret(token));
}
