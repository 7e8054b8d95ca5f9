/**
 * Rate limits by rule and key (an address, a credential id), built on `rate-limiter-flexible`:
 * in memory for one instance, in Redis when REDIS_URL is set, so N instances share one budget
 * rather than giving an attacker N of them. While Redis is unreachable each instance falls back
 * to its own memory (the library's insurance limiter): limits stay on, merely per instance.
 */
import { createRequire } from 'node:module';
import type * as Flexible from 'rate-limiter-flexible';
import type { RedisClient } from '../redis/redis-client.ts';

// The package's index requires every limiter it has (MongoDB, MySQL, DynamoDB, Prisma, etc.: 36
// files, 1.5 MB of heap held at rest, against 0.5 MB for these); these are its own files for the two
// limiters used here, typed by its index. RateLimiterRes is the same module the limiters reject with, so `instanceof` holds.
const requireFile = createRequire(import.meta.url);
const RateLimiterMemory = requireFile('rate-limiter-flexible/lib/RateLimiterMemory.js') as typeof Flexible.RateLimiterMemory;
const RateLimiterRes = requireFile('rate-limiter-flexible/lib/RateLimiterRes.js') as typeof Flexible.RateLimiterRes;
/** Loaded only with REDIS_URL. */
const redisLimiter = () => requireFile('rate-limiter-flexible/lib/RateLimiterRedis.js') as typeof Flexible.RateLimiterRedis;

export interface BucketRule {
	/** Attempts allowed at once. */
	burst: number;
	/** The budget comes back in full `burst × refillMs` after its first attempt (a fixed window). */
	refillMs: number;
}

export const rateLimitDefaults = {
	/** Opening or redeeming invite and join links, per address. */
	invite: { burst: 10, refillMs: 6_000 },
	/** Sign-in attempts with a token (`/login`), per address. */
	signIn: { burst: 10, refillMs: 6_000 },
	/** Credentials we do not accept, per address and per credential id (`<kind>.<id>`), counted apart. */
	badCredential: { burst: 30, refillMs: 2_000 }
} as const;

export type RateLimitRules = { invite: BucketRule; signIn: BucketRule; badCredential: BucketRule };
export type RateLimitRuleName = keyof RateLimitRules;

/** An attempt taken, or refused with the seconds until the next one is allowed (for Retry-After). */
export type RateVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiterOptions {
	/** With REDIS_URL: budgets live in Redis, shared by every instance. */
	redis?: RedisClient;
	/** Key prefix in Redis (tests run several workspaces on one server). */
	keyPrefix?: string;
}

const allowed: RateVerdict = { allowed: true };

function refused(result: Flexible.RateLimiterRes): RateVerdict {
	return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)) };
}

export class RateLimiter {
	readonly rules: Readonly<RateLimitRules>;
	readonly shared: boolean;
	#limiters: Record<RateLimitRuleName, Flexible.RateLimiterAbstract>;

	constructor(rules: Partial<RateLimitRules> = {}, options: RateLimiterOptions = {}) {
		this.rules = Object.freeze({ ...rateLimitDefaults, ...rules });
		this.shared = options.redis !== undefined;
		const make = (name: RateLimitRuleName): Flexible.RateLimiterAbstract => {
			const { burst, refillMs } = this.rules[name];
			const shape = { points: burst, duration: Math.max(1, Math.ceil((burst * refillMs) / 1000)), keyPrefix: `${options.keyPrefix ?? 'mc:rl'}:${name}` };
			if (!options.redis) return new RateLimiterMemory(shape);
			const RateLimiterRedis = redisLimiter();
			return new RateLimiterRedis({ ...shape, storeClient: options.redis, useRedisPackage: true, rejectIfRedisNotReady: true, insuranceLimiter: new RateLimiterMemory(shape) });
		};
		this.#limiters = { invite: make('invite'), signIn: make('signIn'), badCredential: make('badCredential') };
	}

	/** Takes one attempt of `rule` for `key`. */
	async take(rule: RateLimitRuleName, key: string): Promise<RateVerdict> {
		try {
			await this.#limiters[rule].consume(key, 1);
			return allowed;
		} catch (error) {
			if (error instanceof RateLimiterRes) return refused(error);
			throw error;
		}
	}

	/** Whether an attempt would be allowed now, without taking one. */
	async check(rule: RateLimitRuleName, key: string): Promise<RateVerdict> {
		const result = await this.#limiters[rule].get(key);
		if (!result || result.remainingPoints > 0) return allowed;
		return refused(result);
	}
}
