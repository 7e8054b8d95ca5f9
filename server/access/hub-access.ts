/**
 * The two websocket doors. The `/yjs` upgrade check (the hub's `onAuthenticate`): who is asking, and what may they do with
 * this document. A board document (`board:<id>`) needs the board's access to be read or write;
 * any other document is for leads and the administrator only. Refused before any websocket exists.
 *
 * An unknown board and a board the caller may not see get the same 404 and body, so a person
 * cannot learn which boards exist. A credential a browser sends by itself (the session or device
 * cookie) must come with our own Origin (403 otherwise), and one principal or address holds at
 * most `ConnectionCaps` connections (429 past it).
 */
import { boardIdOfDoc } from '#lib/protocol/doc-names.ts';
import { boardAccess, isLead } from '../auth/policy.ts';
import { canWrite, type Principal } from '../auth/principal.ts';
import { deviceCookieName, readCookie, sessionCookieName } from '../auth/sessions.ts';
import { UpgradeRejection, type Admission, type HubHooks } from '../hub/hooks.ts';
import type { SocketAdmission } from '../rooms/room-server.ts';
import { clientAddress, type TrustedProxy } from './client-address.ts';
import type { ConnectionCaps } from './connection-caps.ts';
import type { CredentialAttempts } from './credential-attempts.ts';
import { notFoundMessages, signInRequired } from './errors.ts';
import { sentByBrowser, upgradeIsCrossSite } from './same-origin.ts';
import type { WorkspaceReader } from './workspace-reader.ts';

export interface HubAccessOptions {
	attempts: CredentialAttempts;
	caps: ConnectionCaps;
	workspace: WorkspaceReader;
	proxy: TrustedProxy;
	/** ORIGIN, when configured: a cookie-authenticated upgrade must come from it. */
	origin: string | undefined;
}

export const tooManyAttempts = 'too many attempts with a credential that is not valid; wait a minute and try again';
export const crossSiteUpgrade = 'a websocket signed in by cookie must be opened by a page of this site';
export const tooManyConnections = 'too many connections open at once; close some and try again';

export function hubAccess(options: HubAccessOptions): HubHooks {
	const { attempts, workspace } = options;
	return {
		async onAuthenticate({ docName, request, url }): Promise<Admission> {
			const credentials = { authorization: request.headers.authorization, cookie: request.headers.cookie, queryToken: url.searchParams.get('token') };
			const address = clientAddress(request, options.proxy);
			const check = await attempts.check(credentials, address);
			if (check.outcome !== 'accepted') {
				if (check.outcome === 'refused' && check.retryAfterSeconds > 0) throw new UpgradeRejection('rate_limited', tooManyAttempts);
				throw new UpgradeRejection('unauthenticated', signInRequired);
			}
			const { principal, via } = check.authenticated;
			if (sentByBrowser(via) && upgradeIsCrossSite(request, options.origin)) throw new UpgradeRejection('forbidden', crossSiteUpgrade, 'cross_site');
			const admission = await admit(principal, docName);
			// The place is given back when the connection's socket closes, however the upgrade ends.
			const release = options.caps.reserve(principal.id, address);
			if (!release) throw new UpgradeRejection('rate_limited', tooManyConnections, 'too_many_connections');
			if (request.socket.destroyed) release();
			else request.socket.once('close', release);
			return admission;
		}
	};

	async function admit(principal: Principal, docName: string): Promise<Admission> {
		const boardId = boardIdOfDoc(docName);
		if (boardId === undefined) {
			if (!isLead(principal)) throw new UpgradeRejection('not_found', notFoundMessages.document);
			return { principal, readOnly: !canWrite(principal) };
		}
		const board = await workspace.getBoard(boardId);
		const level = board ? boardAccess(principal, board) : 'none';
		if (level === 'none') throw new UpgradeRejection('not_found', notFoundMessages.board);
		return { principal, readOnly: level !== 'write' };
	}
}

export interface SocketAdmissionOptions {
	attempts: CredentialAttempts;
	caps: ConnectionCaps;
	proxy: TrustedProxy;
	origin: string | undefined;
}

/**
 * The same rules for socket.io: a request carrying our cookies from another site is refused by
 * engine.io's `allowRequest` before the websocket exists (the token a script sends arrives only
 * later, in the handshake, so a foreign page must not bring our cookies at all); the handshake's
 * credential is checked with the same brute-force accounting; the connection takes a place under
 * the same caps.
 */
export function socketAdmission(options: SocketAdmissionOptions): SocketAdmission {
	const { attempts, caps, proxy } = options;
	return {
		refuseRequest(request) {
			const cookie = request.headers.cookie;
			const carriesOurCookies = readCookie(cookie, sessionCookieName) !== undefined || readCookie(cookie, deviceCookieName) !== undefined;
			const scripted = request.headers.authorization !== undefined || new URL(request.url ?? '/', 'http://localhost').searchParams.has('token');
			return carriesOurCookies && !scripted && upgradeIsCrossSite(request, options.origin) ? crossSiteUpgrade : undefined;
		},
		async admit(credentials, request) {
			const address = clientAddress(request, proxy);
			const check = await attempts.check(credentials, address);
			if (check.outcome !== 'accepted') {
				return check.outcome === 'refused' && check.retryAfterSeconds > 0 ? { code: 'rate_limited', reason: 'rate_limited' } : { code: 'unauthenticated', reason: 'unauthenticated' };
			}
			const { principal, via } = check.authenticated;
			if (sentByBrowser(via) && upgradeIsCrossSite(request, options.origin)) return { code: 'unauthenticated', reason: 'cross_site' };
			const release = caps.reserve(principal.id, address);
			if (!release) return { code: 'too_many_connections', reason: 'too_many_connections' };
			return { principal, release };
		}
	};
}
