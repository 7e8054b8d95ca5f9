/**
 * What this browser keeps beside a board's IndexedDB copy: the list of changes the server has not
 * acknowledged (validated when read back: storage is a boundary too), and a localStorage marker
 * saying a copy exists, readable synchronously when the page starts.
 */
import { z } from 'zod';
import { boardDocName } from '../protocol/doc-names.ts';
import type { PendingChange } from './sync-state.ts';

export const pendingChangesKey = 'pending-changes';

const pendingChanges = z.array(
	z.object({ client: z.number().int().nonnegative(), clock: z.number().int().nonnegative(), deleteOnly: z.boolean().optional() })
);

/** The IndexedDB database of one person's copy of one board. */
export function localCacheName(principalId: string, boardId: string): string {
	return `mission-control:${principalId}:${boardDocName(boardId)}`;
}

export function encodePending(pending: readonly PendingChange[]): string {
	return JSON.stringify(pending);
}

/** The stored pending list, or an empty one when there is none or it is not what we wrote. */
export function decodePending(value: unknown): PendingChange[] {
	if (typeof value !== 'string') return [];
	let json: unknown;
	try {
		json = JSON.parse(value);
	} catch {
		return [];
	}
	const parsed = pendingChanges.safeParse(json);
	return parsed.success ? parsed.data.map((change) => (change.deleteOnly ? { ...change, deleteOnly: true } : { client: change.client, clock: change.clock })) : [];
}

export function hasCopyMarker(key: string): boolean {
	try {
		return localStorage.getItem(key) !== null;
	} catch {
		// Storage refused (a strict privacy setting): behave as if there were a copy and wait for it.
		return true;
	}
}

export function setCopyMarker(key: string): void {
	try {
		localStorage.setItem(key, '1');
	} catch {
		// Storage refused: the next visit waits for IndexedDB before syncing, which is only slower.
	}
}

/** Forgets that a copy exists (after the copy was dropped): the next start syncs from the server first. */
export function removeCopyMarker(key: string): void {
	try {
		localStorage.removeItem(key);
	} catch {
		// Storage refused: the next start waits for an empty IndexedDB, which is only slower.
	}
}
