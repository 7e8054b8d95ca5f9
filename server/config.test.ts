import { describe, expect, it } from 'vitest';
import { ConfigError, configDefaults, parseConfig } from './config.ts';

describe('config', () => {
	it('uses the named defaults', () => {
		expect(parseConfig({})).toEqual({
			port: configDefaults.port,
			host: configDefaults.host,
			dataDir: configDefaults.dataDir,
			redisUrl: undefined,
			adminToken: undefined,
			origin: undefined,
			logLevel: 'info',
			addressHeader: undefined,
			xffDepth: 1,
			maxConnectionsPerPrincipal: configDefaults.maxConnectionsPerPrincipal,
			maxConnectionsPerAddress: configDefaults.maxConnectionsPerAddress,
			webhookAllowedNetworks: [],
			identity: { oidcProviders: [], mail: undefined }
		});
	});

	it('reads the networks webhooks may reach, and names a bad one', () => {
		expect(parseConfig({ WEBHOOK_ALLOWED_NETWORKS: '10.0.0.0/8, 127.0.0.1,fd00::/8' }).webhookAllowedNetworks).toEqual(['10.0.0.0/8', '127.0.0.1', 'fd00::/8']);
		expect(() => parseConfig({ WEBHOOK_ALLOWED_NETWORKS: '10.0.0.0/33' })).toThrow(/WEBHOOK_ALLOWED_NETWORKS .*"10\.0\.0\.0\/33" is not an IP address/);
		expect(() => parseConfig({ WEBHOOK_ALLOWED_NETWORKS: 'intranet.example' })).toThrow(ConfigError);
	});

	it('is frozen', () => {
		expect(Object.isFrozen(parseConfig({}))).toBe(true);
	});

	it('reads every variable', () => {
		const config = parseConfig({
			PORT: '8080',
			HOST: '127.0.0.1',
			DATA_DIR: '/srv/mc',
			REDIS_URL: 'redis://cache:6379',
			ADMIN_TOKEN: 'a'.repeat(32),
			ORIGIN: 'https://missions.example.gov/',
			LOG_LEVEL: 'debug',
			ADDRESS_HEADER: 'X-Forwarded-For',
			XFF_DEPTH: '2',
			MAX_CONNECTIONS_PER_PRINCIPAL: '20',
			MAX_CONNECTIONS_PER_ADDRESS: '400'
		});
		expect(config).toMatchObject({
			port: 8080,
			host: '127.0.0.1',
			dataDir: '/srv/mc',
			redisUrl: 'redis://cache:6379',
			origin: 'https://missions.example.gov',
			logLevel: 'debug',
			addressHeader: 'x-forwarded-for',
			xffDepth: 2,
			maxConnectionsPerPrincipal: 20,
			maxConnectionsPerAddress: 400
		});
	});

	const bad: Array<[Record<string, string>, RegExp]> = [
		[{ PORT: 'abc' }, /^Invalid configuration: PORT must be a whole number from 0 to 65535 \(got "abc"\)$/],
		[{ PORT: '70000' }, /PORT must be a whole number/],
		[{ PORT: '3.5' }, /PORT must be a whole number/],
		[{ REDIS_URL: 'http://localhost:6379' }, /REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/],
		[{ REDIS_URL: 'not a url' }, /REDIS_URL must be/],
		[{ DATABASE_URL: 'mysql://db/mc' }, /^Invalid configuration: DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL$/],
		[{ ADMIN_TOKEN: 'short' }, /ADMIN_TOKEN must be at least 24 characters/],
		[{ ADMIN_TOKEN: 'has spaces in it which is not allowed here' }, /ADMIN_TOKEN must be printable ASCII/],
		[{ ORIGIN: 'missions.example.gov' }, /ORIGIN must be an http:\/\/ or https:\/\/ URL/],
		[{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/],
		[{ MAX_CONNECTIONS_PER_PRINCIPAL: '0' }, /MAX_CONNECTIONS_PER_PRINCIPAL must be a whole number of 1 or more/],
		[{ XFF_DEPTH: 'two' }, /XFF_DEPTH must be a whole number of 1 or more/],
		[{ ADDRESS_HEADER: 'x forwarded' }, /ADDRESS_HEADER must be a header name/]
	];
	for (const [env, message] of bad) {
		it(`rejects ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')} with a message naming it`, () => {
			expect(() => parseConfig(env)).toThrow(ConfigError);
			expect(() => parseConfig(env)).toThrow(message);
		});
	}

	it('never echoes the admin token', () => {
		expect(() => parseConfig({ ADMIN_TOKEN: 'secret!' })).toThrow(/^(?!.*secret!).*$/);
	});

	it('reads DATABASE_URL beside REDIS_URL, and never echoes it (it may hold a password)', () => {
		expect(parseConfig({ DATABASE_URL: 'postgres://mc:pw@db:5432/mc', REDIS_URL: 'redis://cache:6379' })).toMatchObject({
			databaseUrl: 'postgres://mc:pw@db:5432/mc',
			redisUrl: 'redis://cache:6379'
		});
		expect(parseConfig({ DATABASE_URL: 'postgresql://db/mc' }).databaseUrl).toBe('postgresql://db/mc');
		expect(() => parseConfig({ DATABASE_URL: 'mysql://mc:hunter2@db/mc' })).toThrow(/^(?!.*hunter2).*$/);
	});

	it('names every bad variable at once', () => {
		expect(() => parseConfig({ PORT: 'x', LOG_LEVEL: 'y' })).toThrow(/PORT .*; LOG_LEVEL /);
	});

	it('treats empty values as unset', () => {
		expect(parseConfig({ PORT: '', REDIS_URL: '' })).toMatchObject({ port: 3000, redisUrl: undefined });
	});
});
