/**
 * In-memory token buckets per key (route + client address), one set per backend instance.
 * Several instances each keep their own: an attacker gets at most N times the budget, which is
 * still far too little to guess a 256-bit secret.
 */
export interface BucketRule {
	/** Attempts allowed at once. */
	burst: number;
	/** One attempt comes back every this many milliseconds. */
	refillMs: number;
}

export const rateLimitDefaults = {
	/** Opening or redeeming invite and join links, per address. */
	invite: { burst: 10, refillMs: 6_000 },
	/** Sign-in attempts with a token (`/login`), per address. */
	signIn: { burst: 10, refillMs: 6_000 },
	/** Requests and upgrades that present a credential we do not accept, per address. */
	badCredential: { burst: 30, refillMs: 2_000 },
	/** Past this many buckets, full ones are forgotten. */
	maxBuckets: 10_000
} as const;

export type RateLimitRules = { invite: BucketRule; signIn: BucketRule; badCredential: BucketRule };
export type RateLimitRuleName = keyof RateLimitRules;

interface Bucket {
	tokens: number;
	updatedAt: number;
}

export class RateLimiter {
	readonly rules: Readonly<RateLimitRules>;
	#buckets = new Map<string, Bucket>();
	#now: () => number;

	constructor(rules: Partial<RateLimitRules> = {}, now: () => number = Date.now) {
		this.rules = Object.freeze({ invite: rateLimitDefaults.invite, signIn: rateLimitDefaults.signIn, badCredential: rateLimitDefaults.badCredential, ...rules });
		this.#now = now;
	}

	/** Takes one attempt; false when the budget is spent (the caller answers 429). */
	take(rule: RateLimitRuleName, client: string): boolean {
		const bucket = this.#refilled(rule, client);
		if (bucket.tokens < 1) return false;
		bucket.tokens -= 1;
		return true;
	}

	/** Whether an attempt would be allowed now, without taking one. */
	allows(rule: RateLimitRuleName, client: string): boolean {
		return this.#refilled(rule, client).tokens >= 1;
	}

	/** Seconds until the next attempt is allowed (for Retry-After). */
	retryAfterSeconds(rule: RateLimitRuleName, client: string): number {
		const bucket = this.#refilled(rule, client);
		if (bucket.tokens >= 1) return 0;
		return Math.max(1, Math.ceil(((1 - bucket.tokens) * this.rules[rule].refillMs) / 1000));
	}

	#refilled(rule: RateLimitRuleName, client: string): Bucket {
		const { burst, refillMs } = this.rules[rule];
		const key = `${rule}\u0000${client}`;
		const now = this.#now();
		let bucket = this.#buckets.get(key);
		if (!bucket) {
			if (this.#buckets.size >= rateLimitDefaults.maxBuckets) this.#forgetFull();
			bucket = { tokens: burst, updatedAt: now };
			this.#buckets.set(key, bucket);
			return bucket;
		}
		bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updatedAt) / refillMs);
		bucket.updatedAt = now;
		return bucket;
	}

	#forgetFull(): void {
		const now = this.#now();
		for (const [key, bucket] of this.#buckets) {
			const rule = this.rules[key.slice(0, key.indexOf('\u0000')) as RateLimitRuleName];
			if (!rule || bucket.tokens + (now - bucket.updatedAt) / rule.refillMs >= rule.burst) this.#buckets.delete(key);
		}
		// Still full of active buckets (an attack from many addresses): start over rather than grow.
		if (this.#buckets.size >= rateLimitDefaults.maxBuckets) this.#buckets.clear();
	}
}
