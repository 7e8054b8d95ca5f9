import { z } from 'zod';
import { parseIdentityConfig, type IdentityConfig } from './identity/identity-config.ts';
import { parseAllowedNetworks } from './webhooks/webhook-target.ts';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const configDefaults = {
	port: 3000,
	host: '0.0.0.0',
	dataDir: './data',
	logLevel: 'info',
	/** Concurrent websocket connections (`/yjs` and socket.io) one principal may hold, per instance. */
	maxConnectionsPerPrincipal: 100,
	/** The same per client address (an office behind one NAT address counts as one). */
	maxConnectionsPerAddress: 1_000
} as const;

const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);

const wholeNumber = (fallback: number) =>
	z.preprocess(
		emptyAsUnset,
		z.coerce
			.number({ error: 'must be a whole number of 1 or more' })
			.int('must be a whole number of 1 or more')
			.min(1, 'must be a whole number of 1 or more')
			.default(fallback)
	);

const envSchema = z.object({
	PORT: z.preprocess(
		emptyAsUnset,
		z.coerce
			.number({ error: 'must be a whole number from 0 to 65535' })
			.int('must be a whole number from 0 to 65535')
			.min(0, 'must be a whole number from 0 to 65535')
			.max(65535, 'must be a whole number from 0 to 65535')
			.default(configDefaults.port)
	),
	HOST: z.preprocess(emptyAsUnset, z.string().min(1).default(configDefaults.host)),
	DATA_DIR: z.preprocess(emptyAsUnset, z.string().min(1).default(configDefaults.dataDir)),
	REDIS_URL: z.preprocess(
		emptyAsUnset,
		z
			.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' })
			.optional()
	),
	DATABASE_URL: z.preprocess(
		emptyAsUnset,
		z
			.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })
			.optional()
	),
	ADMIN_TOKEN: z.preprocess(
		emptyAsUnset,
		z
			.string()
			.min(24, 'must be at least 24 characters (use a long random value)')
			.regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
			.optional()
	),
	ORIGIN: z.preprocess(
		emptyAsUnset,
		z
			.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL such as https://missions.example.gov' })
			.transform((value) => value.replace(/\/+$/, ''))
			.optional()
	),
	ADDRESS_HEADER: z.preprocess(
		emptyAsUnset,
		z
			.string()
			.regex(/^[A-Za-z0-9-]+$/, 'must be a header name such as x-forwarded-for')
			.transform((value) => value.toLowerCase())
			.optional()
	),
	XFF_DEPTH: wholeNumber(1),
	MAX_CONNECTIONS_PER_PRINCIPAL: wholeNumber(configDefaults.maxConnectionsPerPrincipal),
	MAX_CONNECTIONS_PER_ADDRESS: wholeNumber(configDefaults.maxConnectionsPerAddress),
	LOG_LEVEL: z.preprocess(
		emptyAsUnset,
		z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` }).default(configDefaults.logLevel)
	),
	WEBHOOK_ALLOWED_NETWORKS: z.preprocess(
		emptyAsUnset,
		z
			.string()
			.optional()
			.transform((value, context) => {
				try {
					return parseAllowedNetworks(value);
				} catch (error) {
					context.addIssue({ code: 'custom', message: `must be a comma-separated list of addresses or networks (${error instanceof Error ? error.message : 'invalid'})` });
					return z.NEVER;
				}
			})
	),
	HISTORY_RETENTION_DAYS: z.preprocess(
		emptyAsUnset,
		z.coerce
			.number({ error: 'must be a whole number of days from 1 to 36500 (unset keeps every update)' })
			.int('must be a whole number of days from 1 to 36500 (unset keeps every update)')
			.min(1, 'must be a whole number of days from 1 to 36500 (unset keeps every update)')
			.max(36_500, 'must be a whole number of days from 1 to 36500 (unset keeps every update)')
			.optional()
	)
});

export interface Config {
	readonly port: number;
	readonly host: string;
	readonly dataDir: string;
	/** With DATABASE_URL, Redis carries only the relay, presence and socket.io's adapter. */
	readonly redisUrl: string | undefined;
	/** PostgreSQL, the system of record when set (see docs/scaling.md). */
	readonly databaseUrl: string | undefined;
	readonly adminToken: string | undefined;
	readonly origin: string | undefined;
	readonly logLevel: (typeof logLevels)[number];
	/** Days of individual updates kept for "as at" any moment; unset keeps them all (see docs/history.md). */
	readonly historyRetentionDays: number | undefined;
	/** adapter-node's ADDRESS_HEADER (lower case): the header a trusted proxy puts the client's address in. */
	readonly addressHeader: string | undefined;
	/** adapter-node's XFF_DEPTH: which `x-forwarded-for` address from the right is the client's. */
	readonly xffDepth: number;
	/** Concurrent websocket connections (`/yjs` and socket.io) per principal, per instance. */
	readonly maxConnectionsPerPrincipal: number;
	/** Concurrent websocket connections per client address, per instance. */
	readonly maxConnectionsPerAddress: number;
	/** Private networks webhooks may reach (internal receivers); none by default (docs/webhooks.md). */
	readonly webhookAllowedNetworks: readonly string[];
	/** OpenID Connect providers and outgoing mail (`server/identity/identity-config.ts`). */
	readonly identity: IdentityConfig;
}

export class ConfigError extends Error {
	readonly code = 'config_invalid';
	constructor(message: string) {
		super(message);
		this.name = 'ConfigError';
	}
}

/** Parses the environment once. Throws ConfigError whose message names each bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
	const result = envSchema.safeParse(env);
	if (!result.success) {
		const lines = result.error.issues.map((issue) => {
			const name = String(issue.path[0] ?? 'environment');
			// Secrets (a token, a password in a URL) are never echoed.
			const shown = name === 'ADMIN_TOKEN' || name === 'DATABASE_URL' ? '' : ` (got "${String(env[name] ?? '')}")`;
			return `${name} ${issue.message}${shown}`;
		});
		throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
	}
	const value = result.data;
	let identity: IdentityConfig;
	try {
		identity = parseIdentityConfig(env);
	} catch (error) {
		throw new ConfigError(`Invalid configuration: ${error instanceof Error ? error.message : String(error)}`);
	}
	// Links in emails (sign-in links, invites, notifications) must name the site itself, never the
	// Host header of whoever asked (that would let anyone send people links to another site).
	if (identity.mail && !value.ORIGIN) throw new ConfigError('Invalid configuration: SMTP_URL needs ORIGIN (the address people reach the site at, used in the links emails carry)');
	return Object.freeze({
		port: value.PORT,
		host: value.HOST,
		dataDir: value.DATA_DIR,
		redisUrl: value.REDIS_URL,
		databaseUrl: value.DATABASE_URL,
		adminToken: value.ADMIN_TOKEN,
		origin: value.ORIGIN,
		logLevel: value.LOG_LEVEL,
		historyRetentionDays: value.HISTORY_RETENTION_DAYS,
		addressHeader: value.ADDRESS_HEADER,
		xffDepth: value.XFF_DEPTH,
		maxConnectionsPerPrincipal: value.MAX_CONNECTIONS_PER_PRINCIPAL,
		maxConnectionsPerAddress: value.MAX_CONNECTIONS_PER_ADDRESS,
		webhookAllowedNetworks: value.WEBHOOK_ALLOWED_NETWORKS,
		identity
	});
}
