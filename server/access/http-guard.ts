/**
 * The check every HTTP request passes before SvelteKit routes it (called from `src/hooks.server.ts`):
 * - a board's pages and API (`/boards/<id>…`, `/api/boards/<id>…`) need the board's access to be
 *   read (any method) or write (anything but GET/HEAD/OPTIONS; leads may also change a read-only,
 *   archived board's settings); an unknown board and a board the caller may not see are the same 404;
 * - a wall display never changes anything over HTTP;
 * - a request authenticated by cookie that changes something must come from our own origin (CSRF:
 *   SvelteKit checks form posts; this covers JSON and every other content type too).
 * Routes still check what they do; this is the floor no route can forget.
 */
import type { Principal } from '../auth/principal.ts';
import { boardAccess, canComment, isLead } from '../auth/policy.ts';
import { AccessError, notFoundMessages, signInRequired } from './errors.ts';
import { isCrossSite, sentByBrowser } from './same-origin.ts';
import type { WorkspaceReader } from './workspace-reader.ts';

export interface GuardedRequest {
	method: string;
	url: URL;
	principal: Principal | undefined;
	/** How the principal was authenticated: cookies need the same-origin check. */
	via: 'bearer' | 'query' | 'session' | 'device' | undefined;
	/** The Origin header, if any. */
	origin: string | null;
	/** The Sec-Fetch-Site header, if any. */
	fetchSite: string | null;
}

/** Why a request is refused, whether it was for the JSON API, and whether a page should send the caller to sign in. */
export type Refusal = { error: AccessError; api: boolean; signIn?: boolean };

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
/** `POST /api/boards/:id/:register/:ref/comments`, the route an adviser may write to. */
const commentPathPattern = /^\/api\/boards\/[A-Za-z0-9_-]{6,40}\/[a-z]+\/[^/]+\/comments\/?$/;
const boardPathPattern = /^\/(api\/)?boards\/([A-Za-z0-9_-]{6,40})(?:\/|$)/;

export function isSafeMethod(method: string): boolean {
	return safeMethods.has(method.toUpperCase());
}

/** The board a path belongs to, and whether it is the JSON API. */
export function boardOfPath(pathname: string): { boardId: string; api: boolean } | undefined {
	const match = boardPathPattern.exec(pathname);
	return match ? { boardId: match[2] ?? '', api: match[1] !== undefined } : undefined;
}

export async function guardRequest(workspace: WorkspaceReader, request: GuardedRequest): Promise<Refusal | undefined> {
	const { method, url, principal, via } = request;
	const api = url.pathname === '/api' || url.pathname.startsWith('/api/');
	const safe = isSafeMethod(method);
	if (!safe && sentByBrowser(via)) {
		if (isCrossSite(request.origin, request.fetchSite, (origin) => origin === url.origin)) return { error: new AccessError('forbidden', 'cross-site requests are not allowed'), api };
	}
	if (!safe && principal?.kind === 'wall') return { error: new AccessError('read_only', 'a wall display can only read'), api };
	const target = boardOfPath(url.pathname);
	if (!target) return undefined;
	if (!principal) return { error: new AccessError('unauthenticated', signInRequired), api: target.api, signIn: !target.api };
	const board = await workspace.getBoard(target.boardId);
	const level = board ? boardAccess(principal, board) : 'none';
	if (level === 'none') return { error: new AccessError('not_found', notFoundMessages.board), api: target.api };
	// Leads manage boards even when they are read-only (unarchive, delete, departments); the
	// workspace service still refuses record changes on an archived board.
	// An adviser's one write: a comment through the API's comment route (`canComment`); the
	// workspace service checks it again.
	if (method.toUpperCase() === 'POST' && target.api && commentPathPattern.test(url.pathname) && board && canComment(principal, board)) return undefined;
	if (!safe && level !== 'write' && !isLead(principal)) {
		return { error: new AccessError('read_only', board?.archived ? 'this board is archived: it is read-only' : 'you can read this board but not change it'), api: target.api };
	}
	return undefined;
}
