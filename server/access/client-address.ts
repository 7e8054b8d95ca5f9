/**
 * The client's address for rate limits and connection caps. Behind a proxy every connection comes
 * from the proxy: with `ADDRESS_HEADER` (and `XFF_DEPTH` for `x-forwarded-for`) configured, as for
 * adapter-node's pages, websocket upgrades read the same header, the same way.
 */
import type { IncomingMessage } from 'node:http';

export interface TrustedProxy {
	/** The header the proxy puts the client's address in, lower case; undefined = no proxy. */
	addressHeader: string | undefined;
	/** For `x-forwarded-for`: which address from the right is the client's (1 = the last). */
	xffDepth: number;
}

export function clientAddress(request: IncomingMessage, proxy: TrustedProxy): string {
	const direct = request.socket.remoteAddress ?? 'unknown';
	if (!proxy.addressHeader) return direct;
	const raw = request.headers[proxy.addressHeader];
	const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
	if (!value) return direct;
	if (proxy.addressHeader !== 'x-forwarded-for') return value;
	const addresses = value.split(',').map((address) => address.trim());
	return addresses[Math.max(0, addresses.length - proxy.xffDepth)] ?? direct;
}
