import { describe, expect, it } from 'vitest';
import { closeCodes } from '../protocol/close-codes.ts';
import { deriveSyncState, describeSync, offlineAfterFailedAttempts, stateVectorCovers, unacknowledged, type SyncFacts } from './sync-state.ts';

const base: SyncFacts = {
	connected: true,
	synced: true,
	failedAttempts: 0,
	online: true,
	serverHasAll: true,
	pending: 0,
	edited: false,
	terminalCode: undefined,
	everSynced: true
};

describe('deriveSyncState', () => {
	it('is live when synced and nothing of ours is outstanding', () => {
		expect(deriveSyncState(base)).toBe('live');
	});

	it('says saved only once the server holds every change', () => {
		expect(deriveSyncState({ ...base, edited: true })).toBe('saved');
		expect(deriveSyncState({ ...base, edited: true, pending: 2 })).toBe('saving');
		expect(deriveSyncState({ ...base, edited: true, serverHasAll: false })).toBe('saving');
	});

	it('tells connecting, reconnecting and offline apart', () => {
		const down = { ...base, connected: false, synced: false };
		expect(deriveSyncState({ ...down, everSynced: false })).toBe('connecting');
		expect(deriveSyncState({ ...down, failedAttempts: 1 })).toBe('reconnecting');
		expect(deriveSyncState({ ...down, failedAttempts: offlineAfterFailedAttempts })).toBe('offline');
		expect(deriveSyncState({ ...down, online: false })).toBe('offline');
	});

	it('turns the terminal close codes into their own states, whatever else is true', () => {
		expect(deriveSyncState({ ...base, terminalCode: closeCodes.signedOut })).toBe('signed-out');
		expect(deriveSyncState({ ...base, connected: false, terminalCode: closeCodes.accessRevoked })).toBe('access-removed');
		expect(deriveSyncState({ ...base, connected: false, terminalCode: closeCodes.changeRefused })).toBe('reloading');
	});
});

describe('describeSync', () => {
	it('counts the changes waiting while disconnected', () => {
		expect(describeSync('offline', 3)).toMatchObject({ label: 'Offline', detail: '3 changes waiting, kept on this device' });
		expect(describeSync('reconnecting', 1).detail).toBe('1 change waiting');
		expect(describeSync('signed-out', 0).label).toBe('You have been signed out');
		expect(describeSync('access-removed', 0).label).toBe('Your access to this board was removed');
	});
});

describe('state vectors', () => {
	it('covers only when the server is at or past every local clock', () => {
		const local = new Map([
			[1, 10],
			[2, 5]
		]);
		expect(stateVectorCovers(new Map([[1, 10], [2, 5]]), local)).toBe(true);
		expect(stateVectorCovers(new Map([[1, 12], [2, 6], [3, 1]]), local)).toBe(true);
		expect(stateVectorCovers(new Map([[1, 10]]), local)).toBe(false);
		expect(stateVectorCovers(new Map([[1, 9], [2, 5]]), local)).toBe(false);
	});

	it('keeps the changes the server has not reached', () => {
		const pending = [
			{ client: 1, clock: 3 },
			{ client: 1, clock: 7 },
			{ client: 9, clock: 2 }
		];
		expect(unacknowledged(pending, new Map([[1, 5]]), true)).toEqual([
			{ client: 1, clock: 7 },
			{ client: 9, clock: 2 }
		]);
		expect(unacknowledged(pending, new Map([[1, 7], [9, 2]]), true)).toEqual([]);
	});

	it('saves a deletion only on an acknowledgement, never on the hello of a new connection', () => {
		const deletion = [{ client: 1, clock: 3, deleteOnly: true }];
		const server = new Map([[1, 3]]);
		expect(unacknowledged(deletion, server, false)).toEqual(deletion);
		expect(unacknowledged(deletion, server, true)).toEqual([]);
	});
});
