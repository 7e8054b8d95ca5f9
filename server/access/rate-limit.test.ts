import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.ts';

describe('RateLimiter', () => {
	it('allows a burst, then refuses until attempts come back', () => {
		let now = 0;
		const limiter = new RateLimiter({ invite: { burst: 3, refillMs: 1_000 } }, () => now);
		expect([1, 2, 3].map(() => limiter.take('invite', '10.0.0.1'))).toEqual([true, true, true]);
		expect(limiter.take('invite', '10.0.0.1')).toBe(false);
		expect(limiter.retryAfterSeconds('invite', '10.0.0.1')).toBe(1);
		expect(limiter.take('invite', '10.0.0.2')).toBe(true);
		now += 1_000;
		expect(limiter.take('invite', '10.0.0.1')).toBe(true);
		expect(limiter.take('invite', '10.0.0.1')).toBe(false);
	});

	it('keeps rules apart and `allows` takes nothing', () => {
		const limiter = new RateLimiter({ signIn: { burst: 1, refillMs: 60_000 } }, () => 0);
		expect(limiter.allows('signIn', 'a')).toBe(true);
		expect(limiter.take('signIn', 'a')).toBe(true);
		expect(limiter.allows('signIn', 'a')).toBe(false);
		expect(limiter.take('invite', 'a')).toBe(true);
	});
});
