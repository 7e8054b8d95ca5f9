/**
 * The same-origin rule for credentials a browser attaches by itself (the session and device
 * cookies): a request that uses one to change something over HTTP, or to open a websocket, must
 * come from our own origin. Bearer and `?token=` credentials are never sent by a browser on its
 * own, so they need no origin (scripts, wall links).
 */
import type { IncomingMessage } from 'node:http';

/** How a request was authenticated; cookies are the ones a browser sends by itself. */
export function sentByBrowser(via: 'bearer' | 'query' | 'session' | 'device' | undefined): boolean {
	return via === 'session' || via === 'device';
}

/**
 * Whether a request comes from another site: its Origin (`null` included) is not `ours`, or it
 * has no Origin and the browser says `Sec-Fetch-Site: cross-site`. A client that sends neither is
 * not a browser acting for someone else.
 */
export function isCrossSite(origin: string | null | undefined, fetchSite: string | null | undefined, ours: (origin: string) => boolean): boolean {
	if (origin !== null && origin !== undefined) return !ours(origin);
	return fetchSite === 'cross-site';
}

/**
 * Whether an upgrade request (`/yjs`, socket.io) comes from another site. With ORIGIN configured
 * the Origin must be exactly it; without, its host must be the Host the request was sent to
 * (behind a TLS-terminating proxy the scheme differs, the host does not).
 */
export function upgradeIsCrossSite(request: IncomingMessage, configuredOrigin: string | undefined): boolean {
	const header = (name: string) => {
		const value = request.headers[name];
		return Array.isArray(value) ? value[0] : value;
	};
	return isCrossSite(header('origin'), header('sec-fetch-site'), (origin) => {
		if (configuredOrigin) return origin === configuredOrigin;
		try {
			return new URL(origin).host === request.headers.host;
		} catch {
			return false;
		}
	});
}
