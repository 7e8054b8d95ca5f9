/**
 * The `/yjs` upgrade check (the hub's `onAuthenticate`): who is asking, and what may they do with
 * this document. A board document (`board:<id>`) needs the board's access to be read or write;
 * any other document is for leads and the administrator only. Refused before any websocket exists.
 *
 * An unknown board and a board the caller may not see get the same 404 and body, so a person
 * cannot learn which boards exist.
 */
import { boardIdOfDoc } from '#lib/protocol/doc-names.ts';
import type { Authenticator } from '../auth/authenticator.ts';
import { boardAccess, isLead } from '../auth/policy.ts';
import { canWrite } from '../auth/principal.ts';
import { UpgradeRejection, type Admission, type HubHooks } from '../hub/hooks.ts';
import { notFoundMessages, signInRequired } from './errors.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { WorkspaceReader } from './workspace-reader.ts';

export interface HubAccessOptions {
	auth: Authenticator;
	limiter: RateLimiter;
	workspace: WorkspaceReader;
}

export const tooManyAttempts = 'too many attempts with a credential that is not valid; wait a minute and try again';

export function hubAccess(options: HubAccessOptions): HubHooks {
	const { auth, limiter, workspace } = options;
	return {
		async onAuthenticate({ docName, request, url }): Promise<Admission> {
			const client = request.socket.remoteAddress ?? 'unknown';
			const credentials = { authorization: request.headers.authorization, cookie: request.headers.cookie, queryToken: url.searchParams.get('token') };
			const presented = auth.presents(credentials);
			if (presented && !limiter.allows('badCredential', client)) throw new UpgradeRejection(429, tooManyAttempts);
			const authenticated = await auth.authenticate(credentials);
			if (!authenticated) {
				if (presented) limiter.take('badCredential', client);
				throw new UpgradeRejection(401, signInRequired);
			}
			const principal = authenticated.principal;
			const boardId = boardIdOfDoc(docName);
			if (boardId === undefined) {
				if (!isLead(principal)) throw new UpgradeRejection(404, notFoundMessages.document);
				return { principal, readOnly: !canWrite(principal) };
			}
			const board = await workspace.getBoard(boardId);
			const level = board ? boardAccess(principal, board) : 'none';
			if (level === 'none') throw new UpgradeRejection(404, notFoundMessages.board);
			return { principal, readOnly: level !== 'write' };
		}
	};
}
