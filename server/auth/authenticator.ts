/**
 * Turns a request's credential (bearer token, `?token=`, or session cookie) into a Principal.
 * One seam for pages, the JSON API, `/yjs` upgrades and socket.io handshakes.
 */
import type { Store } from '../store/store.ts';
import { isAdminToken } from './admin-token.ts';
import { adminPrincipal, type Principal } from './principal.ts';
import { secretPattern } from './secrets.ts';
import { createSession, deleteSession, deviceCookieName, findSession, getSession, readCookie, sessionCookieName, type Session } from './sessions.ts';

export interface Credentials {
	/** The Authorization header. */
	authorization?: string | undefined;
	/** The Cookie header. */
	cookie?: string | undefined;
	/** `?token=` from the URL: accepted on websockets and the sign-in link only. */
	queryToken?: string | null | undefined;
}

export interface Authenticated {
	principal: Principal;
	/** `device`: a wall display's device cookie. */
	via: 'bearer' | 'query' | 'session' | 'device';
	/** The session id (hash) when authenticated by cookie. */
	sessionId?: string;
}

/** Resolves a principal id (as kept in a session) to who it is now; undefined once removed. */
export type PrincipalResolver = (principalId: string) => Promise<Principal | undefined>;

/** A token type the access layer adds (API tokens, wall-display tokens). */
export type TokenResolver = (token: string) => Promise<Principal | undefined>;

/** A credential that just stopped working (sign-out, revocation): the access layer closes its connections. */
export interface Revocation {
	/** Sessions (hashed ids) or token records that ended. */
	credentialIds: readonly string[];
	reason: 'signed_out' | 'revoked' | 'removed';
}
export type RevocationListener = (revocation: Revocation) => void;

export class Authenticator {
	#store: Store;
	#resolvers: PrincipalResolver[] = [];
	#tokenResolvers: TokenResolver[] = [];
	#revocationListeners: RevocationListener[] = [];

	constructor(store: Store) {
		this.#store = store;
		this.#tokenResolvers.push(async (token) => ((await isAdminToken(store, token)) ? adminPrincipal : undefined));
		this.#resolvers.push(async (id) => (id === adminPrincipal.id ? adminPrincipal : undefined));
	}

	addPrincipalResolver(resolver: PrincipalResolver): void {
		this.#resolvers.push(resolver);
	}

	addTokenResolver(resolver: TokenResolver): void {
		this.#tokenResolvers.push(resolver);
	}

	/** Called whenever a credential ends (sign-out, revoked session or token, removed person). */
	onRevoked(listener: RevocationListener): void {
		this.#revocationListeners.push(listener);
	}

	/** Announces that credentials ended; listeners close the live connections made with them. */
	revoked(revocation: Revocation): void {
		if (revocation.credentialIds.length === 0) return;
		for (const listener of this.#revocationListeners) listener(revocation);
	}

	async principalFromToken(token: string): Promise<Principal | undefined> {
		if (!secretPattern.test(token)) return undefined;
		for (const resolve of this.#tokenResolvers) {
			const principal = await resolve(token);
			if (principal) return principal;
		}
		return undefined;
	}

	async resolvePrincipal(principalId: string): Promise<Principal | undefined> {
		for (const resolve of this.#resolvers) {
			const principal = await resolve(principalId);
			if (principal) return principal;
		}
		return undefined;
	}

	/**
	 * Exchanges a sign-in token for a new session; returns the cookie value, or undefined when the
	 * token is not valid. Wall-display and API tokens never make sessions (revoking them must end
	 * everything they opened).
	 */
	async signIn(token: string, userAgent?: string): Promise<{ cookieValue: string; principal: Principal } | undefined> {
		const principal = await this.principalFromToken(token);
		if (!principal || principal.kind === 'wall' || principal.kind === 'api-token') return undefined;
		const { cookieValue } = await createSession(this.#store, principal.id, userAgent);
		return { cookieValue, principal };
	}

	/** Makes a session for a principal the access layer admitted (an invite redeemed, a sign-in link, single sign-on). */
	async startSession(principalId: string, userAgent?: string, signedInWith?: string): Promise<{ cookieValue: string; sessionId: string }> {
		const { cookieValue, session } = await createSession(this.#store, principalId, userAgent, signedInWith);
		return { cookieValue, sessionId: session.id };
	}

	/** A live session by its id (the hash of its cookie). */
	session(sessionId: string): Promise<Session | undefined> {
		return getSession(this.#store, sessionId);
	}

	async signOut(sessionId: string): Promise<void> {
		await deleteSession(this.#store, sessionId);
		this.revoked({ credentialIds: [sessionId], reason: 'signed_out' });
	}

	/** Whether a request carries any credential at all (a failed one counts against rate limits). */
	presents(credentials: Credentials): boolean {
		return Boolean(
			credentials.authorization ||
				credentials.queryToken ||
				readCookie(credentials.cookie, sessionCookieName) !== undefined ||
				readCookie(credentials.cookie, deviceCookieName) !== undefined
		);
	}

	/**
	 * The first credential present decides: a wrong bearer token is not rescued by a cookie.
	 * Order: Authorization, `?token=`, the session cookie, a wall display's device cookie.
	 */
	async authenticate(credentials: Credentials): Promise<Authenticated | undefined> {
		const bearer = /^Bearer\s+(\S+)$/i.exec(credentials.authorization ?? '')?.[1];
		if (credentials.authorization) {
			const principal = bearer ? await this.principalFromToken(bearer) : undefined;
			return principal && { principal, via: 'bearer' };
		}
		if (credentials.queryToken) {
			const principal = await this.principalFromToken(credentials.queryToken);
			return principal && { principal, via: 'query' };
		}
		const cookieValue = readCookie(credentials.cookie, sessionCookieName);
		if (!cookieValue) {
			const deviceToken = readCookie(credentials.cookie, deviceCookieName);
			if (!deviceToken) return undefined;
			const principal = await this.principalFromToken(deviceToken);
			return principal?.kind === 'wall' ? { principal, via: 'device' } : undefined;
		}
		const session = await findSession(this.#store, cookieValue);
		if (!session) return undefined;
		const principal = await this.resolvePrincipal(session.principalId);
		if (!principal) return undefined;
		return { principal: { ...principal, credentialId: session.id }, via: 'session', sessionId: session.id };
	}
}
