/**
 * Reconnection back-off with full jitter: the n-th retry waits a random time between 0 and
 * min(cap, base × 2ⁿ), so a hundred walls that lost the same server do not come back in step.
 */
import { wallDefaults } from './wall-defaults.ts';

export function backoffDelay(attempt: number, options: { baseMs?: number; maxMs?: number; random?: () => number } = {}): number {
	const base = options.baseMs ?? wallDefaults.backoffBaseMs;
	const cap = options.maxMs ?? wallDefaults.backoffMaxMs;
	const random = options.random ?? Math.random;
	const ceiling = Math.min(cap, base * 2 ** Math.min(Math.max(attempt, 0), 20));
	// Never less than a tenth of the base, so a tight loop is impossible.
	return Math.max(base / 10, Math.round(random() * ceiling));
}
