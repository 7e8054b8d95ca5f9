/**
 * Named defaults of the wall screen, with their units. A test may shorten `staleAfterMs` through
 * the wall URL (`&staleAfter=<seconds>`); nothing else is tunable from the URL.
 */
export const wallDefaults = {
	/** No contact for this long: the full-screen "not live since" banner. */
	staleAfterMs: 60_000,
	/** Contact within this long (and every connection up) counts as live. */
	liveWithinMs: 25_000,
	/** The wall asks socket.io for the server's clock this often (proof of contact). */
	heartbeatMs: 5_000,
	/** A heartbeat unanswered for this long: the socket is reconnected. */
	heartbeatTimeoutMs: 8_000,
	/** Each board connection re-asks the server for its state this often (a sync step 1): proof of contact, and a resync. */
	resyncIntervalMs: 10_000,
	/** A board connection without any message for this long is reopened. */
	boardSilenceMs: 25_000,
	/** Reconnection back-off: first delay and cap (full jitter in between). */
	backoffBaseMs: 500,
	backoffMaxMs: 10_000,
	/** The clock the indicator and the rotation run on. */
	tickMs: 1_000,
	/** Two ticks further apart than this: the machine slept; reconnect everything at once. */
	sleepGapMs: 15_000,
	/** Records are re-read at most this often while a board is changing. */
	refreshMs: 150
} as const;

/** The stale threshold from the URL (`staleAfter` in seconds, 1–3600), else the default. */
export function staleAfterFromUrl(url: URL): number {
	const raw = url.searchParams.get('staleAfter');
	const seconds = raw === null ? NaN : Number(raw);
	return Number.isInteger(seconds) && seconds >= 1 && seconds <= 3600 ? seconds * 1000 : wallDefaults.staleAfterMs;
}
