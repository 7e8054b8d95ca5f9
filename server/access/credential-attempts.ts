/**
 * Brute-force accounting for credentials, the same at every door (HTTP, `/yjs` upgrades,
 * socket.io handshakes). A credential that verifies is always accepted: nobody is locked out by
 * someone else's failures, even behind a proxy that gives everyone one address. A credential
 * that does not verify counts against two budgets kept apart: the client's address and the
 * credential's id (`<kind>.<id>` of a token we issued), so guessing one token's secret from many
 * addresses is limited too. Past either budget a failure is answered 429 with Retry-After
 * instead of 401. Our secrets are 256-bit, so it is not the budget that stops guessing; it keeps
 * a flood visible (`mc_rejected_total{reason="rate_limited"}`) and tells the client to stop.
 */
import type { Authenticated, Authenticator, Credentials } from '../auth/authenticator.ts';
import { deviceCookieName, readCookie, sessionCookieName } from '../auth/sessions.ts';
import type { RateLimiter } from './rate-limit.ts';

export type CredentialCheck =
	| { outcome: 'accepted'; authenticated: Authenticated }
	/** No credential at all: not an attempt. */
	| { outcome: 'absent' }
	/** `retryAfterSeconds` is 0 for a plain 401, else the budget is spent (429). */
	| { outcome: 'refused'; retryAfterSeconds: number };

const issuedIdPattern = /^(mci|mcw|mct)\.([A-Za-z0-9_-]{6,40})\./;

/**
 * The id of the credential that decides (the order `Authenticator.authenticate` uses), when it is
 * one we issue (`<kind>.<id>.<secret>`); undefined for session cookies and the admin token.
 */
export function presentedCredentialId(credentials: Credentials): string | undefined {
	let token: string | undefined;
	if (credentials.authorization) token = /^Bearer\s+(\S+)$/i.exec(credentials.authorization)?.[1];
	else if (credentials.queryToken) token = credentials.queryToken;
	else if (readCookie(credentials.cookie, sessionCookieName) === undefined) token = readCookie(credentials.cookie, deviceCookieName);
	const match = token ? issuedIdPattern.exec(token) : null;
	return match ? `${match[1]}.${match[2]}` : undefined;
}

export class CredentialAttempts {
	#auth: Authenticator;
	#limiter: RateLimiter;

	constructor(auth: Authenticator, limiter: RateLimiter) {
		this.#auth = auth;
		this.#limiter = limiter;
	}

	/** Authenticates a request from `client` (its address), counting a failure against both budgets. */
	async check(credentials: Credentials, client: string): Promise<CredentialCheck> {
		const authenticated = await this.#auth.authenticate(credentials);
		if (authenticated) return { outcome: 'accepted', authenticated };
		if (!this.#auth.presents(credentials)) return { outcome: 'absent' };
		const id = presentedCredentialId(credentials);
		const verdicts = await Promise.all([this.#limiter.take('badCredential', `address:${client}`), ...(id ? [this.#limiter.take('badCredential', `credential:${id}`)] : [])]);
		const retryAfterSeconds = Math.max(0, ...verdicts.map((verdict) => (verdict.allowed ? 0 : verdict.retryAfterSeconds)));
		return { outcome: 'refused', retryAfterSeconds };
	}
}
