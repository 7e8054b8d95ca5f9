/**
 * The y-websocket wire protocol: message framing shared by every peer.
 * https://github.com/yjs/y-websocket — sync (step 1, step 2, update), awareness, auth, query-awareness.
 */
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

export const messageType = {
	sync: 0,
	awareness: 1,
	auth: 2,
	queryAwareness: 3
} as const;

export const syncType = {
	step1: 0,
	step2: 1,
	update: 2
} as const;

export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, messageType.sync);
	encoding.writeVarUint(encoder, syncType.step1);
	encoding.writeVarUint8Array(encoder, stateVector);
	return encoding.toUint8Array(encoder);
}

export function encodeSyncStep2(update: Uint8Array): Uint8Array {
	return encodeSync(syncType.step2, update);
}

export function encodeUpdate(update: Uint8Array): Uint8Array {
	return encodeSync(syncType.update, update);
}

function encodeSync(type: number, update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, messageType.sync);
	encoding.writeVarUint(encoder, type);
	encoding.writeVarUint8Array(encoder, update);
	return encoding.toUint8Array(encoder);
}

export function encodeAwareness(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, messageType.awareness);
	encoding.writeVarUint8Array(encoder, update);
	return encoding.toUint8Array(encoder);
}

/**
 * One message as a whole websocket frame (RFC 6455 §5.2: FIN, binary opcode, unmasked as a server
 * sends it, the payload length in 7, 16 or 64 bits), header and payload in one buffer. A broadcast
 * frames its message once and writes the same buffer to every peer's connection: one write each,
 * where `ws` would build a header, wrap the payload and write both for every peer.
 */
export function frameBinary(message: Uint8Array): Buffer {
	const length = message.byteLength;
	const headerBytes = length < 126 ? 2 : length < 65_536 ? 4 : 10;
	const frame = Buffer.allocUnsafe(headerBytes + length);
	frame[0] = 0x82;
	if (headerBytes === 2) frame[1] = length;
	else if (headerBytes === 4) {
		frame[1] = 126;
		frame.writeUInt16BE(length, 2);
	} else {
		frame[1] = 127;
		frame.writeBigUInt64BE(BigInt(length), 2);
	}
	frame.set(message, headerBytes);
	return frame;
}

/**
 * A quick look at the first bytes: is this message a document write (sync step 2 or update)?
 * Used to drop a read-only peer's writes before decoding anything else.
 */
export function isWriteMessage(data: Uint8Array): boolean {
	return data.length >= 2 && data[0] === messageType.sync && (data[1] === syncType.step2 || data[1] === syncType.update);
}

/** An empty update (no structs, no deletions): what a peer sends when it has nothing new. */
export function isEmptyUpdate(update: Uint8Array): boolean {
	return update.length === 2 && update[0] === 0 && update[1] === 0;
}

export { Y };
