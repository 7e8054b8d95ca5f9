/** The session cookie: a random id, httpOnly, SameSite=Lax; the server keeps only its hash. */
export const sessionCookieName = 'mc_session';

export const sessionDefaults = {
	/** A session not used for this long ends; each use extends it. */
	idleTimeoutMs: 30 * 24 * 60 * 60 * 1000,
	/** lastSeenAt is written at most this often, so reads stay reads. */
	touchIntervalMs: 5 * 60 * 1000
} as const;
