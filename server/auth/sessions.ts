import { z } from 'zod';
import { sessionCookieName, sessionDefaults } from '#lib/protocol/session.ts';
import type { Store } from '../store/store.ts';
import { hashSecret, randomSecret, secretPattern } from './secrets.ts';

export { sessionCookieName, sessionDefaults };

/** A wall display's device cookie: holds its token (httpOnly), set by the `?token=` exchange. */
export const deviceCookieName = 'mc_device';

const collection = 'sessions';

export const sessionRecord = z.object({
	principalId: z.string().min(1),
	createdAt: z.number(),
	lastSeenAt: z.number(),
	userAgent: z.string().max(300).optional(),
	/** How the person signed in: `email`, `invite`, `oidc:<provider id>` (sign-out offers that provider's). */
	signedInWith: z.string().max(60).optional()
});
export type SessionRecord = z.infer<typeof sessionRecord>;

export interface Session extends SessionRecord {
	/** The hash of the cookie value: the session's id everywhere on the server. */
	id: string;
}

/** Creates a session and returns the cookie value (shown to the browser only). */
export async function createSession(store: Store, principalId: string, userAgent?: string, signedInWith?: string): Promise<{ cookieValue: string; session: Session }> {
	const cookieValue = randomSecret();
	const now = Date.now();
	const record: SessionRecord = { principalId, createdAt: now, lastSeenAt: now, userAgent: userAgent?.slice(0, 300), signedInWith };
	const id = hashSecret(cookieValue);
	await store.putRecord(collection, id, record);
	return { cookieValue, session: { id, ...record } };
}

/** The live session behind a cookie value, or undefined (unknown, malformed, expired). */
export async function findSession(store: Store, cookieValue: string | undefined, now = Date.now()): Promise<Session | undefined> {
	if (!cookieValue || !secretPattern.test(cookieValue)) return undefined;
	const id = hashSecret(cookieValue);
	const parsed = sessionRecord.safeParse(await store.getRecord(collection, id));
	if (!parsed.success) return undefined;
	if (now - parsed.data.lastSeenAt > sessionDefaults.idleTimeoutMs) {
		await store.deleteRecord(collection, id);
		return undefined;
	}
	if (now - parsed.data.lastSeenAt > sessionDefaults.touchIntervalMs) {
		await store.putRecord(collection, id, { ...parsed.data, lastSeenAt: now });
	}
	return { id, ...parsed.data };
}

/** A session by its id (the hash), without touching it; undefined when gone or idle too long. */
export async function getSession(store: Store, id: string, now = Date.now()): Promise<Session | undefined> {
	if (!/^[0-9a-f]{64}$/.test(id)) return undefined;
	const parsed = sessionRecord.safeParse(await store.getRecord(collection, id));
	if (!parsed.success || now - parsed.data.lastSeenAt > sessionDefaults.idleTimeoutMs) return undefined;
	return { id, ...parsed.data };
}

/** Ends every session of one principal; returns the ids it ended. */
export async function deleteSessionsOf(store: Store, principalId: string): Promise<string[]> {
	const ended: string[] = [];
	for (const session of await listSessions(store, principalId)) {
		if (await store.deleteRecord(collection, session.id)) ended.push(session.id);
	}
	return ended;
}

export async function deleteSession(store: Store, id: string): Promise<boolean> {
	return store.deleteRecord(collection, id);
}

export async function listSessions(store: Store, principalId?: string): Promise<Session[]> {
	const sessions: Session[] = [];
	for (const { id, value } of await store.listRecords(collection)) {
		const parsed = sessionRecord.safeParse(value);
		if (parsed.success && (!principalId || parsed.data.principalId === principalId)) sessions.push({ id, ...parsed.data });
	}
	return sessions;
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
	if (!header) return undefined;
	for (const part of header.split(';')) {
		const index = part.indexOf('=');
		if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
	}
	return undefined;
}
