import { describe, expect, it } from 'vitest';
import { hashSecret } from '../auth/secrets.ts';
import { issueToken, parseToken, secretMatches } from './tokens.ts';

describe('issued tokens', () => {
	it('round-trip: kind, record id and a secret of 256 bits, stored only as a hash', () => {
		const issued = issueToken('wall');
		expect(issued.token).toMatch(/^mcw\.[A-Za-z0-9_-]{12}\.[A-Za-z0-9_-]{43}$/);
		const parsed = parseToken(issued.token);
		expect(parsed).toEqual({ kind: 'wall', id: issued.id, secret: issued.token.split('.')[2] });
		expect(issued.secretHash).toBe(hashSecret(parsed?.secret ?? ''));
		expect(issued.secretHash).not.toContain(parsed?.secret ?? '');
		expect(secretMatches(parsed?.secret ?? '', issued.secretHash)).toBe(true);
	});

	it('refuses another kind, anything malformed, and a wrong secret', () => {
		const invite = issueToken('invite');
		expect(parseToken(invite.token, 'invite')?.kind).toBe('invite');
		expect(parseToken(invite.token, 'api')).toBeUndefined();
		for (const bad of ['', 'mcx.abcdefgh.' + 'a'.repeat(43), 'mci.short.' + 'a'.repeat(43), 'mci.abcdefgh.tooShort', `${invite.token}.extra`, invite.token.replace('.', '/')]) {
			expect(parseToken(bad)).toBeUndefined();
		}
		const parsed = parseToken(invite.token);
		expect(secretMatches(`${parsed?.secret.slice(0, -1)}x`, invite.secretHash)).toBe(false);
		expect(secretMatches(parsed?.secret ?? '', 'not-hex')).toBe(false);
	});

	it('never issues the same token twice', () => {
		const tokens = new Set(Array.from({ length: 200 }, () => issueToken('api').token));
		expect(tokens.size).toBe(200);
	});
});
