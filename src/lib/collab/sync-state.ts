/**
 * What the browser tells a person about their board's connection, derived from plain facts
 * (socket status, whether the server holds their changes). Pure, so every state is testable.
 */
import { closeCodes } from '../protocol/close-codes.ts';

export const syncStates = [
	'connecting',
	'live',
	'saving',
	'saved',
	'reconnecting',
	'offline',
	'signed-out',
	'access-removed',
	'reloading'
] as const;
export type SyncState = (typeof syncStates)[number];

/** After this many failed attempts in a row the client calls itself offline rather than reconnecting. */
export const offlineAfterFailedAttempts = 3;

export type SyncFacts = {
	/** The socket is open. */
	connected: boolean;
	/** The server's answer to our first sync has arrived on the current socket. */
	synced: boolean;
	/** Connection attempts that failed since the last successful sync. */
	failedAttempts: number;
	/** The browser says it has a network (navigator.onLine). */
	online: boolean;
	/** The last sync step 1 from the server covers every change this browser holds. */
	serverHasAll: boolean;
	/** Local changes the server has not acknowledged yet. */
	pending: number;
	/** This person changed something since the page opened (or has changes from before a reload). */
	edited: boolean;
	/** The server closed the connection for good with this code (4401, 4403, 4422), if it did. */
	terminalCode: number | undefined;
	/** A socket has synced at least once since the page opened. */
	everSynced: boolean;
};

export function deriveSyncState(facts: SyncFacts): SyncState {
	if (facts.terminalCode === closeCodes.signedOut) return 'signed-out';
	if (facts.terminalCode === closeCodes.accessRevoked) return 'access-removed';
	if (facts.terminalCode === closeCodes.changeRefused) return 'reloading';
	if (facts.connected && facts.synced) {
		if (facts.pending > 0 || !facts.serverHasAll) return 'saving';
		return facts.edited ? 'saved' : 'live';
	}
	if (!facts.online || facts.failedAttempts >= offlineAfterFailedAttempts) return 'offline';
	return facts.everSynced || facts.failedAttempts > 0 ? 'reconnecting' : 'connecting';
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export type SyncLabel = { label: string; detail: string | undefined; tone: 'ok' | 'busy' | 'warn' | 'error' };

/** The words shown in the sync indicator (never colour alone). */
export function describeSync(state: SyncState, pending: number): SyncLabel {
	const waiting = pending > 0 ? `${plural(pending, 'change', 'changes')} waiting` : undefined;
	switch (state) {
		case 'connecting':
			return { label: 'Connecting…', detail: waiting, tone: 'busy' };
		case 'live':
			return { label: 'Live', detail: undefined, tone: 'ok' };
		case 'saving':
			return { label: 'Saving…', detail: waiting, tone: 'busy' };
		case 'saved':
			return { label: 'Live · all changes saved', detail: undefined, tone: 'ok' };
		case 'reconnecting':
			return { label: 'Reconnecting…', detail: waiting, tone: 'warn' };
		case 'offline':
			return {
				label: 'Offline',
				detail: waiting ? `${waiting}, kept on this device` : 'changes are kept on this device',
				tone: 'warn'
			};
		case 'signed-out':
			return { label: 'You have been signed out', detail: 'Sign in again to keep working', tone: 'error' };
		case 'access-removed':
			return { label: 'Your access to this board was removed', detail: undefined, tone: 'error' };
		case 'reloading':
			return { label: 'Reloading from the server…', detail: undefined, tone: 'busy' };
	}
}

/** A state vector as Yjs decodes it: client id → next clock. */
export type StateVector = ReadonlyMap<number, number>;

/** True when `server` holds everything `local` holds: for every client, the server's clock is at least ours. */
export function stateVectorCovers(server: StateVector, local: StateVector): boolean {
	for (const [client, clock] of local) {
		if ((server.get(client) ?? 0) < clock) return false;
	}
	return true;
}

/**
 * A local change awaiting acknowledgement: it is saved once the server's clock for `client`
 * reaches `clock`. A change that only deleted (`deleteOnly`) moves no clock, so a state vector
 * cannot show it arrived: it is saved by the next acknowledgement the server sends after it.
 */
export type PendingChange = { client: number; clock: number; deleteOnly?: boolean };

/**
 * The changes a sync step 1 from the server does not cover. `acknowledgement` is false for the
 * step 1 a server sends when a connection opens (it answers nothing we sent on that connection).
 */
export function unacknowledged(pending: readonly PendingChange[], server: StateVector, acknowledgement: boolean): PendingChange[] {
	return pending.filter((change) => (server.get(change.client) ?? 0) < change.clock || (change.deleteOnly === true && !acknowledgement));
}
