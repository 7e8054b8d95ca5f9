/**
 * Presence is tied to the authenticated connection: a peer may only set awareness states for
 * client ids no other connection owns (and at most a few of them), the `user` field of every state
 * is set by the server from the principal (a client cannot claim to be someone else), and wall
 * displays' awareness is not accepted at all. Presence is small and calm: a state past
 * `maxStateBytes` and updates past a connection's rate (`AwarenessRate`) are dropped and counted,
 * never re-broadcast.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Principal } from '../auth/principal.ts';
import type { Peer } from './peer.ts';

export const awarenessGuardDefaults = {
	/** Awareness client ids one connection may own (one per Y.Doc; a few for reconnect overlap). */
	maxClientIdsPerPeer: 4,
	/** Client-chosen `user` fields kept (presentation only), each a short string. */
	keptUserFields: ['color', 'colour', 'colorLight'] as readonly string[],
	maxKeptFieldChars: 32,
	/** Largest state accepted, as encoded JSON (a name, a colour, a cursor: well under 1 KB). */
	maxStateBytes: 8_192,
	/** Awareness messages one connection may send at once… */
	rateBurst: 40,
	/** …and per second after that (y-websocket sends one per local change, plus one every 15 s). */
	ratePerSecond: 20
} as const;

/** Why part of an awareness message was dropped (a `mc_rejected_total` reason). */
export type AwarenessDrop = 'awareness_too_big' | 'awareness_too_fast';

/** A connection's budget of awareness messages: a token bucket, one per peer. */
export class AwarenessRate {
	#tokens: number = awarenessGuardDefaults.rateBurst;
	#updatedAt: number;
	#now: () => number;

	constructor(now: () => number = performance.now.bind(performance)) {
		this.#now = now;
		this.#updatedAt = now();
	}

	/** Takes one message; false when the connection is over its rate (drop the message). */
	take(): boolean {
		const now = this.#now();
		this.#tokens = Math.min(awarenessGuardDefaults.rateBurst, this.#tokens + ((now - this.#updatedAt) / 1000) * awarenessGuardDefaults.ratePerSecond);
		this.#updatedAt = now;
		if (this.#tokens < 1) return false;
		this.#tokens -= 1;
		return true;
	}
}

/** The identity every presence state of this principal carries, decided by the server. */
export function awarenessUser(principal: Principal): { id: string; name: string; role: string; department: string | null } {
	return { id: principal.id, name: principal.name, role: principal.role, department: principal.departmentId ?? null };
}

interface Entry {
	clientId: number;
	clock: number;
	state: string;
}

function decodeEntries(update: Uint8Array): Entry[] {
	const decoder = decoding.createDecoder(update);
	const count = decoding.readVarUint(decoder);
	const entries: Entry[] = [];
	for (let i = 0; i < count; i++) {
		entries.push({ clientId: decoding.readVarUint(decoder), clock: decoding.readVarUint(decoder), state: decoding.readVarString(decoder) });
	}
	if (decoding.hasContent(decoder)) throw new Error('trailing bytes after the awareness update');
	return entries;
}

function encodeEntries(entries: readonly Entry[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, entries.length);
	for (const entry of entries) {
		encoding.writeVarUint(encoder, entry.clientId);
		encoding.writeVarUint(encoder, entry.clock);
		encoding.writeVarString(encoder, entry.state);
	}
	return encoding.toUint8Array(encoder);
}

/** The state with `user` set from the principal; undefined for a state that is not an object. */
function stampedState(raw: string, principal: Principal): string | undefined {
	if (raw === 'null') return raw;
	const state: unknown = JSON.parse(raw);
	if (typeof state !== 'object' || state === null || Array.isArray(state)) return undefined;
	const claimed = (state as { user?: unknown }).user;
	const kept: Record<string, string> = {};
	if (typeof claimed === 'object' && claimed !== null) {
		for (const field of awarenessGuardDefaults.keptUserFields) {
			const value = (claimed as Record<string, unknown>)[field];
			if (typeof value === 'string' && value.length <= awarenessGuardDefaults.maxKeptFieldChars) kept[field] = value;
		}
	}
	return JSON.stringify({ ...state, user: { ...kept, ...awarenessUser(principal) } });
}

/**
 * Filters one awareness update from `peer`: returns the update to apply (re-encoded when it
 * changed), or undefined when nothing of it is accepted. Throws on a malformed update.
 */
export function guardAwareness(
	peers: Iterable<Peer>,
	peer: Peer,
	update: Uint8Array,
	knownClock: (clientId: number) => number | undefined = () => undefined,
	dropped: (reason: AwarenessDrop) => void = () => undefined
): Uint8Array | undefined {
	if (!peer.awarenessRate.take()) {
		dropped('awareness_too_fast');
		return undefined;
	}
	const entries = decodeEntries(update);
	if (peer.principal.kind === 'wall') return undefined;
	const ownedByOther = (clientId: number) => {
		for (const other of peers) if (other !== peer && other.awarenessIds.has(clientId)) return true;
		return false;
	};
	const accepted: Entry[] = [];
	let owned = peer.awarenessIds.size;
	for (const entry of entries) {
		// y-websocket clients re-send every state they receive: an entry no newer than what the
		// document holds would be ignored by applyAwarenessUpdate anyway, so drop it before any work.
		const known = knownClock(entry.clientId);
		if (known !== undefined && (entry.clock < known || (entry.clock === known && entry.state !== 'null'))) continue;
		// Ids this connection already owns were checked when it claimed them: the common case (moves) costs nothing.
		if (!peer.awarenessIds.has(entry.clientId)) {
			if (owned >= awarenessGuardDefaults.maxClientIdsPerPeer || ownedByOther(entry.clientId)) continue;
			owned++;
		}
		if (entry.state.length > awarenessGuardDefaults.maxStateBytes) {
			dropped('awareness_too_big');
			continue;
		}
		const state = stampedState(entry.state, peer.principal);
		if (state === undefined) continue;
		if (Buffer.byteLength(state) > awarenessGuardDefaults.maxStateBytes) {
			dropped('awareness_too_big');
			continue;
		}
		accepted.push({ ...entry, state });
	}
	return accepted.length > 0 ? encodeEntries(accepted) : undefined;
}
