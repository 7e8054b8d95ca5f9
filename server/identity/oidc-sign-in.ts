/**
 * Single sign-on with OpenID Connect (authorization code flow with PKCE, state and nonce), through
 * `openid-client`, a certified relying-party library. Several providers at once; each is discovered
 * from its issuer when first used (a provider that is down is retried on the next attempt and harms
 * no other sign-in).
 *
 * The flow's secrets (state, nonce, PKCE verifier) stay on the server (collection `oidc-flows`,
 * keyed by the hash of a random id that the browser holds in the httpOnly `mc_oidc` cookie), for 10
 * minutes and one use: a replayed callback finds nothing. The library checks the state, the nonce,
 * the ID token's signature, issuer, audience and expiry, and exchanges the code with the verifier.
 *
 * Then: the address must be verified by the provider and at an allowed domain; a person with that
 * address is signed in; a new person joins their domain's department as a viewer, or waits in the
 * approval queue, as the provider's `newPeople` says.
 */
import type { Configuration } from 'openid-client';
import { z } from 'zod';
import { emailAddress, personName } from '#lib/protocol/workspace.ts';
import { hashSecret, randomSecret } from '../auth/secrets.ts';
import type { People } from '../access/people.ts';
import type { WorkspaceReader } from '../access/workspace-reader.ts';
import type { Logger } from '../log.ts';
import type { RecordStore } from '../store/store.ts';
import type { AccessRequests } from './access-requests.ts';
import type { OidcProviderConfig } from './identity-config.ts';
import { IdentityError } from './identity-errors.ts';
import { oidcCallbackPath, oidcDefaults, oidcStartPath } from './oidc-paths.ts';

export const oidcFlowCollection = 'oidc-flows';

const flowRecord = z.object({
	providerId: z.string(),
	state: z.string(),
	nonce: z.string(),
	codeVerifier: z.string(),
	redirectUri: z.string(),
	expiresAt: z.number().int()
});

export type OidcOutcome =
	| { kind: 'person'; personId: string; providerId: string }
	| { kind: 'waiting'; email: string; providerName: string };

/** What the sign-in page shows for each provider. */
export interface OidcProviderView {
	id: string;
	name: string;
	path: string;
}

