import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../config.ts';
import { parseIdentityConfig } from './identity-config.ts';

const dir = mkdtempSync(join(tmpdir(), 'mc-identity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, value: unknown): string {
	const path = join(dir, name);
	writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
	return path;
}

const single = {
	OIDC_ISSUER: 'https://login.microsoftonline.com/tenant/v2.0',
	OIDC_CLIENT_ID: 'client',
	OIDC_CLIENT_SECRET: 'secret',
	OIDC_ALLOWED_DOMAINS: 'Education.gov.uk, dhsc.gov.uk'
};

describe('identity config', () => {
	it('has no providers and no mail by default', () => {
		expect(parseIdentityConfig({})).toEqual({ oidcProviders: [], mail: undefined });
	});

	it('reads one provider from OIDC_* with id "default" and the named defaults', () => {
		const { oidcProviders } = parseIdentityConfig({ ...single, OIDC_NAME: 'Entra ID', OIDC_DEPARTMENTS: 'education.gov.uk=dfe', OIDC_EMAIL_VERIFIED_CLAIM: 'xms_edov' });
		expect(oidcProviders).toEqual([
			{
				id: 'default',
				name: 'Entra ID',
				issuer: single.OIDC_ISSUER,
				clientId: 'client',
				clientSecret: 'secret',
				scopes: 'openid email profile',
				emailClaim: 'email',
				emailVerifiedClaim: 'xms_edov',
				nameClaim: 'name',
				allowedDomains: ['education.gov.uk', 'dhsc.gov.uk'],
				departments: { 'education.gov.uk': 'dfe' },
				newPeople: 'approval'
			}
		]);
	});

	it('reads several providers from OIDC_PROVIDERS_FILE, alongside the single one', () => {
		const path = file('providers.json', [
			{ id: 'google', name: 'Google', issuer: 'https://accounts.google.com', clientId: 'g', clientSecret: 's', allowedDomains: ['cabinetoffice.gov.uk'], newPeople: 'viewer', departments: { 'cabinetoffice.gov.uk': 'co' } },
			{ id: 'one-login', name: 'GOV.UK One Login', issuer: 'https://oidc.account.gov.uk/', clientId: 'o', allowedDomains: ['digital.cabinet-office.gov.uk'] }
		]);
		const { oidcProviders } = parseIdentityConfig({ ...single, OIDC_PROVIDERS_FILE: path });
		expect(oidcProviders.map((provider) => [provider.id, provider.newPeople])).toEqual([
			['google', 'viewer'],
			['one-login', 'approval'],
			['default', 'approval']
		]);
	});

	it('reads SMTP_URL and MAIL_FROM', () => {
		expect(parseIdentityConfig({ SMTP_URL: 'smtp://user:pass@mail.example.gov.uk:587', MAIL_FROM: 'Missions <m@example.gov.uk>' }).mail).toEqual({ smtpUrl: 'smtp://user:pass@mail.example.gov.uk:587', from: 'Missions <m@example.gov.uk>' });
	});

	const bad: Array<[string, Record<string, string>, RegExp]> = [
		['a provider without allowed domains', { OIDC_ISSUER: single.OIDC_ISSUER, OIDC_CLIENT_ID: 'c' }, /OIDC_ALLOWED_DOMAINS list at least one allowed email domain/],
		['an issuer that is not a URL', { ...single, OIDC_ISSUER: 'login.example' }, /OIDC_ISSUER must be the issuer URL/],
		['a bad domain', { ...single, OIDC_ALLOWED_DOMAINS: 'not a domain' }, /OIDC_ALLOWED_DOMAINS/],
		['a bad policy', { ...single, OIDC_NEW_PEOPLE: 'everyone' }, /OIDC_NEW_PEOPLE/],
		['a missing providers file', { OIDC_PROVIDERS_FILE: join(dir, 'missing.json') }, /OIDC_PROVIDERS_FILE cannot be read/],
		['a providers file that is not JSON', { OIDC_PROVIDERS_FILE: file('bad.json', '{nope') }, /OIDC_PROVIDERS_FILE is not valid JSON/],
		['a provider in the file without a client id', { OIDC_PROVIDERS_FILE: file('noclient.json', [{ id: 'x', name: 'X', issuer: 'https://x.example', allowedDomains: ['x.example'] }]) }, /OIDC_PROVIDERS_FILE .*\[0\.clientId\]/],
		['two providers with one id', { ...single, OIDC_PROVIDERS_FILE: file('dup.json', [{ id: 'default', name: 'X', issuer: 'https://x.example', clientId: 'c', allowedDomains: ['x.example'] }]) }, /two OpenID Connect providers have the id "default"/],
		['an SMTP_URL that is not smtp', { SMTP_URL: 'http://mail.example', MAIL_FROM: 'a@b.cd' }, /SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/],
		['SMTP_URL without MAIL_FROM', { SMTP_URL: 'smtp://mail.example:25' }, /MAIL_FROM/],
		['SMTP_URL without ORIGIN (links in emails would follow the Host header)', { SMTP_URL: 'smtp://mail.example:25', MAIL_FROM: 'a@b.cd' }, /SMTP_URL needs ORIGIN/]
	];
	for (const [what, env, message] of bad) {
		it(`stops the start on ${what}, naming it`, () => {
			expect(() => parseConfig(env)).toThrow(ConfigError);
			expect(() => parseConfig(env)).toThrow(message);
		});
	}

	it('never repeats SMTP_URL (it may hold a password) in an error', () => {
		expect(() => parseConfig({ SMTP_URL: 'ftp://user:hunter2@mail.example', MAIL_FROM: 'a@b.cd' })).toThrow(/^(?!.*hunter2)/s);
	});
});
