import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.ts';

describe('RateLimiter (in memory)', () => {
	it('allows a burst, then refuses with the seconds until the budget is back', async () => {
		const limiter = new RateLimiter({ invite: { burst: 3, refillMs: 1_000 } });
		const taken = [];
		for (let i = 0; i < 3; i++) taken.push((await limiter.take('invite', '10.0.0.1')).allowed);
		expect(taken).toEqual([true, true, true]);
		const refused = await limiter.take('invite', '10.0.0.1');
		expect(refused).toEqual({ allowed: false, retryAfterSeconds: 3 });
		expect((await limiter.take('invite', '10.0.0.2')).allowed).toBe(true);
	});

	it('keeps rules apart, and `check` takes nothing', async () => {
		const limiter = new RateLimiter({ signIn: { burst: 1, refillMs: 60_000 } });
		expect((await limiter.check('signIn', 'a')).allowed).toBe(true);
		expect((await limiter.take('signIn', 'a')).allowed).toBe(true);
		expect((await limiter.check('signIn', 'a')).allowed).toBe(false);
		expect((await limiter.take('invite', 'a')).allowed).toBe(true);
	});

	it('the budget comes back once its window has passed', async () => {
		const limiter = new RateLimiter({ signIn: { burst: 1, refillMs: 1_000 } });
		expect((await limiter.take('signIn', 'a')).allowed).toBe(true);
		expect((await limiter.take('signIn', 'a')).allowed).toBe(false);
		await new Promise((resolve) => setTimeout(resolve, 1_100));
		expect((await limiter.take('signIn', 'a')).allowed).toBe(true);
	});
});
