import { entityId } from '#lib/protocol/workspace.ts';
import { backend } from '#lib/server/backend.ts';
import { staleAfterFromUrl } from '#lib/wall/wall-defaults.ts';
import type { PageServerLoad } from './$types';

const deviceCookiePattern = /(?:^|;\s*)mc_device=/;
/** Set by the wall page in a display's browser (not a credential): this browser was a wall display. */
const wallMarkerCookie = 'mc_wall';

/**
 * The wall screen. A wall display's `/wall?token=…` link has already been exchanged for its device
 * cookie (src/hooks.server.ts); any other token in the URL (the admin token, an API token) is
 * checked here and handed to the websockets. Never redirects to a login page: a revoked or
 * missing credential gets a plain message instead.
 */
export const load: PageServerLoad = async ({ url, locals, request, cookies }) => {
	const token = url.searchParams.get('token') ?? undefined;
	let principal = locals.principal;
	if (token) {
		principal = await backend().auth.principalFromToken(token);
		if (!principal) return { state: 'revoked' as const };
	}
	if (!principal) {
		const wasWall = deviceCookiePattern.test(request.headers.get('cookie') ?? '') || cookies.get(wallMarkerCookie) === '1';
		return { state: wasWall ? ('revoked' as const) : ('no-link' as const) };
	}
	const requested = entityId.safeParse(url.searchParams.get('mission'));
	const context = await backend().meetings.wallContext(principal, requested.success ? requested.data : undefined);
	if (!context) return { state: 'no-mission' as const };
	return {
		state: 'ok' as const,
		context,
		token,
		staleAfterMs: staleAfterFromUrl(url),
		selfId: principal.kind === 'wall' ? undefined : principal.id,
		wall: principal.kind === 'wall'
	};
};
