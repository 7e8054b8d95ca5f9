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
	/** The data is known to be current as at this time: now while live, else the last word of the connection that fell silent first. */
	asAt: number | undefined;
	/** No contact for longer than the threshold: show the full-screen banner. */
	stale: boolean;
};

export function freshnessOf(sources: readonly SourceFacts[], now: number, options: { startedAt: number; staleAfterMs?: number; liveWithinMs?: number }): FreshnessView {
	const staleAfter = options.staleAfterMs ?? wallDefaults.staleAfterMs;
	const liveWithin = options.liveWithinMs ?? wallDefaults.liveWithinMs;
	if (sources.length === 0) return { status: 'connecting', asAt: undefined, stale: now - options.startedAt >= staleAfter };
	// A connection that is up and spoke recently is current now; any other is current as at its last word.
	const current = (source: SourceFacts) => source.connected && source.lastContact !== undefined && now - source.lastContact <= liveWithin;
	const everyContacted = sources.every((source) => source.lastContact !== undefined);
	const asAt = everyContacted ? Math.min(...sources.map((source) => (current(source) ? now : source.lastContact!))) : undefined;
	const stale = now - (asAt ?? options.startedAt) >= staleAfter;
	if (!everyContacted) return { status: 'connecting', asAt, stale };
	return { status: sources.every(current) ? 'live' : 'reconnecting', asAt, stale };
}
