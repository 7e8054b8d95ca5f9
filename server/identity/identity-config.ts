/**
 * How people sign in besides the admin token and invite links, from the environment: OpenID Connect
 * providers (`OIDC_*` for one, `OIDC_PROVIDERS_FILE` for several) and outgoing mail (`SMTP_URL`,
 * `MAIL_FROM`) for sign-in links and invites by email. Parsed once with zod, like the rest of the
 * config; a bad value names the variable (or the file and the provider) that holds it.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const newPeoplePolicies = ['viewer', 'approval'] as const;
export type NewPeoplePolicy = (typeof newPeoplePolicies)[number];

export const oidcDefaults = {
	scopes: 'openid email profile',
	emailClaim: 'email',
	emailVerifiedClaim: 'email_verified',
	nameClaim: 'name',
	newPeople: 'approval'
} as const satisfies Record<string, string>;

const domain = z
	.string()
	.trim()
	.toLowerCase()
	.regex(/^(?=.{1,253}$)[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'is not an email domain such as example.gov.uk');

/** One OpenID Connect provider, as the JSON file lists it (the single-provider variables map onto it). */
export const oidcProviderConfig = z.strictObject({
	/** In the address: `/login/oidc/<id>`. The single provider's id is `default`. */
	id: z.string().regex(/^[a-z0-9-]{1,40}$/, 'an id is 1–40 lower-case letters, digits or "-"'),
	/** The sign-in button says "Sign in with <name>". */
	name: z.string().trim().min(1).max(60),
	issuer: z.url({ protocol: /^https?$/, error: 'must be the issuer URL, such as https://login.microsoftonline.com/<tenant>/v2.0' }),
	clientId: z.string().min(1),
	clientSecret: z.string().min(1).optional(),
	scopes: z.string().trim().min(1).default(oidcDefaults.scopes),
	emailClaim: z.string().min(1).default(oidcDefaults.emailClaim),
	/** The claim that says the address was verified (Entra ID: `xms_edov`). */
	emailVerifiedClaim: z.string().min(1).default(oidcDefaults.emailVerifiedClaim),
	nameClaim: z.string().min(1).default(oidcDefaults.nameClaim),
	/** Only addresses at these domains may sign in. */
	allowedDomains: z.array(domain).min(1, 'list at least one allowed email domain'),
	/** Email domain → department id: where a new person from that domain belongs. */
	departments: z.record(domain, z.string().min(1)).default({}),
	/** A new person from an allowed domain joins their department as a viewer, or waits for a lead. */
	newPeople: z.enum(newPeoplePolicies).default(oidcDefaults.newPeople)
});
export type OidcProviderConfig = z.infer<typeof oidcProviderConfig>;

export interface MailConfig {
	/** `smtp://user:pass@host:587` or `smtps://…`. */
	smtpUrl: string;
	from: string;
}

export interface IdentityConfig {
	readonly oidcProviders: readonly OidcProviderConfig[];
	readonly mail: MailConfig | undefined;
}

const commaList = (value: string | undefined) =>
	(value ?? '')
		.split(',')
		.map((part) => part.trim())
		.filter((part) => part.length > 0);

/** `example.gov.uk=dfe,other.gov.uk=dhsc` → `{ 'example.gov.uk': 'dfe', … }`. */
function domainMap(value: string | undefined): Record<string, string> {
	return Object.fromEntries(
		commaList(value).map((pair) => {
			const [key = '', department = ''] = pair.split('=');
			return [key.trim(), department.trim()];
		})
	);
}

const unset = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);

export class IdentityConfigError extends Error {
	readonly code = 'config_invalid';
	constructor(message: string) {
		super(message);
		this.name = 'IdentityConfigError';
	}
}

function issueLines(error: z.ZodError, where: (path: PropertyKey[]) => string): string {
	return error.issues.map((issue) => `${where(issue.path)} ${issue.message}`).join('; ');
}

