/**
 * Websocket close codes the server uses on `/yjs` connections (4000–4999 are application codes).
 * The browser client turns each into a message a person understands.
 */
export const closeCodes = {
	/** The server is shutting down or restarting; reconnect. (RFC 6455 "going away") */
	goingAway: 1001,
	/** A message larger than the limit. (RFC 6455 "message too big") */
	messageTooBig: 1009,
	/** A frame that is not a valid y-websocket message. */
	malformedMessage: 4400,
	/** The credential was revoked or the session ended: sign in again. */
	signedOut: 4401,
	/** Access to this document was withdrawn (department removed from the board). */
	accessRevoked: 4403,
	/** What this connection may do changed (role or board access): reconnect to get the new rights. */
	accessChanged: 4409,
	/**
	 * A change was refused (it would delete or rewrite a protected log, or forge an author); the close
	 * reason says why. The page drops its local copy and reloads the board from the server.
	 */
	changeRefused: 4422,
	/** The peer read too slowly: its send buffer passed the limit. It may reconnect and resync. */
	slowConsumer: 4429
} as const;

export type CloseCode = (typeof closeCodes)[keyof typeof closeCodes];

export const closeReasons: Record<CloseCode, string> = {
	1001: 'server going away',
	1009: 'message too big',
	4400: 'malformed message',
	4401: 'signed out',
	4403: 'access revoked',
	4409: 'access changed',
	4422: 'change refused',
	4429: 'slow consumer'
};

/** Close codes after which a client should not reconnect by itself. */
export const terminalCloseCodes: ReadonlySet<number> = new Set([closeCodes.signedOut, closeCodes.accessRevoked]);
