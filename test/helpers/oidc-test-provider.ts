/**
 * A real OpenID Connect provider in-process (`oidc-provider`, the certified OP library) for tests:
 * discovery, authorization with PKCE, signed ID tokens, single-use codes, end-session. Its login
 * screen is replaced by "sign in as whoever the test chose" (`signInAs`), so a test drives the whole
 * code flow over HTTP with `followToApp` (a cookie jar per browser, redirects by hand).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';

export interface TestAccount {
	email: string;
	email_verified: boolean;
	name: string;
}

export interface OidcTestProvider {
	issuer: string;
	clientId: string;
	clientSecret: string;
	/** The account the next sign-in completes as. */
	signInAs(account: TestAccount): void;
	/** Registers the app's callback (the app's port is known only after it started). */
	register(redirectUris: string[], postLogoutRedirectUris?: string[]): void;
	close(): Promise<void>;
}

export interface OidcTestProviderOptions {
	clientId?: string;
	clientSecret?: string;
	/** A fixed port (default: any free one). */
	port?: number;
	/** A login form asking for an address (to try sign-in by hand) instead of `signInAs`. */
	interactive?: boolean;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** The login form of the interactive provider: any address signs in, verified. */
async function interactiveLogin(provider: Provider, request: IncomingMessage, response: ServerResponse, accounts: Map<string, TestAccount>): Promise<void> {
	const details = await provider.interactionDetails(request, response);
	if (request.method === 'POST') {
		const chunks: Buffer[] = [];
		for await (const chunk of request) chunks.push(chunk as Buffer);
		const email = new URLSearchParams(Buffer.concat(chunks).toString()).get('email')?.trim().toLowerCase() ?? '';
		const name = email.split('@')[0]?.replace(/[._]/g, ' ').replace(/\b\w/g, (letter) => letter.toUpperCase()) ?? email;
		accounts.set(email, { email, email_verified: true, name });
		await provider.interactionFinished(request, response, { login: { accountId: email } }, { mergeWithLastSubmission: false });
		return;
	}
	response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
	response.end(`<!doctype html><html lang="en"><title>Test provider</title><main><h1>Test provider</h1><p>Sign in as any address (it counts as verified).</p><form method="post" action="/interaction/${escape(details.uid)}"><label>Email <input name="email" type="email" required autofocus></label> <button>Sign in</button></form></main></html>`);
}

export async function startOidcTestProvider(options: OidcTestProviderOptions = {}): Promise<OidcTestProvider> {
	const clientId = options.clientId ?? 'mission-control';
	const clientSecret = options.clientSecret ?? 'test-client-secret-0123456789';
	let handler: ((request: IncomingMessage, response: ServerResponse) => void) | undefined;
	const server: Server = createServer((request, response) => {
		if (handler) handler(request, response);
		else response.writeHead(503).end('provider not ready');
	});
	await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
	const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const accounts = new Map<string, TestAccount>();
	let next: TestAccount | undefined;

	return {
		issuer,
		clientId,
		clientSecret,
		signInAs(account) {
			next = account;
			accounts.set(account.email, account);
		},
		register(redirectUris, postLogoutRedirectUris = []) {
			const provider = new Provider(issuer, {
				clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: redirectUris, post_logout_redirect_uris: postLogoutRedirectUris, response_types: ['code'], grant_types: ['authorization_code'] }],
				claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
				cookies: { keys: ['oidc-test-provider-cookie-key'] },
				features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
				pkce: { required: () => true },
				findAccount: (_ctx: KoaContextWithOIDC, id: string) => {
					const account = accounts.get(id);
					return account ? { accountId: id, claims: () => ({ sub: id, ...account }) } : undefined;
				},
				// Consent is implied: every client gets the scopes it asks for.
				loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
					const accountId = ctx.oidc.session?.accountId;
					if (!accountId || !ctx.oidc.client) return undefined;
					const grant = new ctx.oidc.provider.Grant({ accountId, clientId: ctx.oidc.client.clientId });
					grant.addOIDCScope('openid email profile');
					await grant.save();
					return grant;
				},
				interactions: { url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) => `/interaction/${interaction.uid}` }
			});
			const callback = provider.callback();
			handler = (request, response) => {
				if (request.url?.startsWith('/interaction/')) {
					if (options.interactive) {
						interactiveLogin(provider, request, response, accounts).catch((error: unknown) => response.writeHead(500).end(String(error)));
						return;
					}
					if (!next) {
						response.writeHead(500).end('the test did not choose who signs in');
						return;
					}
					const accountId = next.email;
					provider.interactionFinished(request, response, { login: { accountId } }, { mergeWithLastSubmission: false }).catch((error: unknown) => {
						response.writeHead(500).end(String(error));
					});
					return;
				}
				callback(request, response);
			};
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

/** A browser's cookies for one site, by name. */
export class CookieJar {
	#cookies = new Map<string, string>();

	store(response: Response): void {
		for (const line of response.headers.getSetCookie()) {
			const [pair = ''] = line.split(';');
			const index = pair.indexOf('=');
			const name = pair.slice(0, index).trim();
			const value = pair.slice(index + 1).trim();
			if (/max-age=0|expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.#cookies.delete(name);
			else this.#cookies.set(name, value);
		}
	}

	get(name: string): string | undefined {
		return this.#cookies.get(name);
	}

	header(): string {
		return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
	}
}

/** One GET with the jar's cookies, no redirect followed. */
export async function getWithJar(url: string, jar: CookieJar): Promise<Response> {
	const response = await fetch(url, { redirect: 'manual', headers: jar.header() ? { cookie: jar.header() } : {} });
	jar.store(response);
	return response;
}

/**
 * Follows the provider's redirects (with the provider's cookies) until they lead back to the app;
 * returns the app's callback URL (with the code and state) without opening it.
 */
export async function followToApp(authorizeUrl: string, appOrigin: string, providerJar = new CookieJar()): Promise<string> {
	let url = authorizeUrl;
	for (let hop = 0; hop < 10; hop++) {
		const response = await getWithJar(url, providerJar);
		await response.arrayBuffer();
		const location = response.headers.get('location');
		if (!location) throw new Error(`the provider stopped at ${url} with HTTP ${response.status}`);
		url = new URL(location, url).href;
		if (url.startsWith(appOrigin)) return url;
	}
	throw new Error('too many redirects at the provider');
}
