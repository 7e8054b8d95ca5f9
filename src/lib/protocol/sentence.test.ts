import { describe, expect, it } from 'vitest';
import { sentence } from './sentence.ts';

describe('sentence', () => {
	it('starts a message with a capital and ends it with a full stop, once', () => {
		expect(sentence('choose a department that exists')).toBe('Choose a department that exists.');
		expect(sentence('That token is not valid.')).toBe('That token is not valid.');
		expect(sentence('many people are using this invite at once; try again')).toBe('Many people are using this invite at once; try again.');
		expect(sentence('Too many attempts? Wait')).toBe('Too many attempts? Wait.');
		expect(sentence('')).toBe('');
	});
});
