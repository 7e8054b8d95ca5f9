import { describe, expect, it } from 'vitest';
import { decodePending, encodePending } from './local-copy.ts';

describe('the stored pending list', () => {
	it('reads back what was written', () => {
		const pending = [
			{ client: 12, clock: 40 },
			{ client: 12, clock: 40, deleteOnly: true }
		];
		expect(decodePending(encodePending(pending))).toEqual(pending);
	});

	it('reads anything else as empty rather than trusting it', () => {
		expect(decodePending(undefined)).toEqual([]);
		expect(decodePending('not json')).toEqual([]);
		expect(decodePending('{"client":1}')).toEqual([]);
		expect(decodePending('[{"client":1,"clock":-2}]')).toEqual([]);
		expect(decodePending('[{"client":"1","clock":2}]')).toEqual([]);
	});
});