/** Local test providers run on http://localhost; anything else must be https (openid-client's rule). */
function isLocalHttp(issuer: string): boolean {
	const url = new URL(issuer);
	return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

export interface OidcSignInParts {
	providers: readonly OidcProviderConfig[];
	store: RecordStore;
	people: People;
	workspace: WorkspaceReader;
	requests: AccessRequests;
	log: Logger;
}

/** openid-client (with oauth4webapi and jose) loads on the first sign-in, not at start: most deployments sign in otherwise. */
const openIdClient = () => import('openid-client');

export class OidcSignIn {
	#parts: OidcSignInParts;
	/** Discovered configurations; a failed discovery is forgotten so the next attempt tries again. */
	#configurations = new Map<string, Promise<Configuration>>();

	constructor(parts: OidcSignInParts) {
		this.#parts = parts;
	}

	get providers(): OidcProviderView[] {
		return this.#parts.providers.map((provider) => ({ id: provider.id, name: provider.name, path: oidcStartPath(provider.id) }));
	}

	#provider(id: string): OidcProviderConfig {
		const provider = this.#parts.providers.find((candidate) => candidate.id === id);
		if (!provider) throw new IdentityError('not_configured', 'There is no such sign-in provider.');
		return provider;
	}

	#configuration(provider: OidcProviderConfig): Promise<Configuration> {
		let pending = this.#configurations.get(provider.id);
		if (!pending) {
			pending = openIdClient().then((client) =>
				client.discovery(new URL(provider.issuer), provider.clientId, provider.clientSecret, undefined, {
					timeout: oidcDefaults.requestTimeoutSeconds,
					execute: isLocalHttp(provider.issuer) ? [client.allowInsecureRequests] : []
				})
			);
			this.#configurations.set(provider.id, pending);
			pending.catch(() => this.#configurations.delete(provider.id));
		}
		return pending.catch((error: unknown) => {
			this.#parts.log.warn({ provider: provider.id, err: error }, 'sign-in provider unreachable');
			throw new IdentityError('provider_unavailable', `${provider.name} cannot be reached right now. Try again in a few minutes, or use another way to sign in.`, { cause: error });
		});
	}

	/**
	 * Starts a sign-in: resolves the provider's address to send the browser to, and the value of the
	 * `mc_oidc` cookie that ties the callback to this browser.
	 */
	async start(providerId: string, origin: string): Promise<{ url: string; flowCookie: string }> {
		const provider = this.#provider(providerId);
		const configuration = await this.#configuration(provider);
		const client = await openIdClient();
		const codeVerifier = client.randomPKCECodeVerifier();
		const state = client.randomState();
		const nonce = client.randomNonce();
		const redirectUri = `${origin}${oidcCallbackPath(provider.id)}`;
		const flowCookie = randomSecret();
		await this.#parts.store.putRecord(oidcFlowCollection, hashSecret(flowCookie), {
			providerId: provider.id,
			state,
			nonce,
			codeVerifier,
			redirectUri,
			expiresAt: Date.now() + oidcDefaults.flowValidForMs
		});
		const url = client.buildAuthorizationUrl(configuration, {
			redirect_uri: redirectUri,
			scope: provider.scopes,
			code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
			code_challenge_method: 'S256',
			state,
			nonce
		});
		this.#sweep().catch((error: unknown) => this.#parts.log.warn({ err: error }, 'sweeping sign-in flows failed'));
		return { url: url.href, flowCookie };
	}

	/** Ends a sign-in at the callback: who this is, or that they wait for a lead. */
	async finish(providerId: string, callbackUrl: URL, flowCookie: string | undefined): Promise<OidcOutcome> {
		const provider = this.#provider(providerId);
		const flow = await this.#takeFlow(flowCookie);
		if (!flow || flow.providerId !== provider.id) throw new IdentityError('sign_in_failed', 'This sign-in has expired or was already used. Start again.');
		const configuration = await this.#configuration(provider);
		// The provider's own error (the person cancelled, the client is misconfigured) comes back here.
		const providerError = callbackUrl.searchParams.get('error');
		if (providerError) {
			this.#parts.log.info({ provider: provider.id, error: providerError.slice(0, 80) }, 'sign-in refused by the provider');
			throw new IdentityError('sign_in_failed', `${provider.name} did not sign you in. Start again, or use another way to sign in.`);
		}
		let claims: Record<string, unknown> | undefined;
		const client = await openIdClient();
		try {
			const tokens = await client.authorizationCodeGrant(configuration, new URL(callbackUrl.pathname + callbackUrl.search, flow.redirectUri), {
				pkceCodeVerifier: flow.codeVerifier,
				expectedState: flow.state,
				expectedNonce: flow.nonce,
				idTokenExpected: true
			});
			const idToken = tokens.claims();
			// Some providers (GOV.UK One Login among them) give the address only from the userinfo
			// endpoint; the library checks that its subject is the ID token's.
			claims = idToken && idToken[provider.emailClaim] === undefined ? { ...(await client.fetchUserInfo(configuration, tokens.access_token, idToken.sub)), ...idToken } : idToken;
		} catch (error) {
			this.#parts.log.warn({ provider: provider.id, err: error instanceof Error ? { name: error.name, code: (error as { code?: unknown }).code, message: error.message } : String(error) }, 'sign-in callback refused');
			throw new IdentityError('sign_in_failed', `Signing in with ${provider.name} did not work. Start again.`, { cause: error });
		}
		if (!claims) throw new IdentityError('sign_in_failed', `${provider.name} did not say who you are. Start again.`);
		return this.#admit(provider, claims);
	}

	/** The provider's sign-out address, when it has one (the page offers it after our sign-out). */
	async endSessionUrl(providerId: string, postLogoutRedirectUri: string): Promise<string | undefined> {
		const provider = this.#parts.providers.find((candidate) => candidate.id === providerId);
		if (!provider) return undefined;
		try {
			const configuration = await this.#configuration(provider);
			if (!configuration.serverMetadata().end_session_endpoint) return undefined;
			const client = await openIdClient();
			return client.buildEndSessionUrl(configuration, { client_id: provider.clientId, post_logout_redirect_uri: postLogoutRedirectUri }).href;
		} catch {
			return undefined;
		}
	}

	async #admit(provider: OidcProviderConfig, claims: Record<string, unknown>): Promise<OidcOutcome> {
		const { people, requests, workspace, log } = this.#parts;
		const email = emailAddress.safeParse(claims[provider.emailClaim]);
		if (!email.success) throw new IdentityError('email_unverified', `${provider.name} did not give an email address, so we cannot tell who you are.`);
		const verified = claims[provider.emailVerifiedClaim];
		if (verified !== true && verified !== 'true') {
			log.info({ provider: provider.id }, 'sign-in refused: email not verified by the provider');
			throw new IdentityError('email_unverified', `${provider.name} has not verified your email address. Verify it there, then sign in again.`);
		}
		const domain = email.data.split('@')[1] ?? '';
		if (!provider.allowedDomains.includes(domain)) {
			log.info({ provider: provider.id, domain }, 'sign-in refused: domain not allowed');
			throw new IdentityError('domain_not_allowed', `Addresses at ${domain} cannot sign in here with ${provider.name}. Ask a Missions Unit lead for an invite.`);
		}
		const existing = await people.findByEmail(email.data);
		if (existing) return { kind: 'person', personId: existing.id, providerId: provider.id };
		const name = personName.safeParse(claims[provider.nameClaim]);
		const displayName = name.success ? name.data : (email.data.split('@')[0] ?? email.data);
		const departmentId = provider.departments[domain];
		const department = departmentId ? await workspace.getDepartment(departmentId) : undefined;
		if (provider.newPeople === 'viewer' && department && !department.archived) {
			const person = await people.create({ name: displayName, email: email.data, departmentId: department.id, role: 'viewer' }, `oidc:${provider.id}`);
			log.info({ provider: provider.id, person: person.id, department: department.id }, 'person joined through single sign-on');
			return { kind: 'person', personId: person.id, providerId: provider.id };
		}
		await requests.ask({ email: email.data, name: displayName, provider: provider.name, departmentId: department?.id });
		return { kind: 'waiting', email: email.data, providerName: provider.name };
	}

	/** The flow behind a cookie, removed as it is read (one use; two callbacks cannot both win). */
	async #takeFlow(flowCookie: string | undefined): Promise<z.infer<typeof flowRecord> | undefined> {
		if (!flowCookie || !/^[A-Za-z0-9_-]{32,86}$/.test(flowCookie)) return undefined;
		const id = hashSecret(flowCookie);
		const raw = await this.#parts.store.getRecord(oidcFlowCollection, id);
		const parsed = flowRecord.safeParse(raw);
		if (!parsed.success) return undefined;
		if (!(await this.#parts.store.compareAndSetRecord(oidcFlowCollection, id, raw, undefined))) return undefined;
		return Date.now() < parsed.data.expiresAt ? parsed.data : undefined;
	}

	async #sweep(): Promise<void> {
		const now = Date.now();
		for (const { id, value } of await this.#parts.store.listRecords(oidcFlowCollection)) {
			const parsed = flowRecord.safeParse(value);
			if (!parsed.success || parsed.data.expiresAt < now) await this.#parts.store.compareAndSetRecord(oidcFlowCollection, id, value, undefined);
		}
	}
}
