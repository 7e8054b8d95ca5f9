/**
 * What instances say to each other over Redis pub/sub, per document, on two channels that carry the
 * document's Redis Cluster hash tag (the same `{<name>}` as the store's keys):
 *
 *   <prefix>doc:{<name>}:updates    the updates an instance accepted (stored first), one message per flush
 *   <prefix>doc:{<name>}:awareness  presence changes of its peers, and queries for them
 *
 * A message is binary (lib0 encoding): kind, sender instance id, send time, then the payload.
 *
 *   update:          stream (varuint), seq (varuint), count (varuint), count × update (varuint8array)
 *   awareness:       a y-protocols awareness update (varuint8array)
 *   awareness_query: nothing: "I just subscribed; send me your peers' presence"
 *
 * `stream` is chosen at random each time the sender loads the document and `seq` counts its update
 * messages from 1, so a receiver that sees a gap in one stream knows it missed something.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export const relayMessageKind = { update: 1, awareness: 2, awarenessQuery: 3 } as const;

export type RelayMessage =
	| { kind: 'update'; from: string; sentAt: number; stream: number; seq: number; updates: Uint8Array[] }
	| { kind: 'awareness'; from: string; sentAt: number; update: Uint8Array }
	| { kind: 'awareness_query'; from: string; sentAt: number };

export class MalformedRelayMessageError extends Error {
	readonly code = 'malformed_relay_message';
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'MalformedRelayMessageError';
	}
}

export interface RelayChannels {
	updates: string;
	awareness: string;
}

/** The channels of one document. `prefix` is the store's key prefix (`mc:` by default). */
export function relayChannels(prefix: string, docName: string): RelayChannels {
	// The same escaping as the store's keys (server/redis/keys.ts), so a name never ends the tag early.
	const tag = docName.replace(/[%{}]/g, (c) => (c === '%' ? '%25' : c === '{' ? '%7B' : '%7D'));
	const base = `${prefix}doc:{${tag}}:`;
	return { updates: `${base}updates`, awareness: `${base}awareness` };
}

/** Wall-clock milliseconds with sub-millisecond precision, comparable between processes of one machine. */
export function preciseNow(): number {
	return performance.timeOrigin + performance.now();
}

export function encodeRelayMessage(message: RelayMessage): Buffer {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, message.kind === 'update' ? relayMessageKind.update : message.kind === 'awareness' ? relayMessageKind.awareness : relayMessageKind.awarenessQuery);
	encoding.writeVarString(encoder, message.from);
	encoding.writeFloat64(encoder, message.sentAt);
	if (message.kind === 'update') {
		encoding.writeVarUint(encoder, message.stream);
		encoding.writeVarUint(encoder, message.seq);
		encoding.writeVarUint(encoder, message.updates.length);
		for (const update of message.updates) encoding.writeVarUint8Array(encoder, update);
	} else if (message.kind === 'awareness') {
		encoding.writeVarUint8Array(encoder, message.update);
	}
	const bytes = encoding.toUint8Array(encoder);
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Decodes one message; throws MalformedRelayMessageError on anything else. */
export function decodeRelayMessage(data: Uint8Array): RelayMessage {
	try {
		const decoder = decoding.createDecoder(data);
		const kind = decoding.readVarUint(decoder);
		const from = decoding.readVarString(decoder);
		const sentAt = decoding.readFloat64(decoder);
		let message: RelayMessage;
		if (kind === relayMessageKind.update) {
			const stream = decoding.readVarUint(decoder);
			const seq = decoding.readVarUint(decoder);
			const count = decoding.readVarUint(decoder);
			if (count === 0) throw new MalformedRelayMessageError('an update message without updates');
			const updates: Uint8Array[] = [];
			for (let i = 0; i < count; i++) updates.push(decoding.readVarUint8Array(decoder));
			message = { kind: 'update', from, sentAt, stream, seq, updates };
		} else if (kind === relayMessageKind.awareness) {
			message = { kind: 'awareness', from, sentAt, update: decoding.readVarUint8Array(decoder) };
		} else if (kind === relayMessageKind.awarenessQuery) {
			message = { kind: 'awareness_query', from, sentAt };
		} else {
			throw new MalformedRelayMessageError(`unknown relay message kind ${kind}`);
		}
		if (decoding.hasContent(decoder)) throw new MalformedRelayMessageError('trailing bytes after the relay message');
		if (from === '' || !Number.isFinite(sentAt)) throw new MalformedRelayMessageError('a relay message without a sender or a send time');
		return message;
	} catch (error) {
		if (error instanceof MalformedRelayMessageError) throw error;
		throw new MalformedRelayMessageError(`undecodable relay message: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
	}
}
