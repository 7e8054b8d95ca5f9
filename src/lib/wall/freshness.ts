/**
 * How fresh what the wall shows is, from plain facts: for each connection (socket.io, one per
 * board document), whether it is up and when it last heard from the server. Pure, so every state
 * is testable; `Freshness` (freshness.svelte.ts) feeds it a clock.
 */
import { wallDefaults } from './wall-defaults.ts';

export type SourceFacts = {
	connected: boolean;
	/** Last message from the server on this connection (epoch ms); undefined before the first. */
	lastContact: number | undefined;
};

export const freshnessStatuses = ['connecting', 'live', 'reconnecting'] as const;
export type FreshnessStatus = (typeof freshnessStatuses)[number];

export type FreshnessView = {
	status: FreshnessStatus;
	/** The data is known to be current as at this time: the oldest last contact of any connection. */
	asAt: number | undefined;
	/** No contact for longer than the threshold: show the full-screen banner. */
	stale: boolean;
};

export function freshnessOf(sources: readonly SourceFacts[], now: number, options: { startedAt: number; staleAfterMs?: number; liveWithinMs?: number }): FreshnessView {
	const staleAfter = options.staleAfterMs ?? wallDefaults.staleAfterMs;
	const liveWithin = options.liveWithinMs ?? wallDefaults.liveWithinMs;
	if (sources.length === 0) return { status: 'connecting', asAt: undefined, stale: now - options.startedAt >= staleAfter };
	const everyContacted = sources.every((source) => source.lastContact !== undefined);
	const asAt = everyContacted ? Math.min(...sources.map((source) => source.lastContact!)) : undefined;
	const since = asAt ?? options.startedAt;
	const stale = now - since >= staleAfter;
	if (!everyContacted) return { status: 'connecting', asAt, stale };
	const allUp = sources.every((source) => source.connected);
	return { status: allUp && now - since <= liveWithin ? 'live' : 'reconnecting', asAt, stale };
}
