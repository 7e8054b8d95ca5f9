import { describe, expect, it } from 'vitest';
import { canonicalJson, NotJsonError } from './canonical-json.ts';

// Every store writes records with this text and compare-and-set compares it, so the exact output is the contract.
describe('canonicalJson', () => {
	it('sorts keys at every depth, keeps array order and writes no spaces', () => {
		const value = { b: 1, a: { z: [3, { y: true, x: null }], c: 'é' }, '': 0 };
		expect(canonicalJson(value, 'value')).toBe('{"":0,"a":{"c":"é","z":[3,{"x":null,"y":true}]},"b":1}');
	});

	it('gives equal text for equal values built in another key order', () => {
		expect(canonicalJson({ title: 'A', owner: { id: 'u1', name: 'Ann' } }, 'one')).toBe(
			canonicalJson({ owner: { name: 'Ann', id: 'u1' }, title: 'A' }, 'other')
		);
	});

	it('keeps a "__proto__" key as a key and drops undefined fields as JSON does', () => {
		const value = JSON.parse('{"__proto__":{"b":2,"a":1},"k":1}') as unknown;
		expect(canonicalJson(value, 'value')).toBe('{"__proto__":{"a":1,"b":2},"k":1}');
		expect(canonicalJson({ b: undefined, a: 1 }, 'value')).toBe('{"a":1}');
	});

	it('refuses a value that has no JSON text, naming it', () => {
		expect(() => canonicalJson(undefined, 'record risks/r1')).toThrow(NotJsonError);
		expect(() => canonicalJson(() => 1, 'record risks/r1')).toThrow('record risks/r1 cannot be stored as JSON');
	});
});
