import { describe, expect, it } from 'vitest';
import { safeNext, signInPath } from './sign-in-next.ts';

describe('where to land after signing in', () => {
	it('keeps a local path with its query', () => {
		expect(safeNext('/meetings/mtg_1')).toBe('/meetings/mtg_1');
		expect(safeNext('/boards/b1?ref=DEP-4')).toBe('/boards/b1?ref=DEP-4');
		expect(signInPath(new URL('https://mc.example/boards/b1?ref=DEP-4'))).toBe('/login?next=%2Fboards%2Fb1%3Fref%3DDEP-4');
		expect(signInPath(new URL('https://mc.example/'))).toBe('/login');
	});

	it('refuses anything that would leave the site or loop', () => {
		for (const bad of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', '/login', '/login?next=/x', '/login/email', '', 'meetings', `/${'a'.repeat(2_001)}`, '/x\u0000y']) {
			expect(safeNext(bad), bad).toBeUndefined();
		}
		expect(safeNext(null)).toBeUndefined();
	});
});
