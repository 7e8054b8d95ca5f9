import { describe, expect, it } from 'vitest';
import { ConnectionCaps } from './connection-caps.ts';

describe('ConnectionCaps', () => {
	it('keeps a cap per principal and per address; a released place comes back once', () => {
		const caps = new ConnectionCaps({ perPrincipal: 2, perAddress: 3 });
		const first = caps.reserve('person:a', '10.0.0.1');
		const second = caps.reserve('person:a', '10.0.0.1');
		expect(first && second).toBeTruthy();
		expect(caps.reserve('person:a', '10.0.0.2')).toBeUndefined();
		const third = caps.reserve('person:b', '10.0.0.1');
		expect(third).toBeTruthy();
		expect(caps.reserve('person:c', '10.0.0.1')).toBeUndefined();
		first!();
		first!();
		expect(caps.count('principal:person:a')).toBe(1);
		expect(caps.count('address:10.0.0.1')).toBe(2);
		expect(caps.reserve('person:a', '10.0.0.1')).toBeTruthy();
	});
});
