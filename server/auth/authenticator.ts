/**
 * Turns a request's credential (bearer token, `?token=`, or session cookie) into a Principal.
 * One seam for pages, the JSON API, `/yjs` upgrades and socket.io handshakes.
 */
import type { Store } from '../store/store.ts';
import { isAdminToken } from './admin-token.ts';
import { adminPrincipal, type Principal } from './principal.ts';
import { secretPattern } from './secrets.ts';
import { createSession, deleteSession, findSession, readCookie, sessionCookieName } from './sessions.ts';

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
	via: 'bearer' | 'query' | 'session';
	/** The session id (hash) when authenticated by cookie. */
	sessionId?: string;
}

/** Resolves a principal id (as kept in a session) to who it is now; undefined once removed. */
export type PrincipalResolver = (principalId: string) => Promise<Principal | undefined>;

/** A token type the access layer adds (API tokens, wall-display tokens). */
export type TokenResolver = (token: string) => Promise<Principal | undefined>;

export class Authenticator {
	#store: Store;
	#resolvers: PrincipalResolver[] = [];
	#tokenResolvers: TokenResolver[] = [];

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
	 * token is not valid. Wall-display tokens never make sessions.
	 */
	async signIn(token: string, userAgent?: string): Promise<{ cookieValue: string; principal: Principal } | undefined> {
		const principal = await this.principalFromToken(token);
		if (!principal || principal.kind === 'wall') return undefined;
		const { cookieValue } = await createSession(this.#store, principal.id, userAgent);
		return { cookieValue, principal };
	}

	async signOut(sessionId: string): Promise<void> {
		await deleteSession(this.#store, sessionId);
	}

	/** The first credential present decides: a wrong bearer token is not rescued by a cookie. */
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
		if (!cookieValue) return undefined;
		const session = await findSession(this.#store, cookieValue);
		if (!session) return undefined;
		const principal = await this.resolvePrincipal(session.principalId);
		if (!principal) return undefined;
		return { principal: { ...principal, credentialId: session.id }, via: 'session', sessionId: session.id };
	}
}
