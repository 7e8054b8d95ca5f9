import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';
import { freshnessOf } from './freshness.ts';
import { staleAfterFromUrl, wallDefaults } from './wall-defaults.ts';

const startedAt = 1_000_000;

describe('wall freshness', () => {
	it('is connecting until every connection has heard from the server', () => {
		expect(freshnessOf([], startedAt, { startedAt })).toEqual({ status: 'connecting', asAt: undefined, stale: false });
		const half = [{ connected: true, lastContact: startedAt + 10 }, { connected: false, lastContact: undefined }];
		expect(freshnessOf(half, startedAt + 20, { startedAt })).toMatchObject({ status: 'connecting', asAt: undefined, stale: false });
		expect(freshnessOf(half, startedAt + wallDefaults.staleAfterMs, { startedAt }).stale).toBe(true);
	});

	it('is live while every connection is up and has spoken recently', () => {
		const sources = [{ connected: true, lastContact: startedAt + 5_000 }, { connected: true, lastContact: startedAt + 9_000 }];
		expect(freshnessOf(sources, startedAt + 10_000, { startedAt })).toEqual({ status: 'live', asAt: startedAt + 10_000, stale: false });
		// Heartbeats come every few seconds: a threshold shorter than their gap must not raise the banner while live.
		expect(freshnessOf(sources, startedAt + 10_000, { startedAt, staleAfterMs: 3_000 }).stale).toBe(false);
		// Up, but silent for longer than liveWithinMs: not live any more.
		const silent = freshnessOf(sources, startedAt + 5_000 + wallDefaults.liveWithinMs + 1, { startedAt });
		expect(silent).toMatchObject({ status: 'reconnecting', asAt: startedAt + 5_000 });
	});

	it('says reconnecting as soon as one connection drops, as at its last contact, and goes stale after the threshold', () => {
		const sources = [{ connected: false, lastContact: startedAt + 3_000 }, { connected: true, lastContact: startedAt + 9_000 }];
		expect(freshnessOf(sources, startedAt + 9_500, { startedAt })).toEqual({ status: 'reconnecting', asAt: startedAt + 3_000, stale: false });
		expect(freshnessOf(sources, startedAt + 3_000 + 2_999, { startedAt, staleAfterMs: 3_000 }).stale).toBe(false);
		expect(freshnessOf(sources, startedAt + 3_000 + 3_000, { startedAt, staleAfterMs: 3_000 }).stale).toBe(true);
	});

	it('takes the banner threshold from the URL only when it is sane', () => {
		expect(staleAfterFromUrl(new URL('http://x/wall?staleAfter=3'))).toBe(3_000);
		expect(staleAfterFromUrl(new URL('http://x/wall'))).toBe(wallDefaults.staleAfterMs);
		expect(staleAfterFromUrl(new URL('http://x/wall?staleAfter=0'))).toBe(wallDefaults.staleAfterMs);
		expect(staleAfterFromUrl(new URL('http://x/wall?staleAfter=2.5'))).toBe(wallDefaults.staleAfterMs);
		expect(staleAfterFromUrl(new URL('http://x/wall?staleAfter=abc'))).toBe(wallDefaults.staleAfterMs);
	});
});

describe('reconnection back-off', () => {
	it('grows with each attempt, is jittered, and never passes the cap', () => {
		const top = (attempt: number) => backoffDelay(attempt, { random: () => 1 });
		expect(top(0)).toBe(wallDefaults.backoffBaseMs);
		expect(top(1)).toBe(wallDefaults.backoffBaseMs * 2);
		expect(top(3)).toBe(wallDefaults.backoffBaseMs * 8);
		expect(top(50)).toBe(wallDefaults.backoffMaxMs);
		expect(backoffDelay(50, { random: () => 0.5 })).toBe(wallDefaults.backoffMaxMs / 2);
		// Full jitter has a floor, so retries never spin.
		expect(backoffDelay(4, { random: () => 0 })).toBe(wallDefaults.backoffBaseMs / 10);
	});
});
