/**
 * The two websocket doors. The `/yjs` upgrade check (the hub's `onAuthenticate`): who is asking, and what may they do with
 * this document. A board document (`board:<id>`) needs the board's access to be read or write;
 * any other document is for leads and the administrator only. Refused before any websocket exists.
 *
 * An unknown board and a board the caller may not see get the same 404 and body, so a person
 * cannot learn which boards exist. A credential a browser sends by itself (the session or device
 * cookie) must come with our own Origin (403 otherwise), and one principal or address holds at
 * most `ConnectionCaps` connections (429 past it): both checked by `Admission.admit`.
 */
import { boardIdOfDoc } from '#lib/protocol/doc-names.ts';
import { boardAccess, isLead } from '../auth/policy.ts';
import { canWrite, type Principal } from '../auth/principal.ts';
import { deviceCookieName, readCookie, sessionCookieName } from '../auth/sessions.ts';
import { UpgradeRejection, type Admission as DocAdmission, type HubHooks } from '../hub/hooks.ts';
import type { SocketAdmission } from '../rooms/room-server.ts';
import type { Admission } from './admission.ts';
import { clientAddress } from './client-address.ts';
import { notFoundMessages, signInRequired } from './errors.ts';
import { upgradeIsCrossSite } from './same-origin.ts';
import type { WorkspaceReader } from './workspace-reader.ts';

export const tooManyAttempts = 'too many attempts with a credential that is not valid; wait a minute and try again';
export const crossSiteUpgrade = 'a websocket signed in by cookie must be opened by a page of this site';
export const tooManyConnections = 'too many connections open at once; close some and try again';

export function hubAccess(options: { admission: Admission; workspace: WorkspaceReader }): HubHooks {
	const { admission, workspace } = options;
	return {
		async onAuthenticate({ docName, request, url }): Promise<DocAdmission> {
			const credentials = { authorization: request.headers.authorization, cookie: request.headers.cookie, queryToken: url.searchParams.get('token') };
			const admitted = await admission.admit(credentials, clientAddress(request, admission.proxy), request);
			if (!admitted.admitted) {
				if (admitted.reason === 'rate_limited') throw new UpgradeRejection('rate_limited', tooManyAttempts);
				if (admitted.reason === 'cross_site') throw new UpgradeRejection('forbidden', crossSiteUpgrade, 'cross_site');
				if (admitted.reason === 'too_many_connections') throw new UpgradeRejection('rate_limited', tooManyConnections, 'too_many_connections');
				throw new UpgradeRejection('unauthenticated', signInRequired);
			}
			// The place is given back when the connection's socket closes, however the upgrade ends.
			const { release } = admitted;
			if (request.socket.destroyed) release();
			else request.socket.once('close', release);
			return documentAccess(admitted.authenticated.principal, docName).catch((error: unknown) => {
				release();
				throw error;
			});
		}
	};

	async function documentAccess(principal: Principal, docName: string): Promise<DocAdmission> {
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

/**
 * The same rules for socket.io: a request carrying our cookies from another site is refused by
 * engine.io's `allowRequest` before the websocket exists (the token a script sends arrives only
 * later, in the handshake, so a foreign page must not bring our cookies at all); the handshake's
 * credential goes through the same `admit`.
 */
export function socketAdmission(options: { admission: Admission; origin: string | undefined }): SocketAdmission {
	const { admission } = options;
	return {
		refuseRequest(request) {
			const cookie = request.headers.cookie;
			const carriesOurCookies = readCookie(cookie, sessionCookieName) !== undefined || readCookie(cookie, deviceCookieName) !== undefined;
			const scripted = request.headers.authorization !== undefined || new URL(request.url ?? '/', 'http://localhost').searchParams.has('token');
			return carriesOurCookies && !scripted && upgradeIsCrossSite(request, options.origin) ? crossSiteUpgrade : undefined;
		},
		async admit(credentials, request) {
			const admitted = await admission.admit(credentials, clientAddress(request, admission.proxy), request);
			if (admitted.admitted) return { principal: admitted.authenticated.principal, release: admitted.release };
			if (admitted.reason === 'rate_limited' || admitted.reason === 'too_many_connections') return { code: admitted.reason, reason: admitted.reason };
			return { code: 'unauthenticated', reason: admitted.reason === 'cross_site' ? 'cross_site' : 'unauthenticated' };
		}
	};
}
