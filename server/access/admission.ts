/**
 * The one check at every door (HTTP requests, `/yjs` upgrades, socket.io handshakes): who is
 * asking, with brute-force accounting of credentials that do not verify (`credential-attempts.ts`);
 * for a websocket also the origin of a cookie-signed upgrade and a place under the connection caps.
 * Built before the hub and socket.io, which take its door checks in their constructors.
 */
import type { IncomingMessage } from 'node:http';
import type { Authenticated, Authenticator, Credentials } from '../auth/authenticator.ts';
import type { Config } from '../config.ts';
import type { HubHooks } from '../hub/hooks.ts';
import type { RedisClient } from '../redis/redis-client.ts';
import type { SocketAdmission } from '../rooms/room-server.ts';
import type { TrustedProxy } from './client-address.ts';
import { ConnectionCaps } from './connection-caps.ts';
import { CredentialAttempts } from './credential-attempts.ts';
import { hubAccess, socketAdmission } from './hub-access.ts';
import { RateLimiter, type RateLimitRules } from './rate-limit.ts';
import { sentByBrowser, upgradeIsCrossSite } from './same-origin.ts';
import type { WorkspaceReader } from './workspace-reader.ts';

/** Why a door refuses: `absent` is no credential at all (anonymous over HTTP, refused on a websocket). */
export type RefusalReason = 'absent' | 'unauthenticated' | 'rate_limited' | 'cross_site' | 'too_many_connections';

export type Admitted =
	/** `release` gives back the connection's place (a no-op for HTTP). */
	| { admitted: true; authenticated: Authenticated; release: () => void }
	/** `retryAfterSeconds` is set when the credential budget is spent (429 with Retry-After). */
	| { admitted: false; reason: RefusalReason; retryAfterSeconds: number };

export interface AdmissionOptions {
	auth: Authenticator;
	/** ORIGIN, the trusted proxy's address header and the connection caps. */
	config: Pick<Config, 'origin' | 'addressHeader' | 'xffDepth' | 'maxConnectionsPerPrincipal' | 'maxConnectionsPerAddress'>;
	rateLimits?: Partial<RateLimitRules>;
	/** With REDIS_URL: a connection of its own where rate-limit budgets are kept (closed by `close`). */
	redis?: RedisClient;
	/** Board access of a `/yjs` document. */
	workspace: WorkspaceReader;
}

const nothingToRelease = () => {};

export class Admission {
	/** Rate limits by rule: bad credentials here, sign-in and invite attempts in their routes. */
	readonly limiter: RateLimiter;
	readonly proxy: TrustedProxy;
	/** The `/yjs` door: the hub's `onAuthenticate` (first in the hub's hooks). */
	readonly hubHooks: HubHooks;
	/** The socket.io door: engine.io's `allowRequest` and the handshake check. */
	readonly socketAdmission: SocketAdmission;
	#attempts: CredentialAttempts;
	#caps: ConnectionCaps;
	#origin: string | undefined;
	#redis: RedisClient | undefined;

	constructor(options: AdmissionOptions) {
		const { config } = options;
		this.#redis = options.redis;
		this.#origin = config.origin;
		this.limiter = new RateLimiter(options.rateLimits, { redis: options.redis });
		this.#attempts = new CredentialAttempts(options.auth, this.limiter);
		this.#caps = new ConnectionCaps({ perPrincipal: config.maxConnectionsPerPrincipal, perAddress: config.maxConnectionsPerAddress });
		this.proxy = { addressHeader: config.addressHeader, xffDepth: config.xffDepth };
		this.hubHooks = hubAccess({ admission: this, workspace: options.workspace });
		this.socketAdmission = socketAdmission({ admission: this, origin: config.origin });
	}

	/**
	 * Checks the credentials a client at `address` presents. With `upgrade` (a websocket): a
	 * credential the browser sends by itself must come from our origin, and the connection takes a
	 * place under the caps until `release`.
	 */
	async admit(credentials: Credentials, address: string, upgrade?: IncomingMessage): Promise<Admitted> {
		const check = await this.#attempts.check(credentials, address);
		if (check.outcome === 'absent') return { admitted: false, reason: 'absent', retryAfterSeconds: 0 };
		if (check.outcome === 'refused') return { admitted: false, reason: check.retryAfterSeconds > 0 ? 'rate_limited' : 'unauthenticated', retryAfterSeconds: check.retryAfterSeconds };
		const { authenticated } = check;
		if (!upgrade) return { admitted: true, authenticated, release: nothingToRelease };
		if (sentByBrowser(authenticated.via) && upgradeIsCrossSite(upgrade, this.#origin)) return { admitted: false, reason: 'cross_site', retryAfterSeconds: 0 };
		const release = this.#caps.reserve(authenticated.principal.id, address);
		if (!release) return { admitted: false, reason: 'too_many_connections', retryAfterSeconds: 0 };
		return { admitted: true, authenticated, release };
	}

	/** Closes the rate limits' Redis connection. */
	async close(): Promise<void> {
		const redis = this.#redis;
		this.#redis = undefined;
		if (redis?.isOpen) await redis.close();
	}
}