/** The single provider from `OIDC_*`, which map one to one onto the file's fields. */
const singleProviderVariables = {
	issuer: 'OIDC_ISSUER',
	clientId: 'OIDC_CLIENT_ID',
	clientSecret: 'OIDC_CLIENT_SECRET',
	name: 'OIDC_NAME',
	scopes: 'OIDC_SCOPES',
	emailClaim: 'OIDC_EMAIL_CLAIM',
	emailVerifiedClaim: 'OIDC_EMAIL_VERIFIED_CLAIM',
	nameClaim: 'OIDC_NAME_CLAIM',
	allowedDomains: 'OIDC_ALLOWED_DOMAINS',
	departments: 'OIDC_DEPARTMENTS',
	newPeople: 'OIDC_NEW_PEOPLE'
} as const;

function singleProvider(env: Record<string, string | undefined>): OidcProviderConfig | undefined {
	if (!unset(env.OIDC_ISSUER) && !unset(env.OIDC_CLIENT_ID)) return undefined;
	const raw = {
		id: 'default',
		name: unset(env.OIDC_NAME) ?? 'single sign-on',
		issuer: unset(env.OIDC_ISSUER),
		clientId: unset(env.OIDC_CLIENT_ID),
		clientSecret: unset(env.OIDC_CLIENT_SECRET),
		scopes: unset(env.OIDC_SCOPES),
		emailClaim: unset(env.OIDC_EMAIL_CLAIM),
		emailVerifiedClaim: unset(env.OIDC_EMAIL_VERIFIED_CLAIM),
		nameClaim: unset(env.OIDC_NAME_CLAIM),
		allowedDomains: commaList(env.OIDC_ALLOWED_DOMAINS),
		departments: domainMap(env.OIDC_DEPARTMENTS),
		newPeople: unset(env.OIDC_NEW_PEOPLE)
	};
	const parsed = oidcProviderConfig.safeParse(raw);
	if (!parsed.success) {
		const name = (path: PropertyKey[]) => singleProviderVariables[String(path[0]) as keyof typeof singleProviderVariables] ?? 'OIDC';
		throw new IdentityConfigError(issueLines(parsed.error, name));
	}
	return parsed.data;
}

function providersFromFile(path: string): OidcProviderConfig[] {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch (error) {
		throw new IdentityConfigError(`OIDC_PROVIDERS_FILE cannot be read (${path}): ${error instanceof Error ? error.message : String(error)}`);
	}
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		throw new IdentityConfigError(`OIDC_PROVIDERS_FILE is not valid JSON (${path})`);
	}
	const parsed = z.array(oidcProviderConfig).min(1).safeParse(json);
	if (!parsed.success) throw new IdentityConfigError(`OIDC_PROVIDERS_FILE (${path}): ${issueLines(parsed.error, (issuePath) => `[${issuePath.map(String).join('.')}]`)}`);
	return parsed.data;
}

const mailSchema = z.object({
	SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL such as smtp://user:pass@mail.example.gov:587' }),
	MAIL_FROM: z.string().trim().min(3, 'must be the sender, such as "Mission Control <missions@example.gov.uk>"')
});

function mailConfig(env: Record<string, string | undefined>): MailConfig | undefined {
	if (!unset(env.SMTP_URL) && !unset(env.MAIL_FROM)) return undefined;
	const parsed = mailSchema.safeParse({ SMTP_URL: unset(env.SMTP_URL), MAIL_FROM: unset(env.MAIL_FROM) });
	if (!parsed.success) {
		// Never echo SMTP_URL: it may hold a password.
		throw new IdentityConfigError(issueLines(parsed.error, (path) => String(path[0])));
	}
	return { smtpUrl: parsed.data.SMTP_URL, from: parsed.data.MAIL_FROM };
}

/** Reads the identity part of the environment; throws IdentityConfigError naming what is wrong. */
export function parseIdentityConfig(env: Record<string, string | undefined>): IdentityConfig {
	const providers = [...(unset(env.OIDC_PROVIDERS_FILE) ? providersFromFile(env.OIDC_PROVIDERS_FILE ?? '') : []), ...[singleProvider(env)].filter((p) => p !== undefined)];
	const ids = new Set<string>();
	for (const provider of providers) {
		if (ids.has(provider.id)) throw new IdentityConfigError(`two OpenID Connect providers have the id "${provider.id}"`);
		ids.add(provider.id);
	}
	return Object.freeze({ oidcProviders: Object.freeze(providers), mail: mailConfig(env) });
}
