/**
 * Reading y-websocket sync messages without consuming them, so the session can look at what the
 * server sent (its state vector, the size of a write) before the provider handles it.
 */
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import type { StateVector } from './sync-state.ts';

export const messageSync = 0;
const syncStep1 = 0;
const syncStep2 = 1;
const syncUpdate = 2;

/** The state vector of a sync step 1 (the decoder stands after the message type). */
export function peekStep1(decoder: decoding.Decoder): StateVector | undefined {
	try {
		const peek = decoding.clone(decoder);
		if (decoding.readVarUint(peek) !== syncStep1) return undefined;
		return Y.decodeStateVector(decoding.readVarUint8Array(peek));
	} catch {
		// Malformed: the provider's own handler reports it.
		return undefined;
	}
}

/** The payload of a sync step 2 or update of at least `minBytes`. */
export function peekLargeWrite(decoder: decoding.Decoder, minBytes: number): Uint8Array | undefined {
	try {
		const peek = decoding.clone(decoder);
		const type = decoding.readVarUint(peek);
		if (type !== syncStep2 && type !== syncUpdate) return undefined;
		const payload = decoding.readVarUint8Array(peek);
		return payload.length >= minBytes ? payload : undefined;
	} catch {
		// Malformed: the provider's own handler reports it.
		return undefined;
	}
}
