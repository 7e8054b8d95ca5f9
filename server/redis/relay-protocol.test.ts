import { describe, expect, it } from 'vitest';
import { hashTagOf, redisKeys } from './keys.ts';
import { decodeRelayMessage, encodeRelayMessage, MalformedRelayMessageError, relayChannels, type RelayMessage } from './relay-protocol.ts';

describe('relay protocol', () => {
	it('round-trips every kind of message', () => {
		const messages: RelayMessage[] = [
			{ kind: 'update', from: 'a1b2c3d4', sentAt: 1_790_000_000_123.456, stream: 2_000_000_000, seq: 42, updates: [new Uint8Array([1, 2, 3]), new Uint8Array([])] },
			{ kind: 'awareness', from: 'x', sentAt: 1, update: new Uint8Array([9, 8, 7]) },
			{ kind: 'awareness_query', from: 'instance-9', sentAt: 2.5 }
		];
		for (const message of messages) {
			const decoded = decodeRelayMessage(encodeRelayMessage(message));
			expect(decoded).toEqual(message);
		}
	});

	it('keeps the update bytes exactly, and the header small', () => {
		const update = new Uint8Array(1_000).map((_, i) => i % 256);
		const encoded = encodeRelayMessage({ kind: 'update', from: 'a1b2c3d4', sentAt: Date.now(), stream: 1, seq: 1, updates: [update] });
		expect(encoded.length - update.length).toBeLessThan(32);
		const decoded = decodeRelayMessage(encoded);
		expect(decoded.kind === 'update' && Buffer.from(decoded.updates[0]!).equals(Buffer.from(update))).toBe(true);
	});

	it('rejects what is not a relay message with a named error', () => {
		const valid = encodeRelayMessage({ kind: 'update', from: 'a', sentAt: 1, stream: 1, seq: 1, updates: [new Uint8Array([1])] });
		const bad = [
			new Uint8Array([]),
			new Uint8Array([0xff, 0xfe, 0x00]),
			valid.subarray(0, valid.length - 1),
			Buffer.concat([valid, Buffer.from([0])]),
			encodeRelayMessage({ kind: 'update', from: 'a', sentAt: 1, stream: 1, seq: 1, updates: [] }),
			encodeRelayMessage({ kind: 'awareness_query', from: '', sentAt: 1 }),
			encodeRelayMessage({ kind: 'awareness_query', from: 'a', sentAt: Number.NaN }),
			Buffer.from([7, 1, 97, 0, 0, 0, 0, 0, 0, 0, 0])
		];
		for (const bytes of bad) {
			expect(() => decodeRelayMessage(bytes)).toThrow(MalformedRelayMessageError);
			try {
				decodeRelayMessage(bytes);
			} catch (error) {
				expect((error as MalformedRelayMessageError).code).toBe('malformed_relay_message');
			}
		}
	});

	it('names channels with the same Redis Cluster hash tag as the document’s keys', () => {
		for (const name of ['board:b-1', 'odd{name}', 'per%cent', '}{']) {
			const channels = relayChannels('mc:', name);
			const keys = redisKeys('mc:').doc(name);
			expect(hashTagOf(channels.updates)).toBe(hashTagOf(keys.log));
			expect(hashTagOf(channels.awareness)).toBe(hashTagOf(keys.log));
			expect(channels.updates).not.toBe(channels.awareness);
		}
		expect(relayChannels('mc:', 'board:b-1')).toEqual({ updates: 'mc:doc:{board:b-1}:updates', awareness: 'mc:doc:{board:b-1}:awareness' });
		expect(relayChannels('mc:', 'a}b').updates).not.toBe(relayChannels('mc:', 'a%7Db').updates);
	});
});
