import { describe, expect, it } from 'vitest';
import * as ws from 'ws';
import { encodeUpdate, frameBinary } from './protocol.ts';

/** `ws`'s frame parser (exported at runtime, not in @types/ws). */
interface FrameReceiver {
	on(event: 'message', listener: (data: Buffer, binary: boolean) => void): void;
	on(event: 'error', listener: (error: Error) => void): void;
	write(chunk: Buffer): void;
}
const { Receiver } = ws as unknown as { Receiver: new (options: { binaryType: 'nodebuffer'; isServer: boolean; maxPayload: number }) => FrameReceiver };

/** Parses frames with `ws`'s own receiver (as a client would) and returns the messages. */
function parse(frames: Buffer[]): Array<{ data: Buffer; binary: boolean }> {
	const messages: Array<{ data: Buffer; binary: boolean }> = [];
	const receiver = new Receiver({ binaryType: 'nodebuffer', isServer: false, maxPayload: 0 });
	receiver.on('message', (data: Buffer, binary: boolean) => messages.push({ data, binary }));
	receiver.on('error', (error: Error) => {
		throw error;
	});
	for (const frame of frames) receiver.write(frame);
	return messages;
}

describe('frameBinary', () => {
	it.each([0, 1, 125, 126, 65_535, 65_536, 200_000])('frames a %i-byte message that a websocket client reads back whole', (length) => {
		const message = encodeUpdate(Uint8Array.from({ length }, (_, index) => index % 251));
		const [read, ...rest] = parse([frameBinary(message)]);
		expect(rest).toHaveLength(0);
		expect(read?.binary).toBe(true);
		expect(read?.data.equals(Buffer.from(message))).toBe(true);
	});

	it('uses the shortest length field and never masks (a server frame)', () => {
		expect([...frameBinary(new Uint8Array(125)).subarray(0, 2)]).toEqual([0x82, 125]);
		expect([...frameBinary(new Uint8Array(126)).subarray(0, 4)]).toEqual([0x82, 126, 0, 126]);
		expect([...frameBinary(new Uint8Array(65_536)).subarray(0, 10)]).toEqual([0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0]);
	});

	it('frames follow each other on one stream', () => {
		const messages = [new Uint8Array([1, 2, 3]), new Uint8Array(300).fill(7)];
		expect(parse([Buffer.concat(messages.map(frameBinary))]).map((m) => [...m.data])).toEqual(messages.map((m) => [...m]));
	});
});
