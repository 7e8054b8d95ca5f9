import { describe, expect, it } from 'vitest';
import { presentedCredentialId } from './credential-attempts.ts';

const secret = 'S'.repeat(43);

describe('presentedCredentialId', () => {
	it('is the <kind>.<id> of the credential that decides', () => {
		expect(presentedCredentialId({ authorization: `Bearer mct.Token12345.${secret}` })).toBe('mct.Token12345');
		expect(presentedCredentialId({ queryToken: `mcw.Wall123456.${secret}` })).toBe('mcw.Wall123456');
		expect(presentedCredentialId({ cookie: `mc_device=mcw.Wall123456.${secret}` })).toBe('mcw.Wall123456');
		// The bearer decides even when a cookie is present.
		expect(presentedCredentialId({ authorization: `Bearer mct.Token12345.${secret}`, cookie: `mc_device=mcw.Wall123456.${secret}` })).toBe('mct.Token12345');
	});

	it('is undefined for session cookies, the admin token and anything we did not issue', () => {
		expect(presentedCredentialId({ cookie: `mc_session=${secret}` })).toBeUndefined();
		expect(presentedCredentialId({ cookie: `mc_session=${secret}; mc_device=mcw.Wall123456.${secret}` })).toBeUndefined();
		expect(presentedCredentialId({ authorization: 'Bearer an-admin-token-of-any-shape' })).toBeUndefined();
		expect(presentedCredentialId({ queryToken: 'xyz.abc' })).toBeUndefined();
	});
});
