import type { Handle } from '@sveltejs/kit';
import { backend } from '#lib/server/backend.ts';

/** Resolves who is asking (session cookie or bearer token) once per request. */
export const handle: Handle = async ({ event, resolve }) => {
	const authenticated = await backend().auth.authenticate({
		authorization: event.request.headers.get('authorization') ?? undefined,
		cookie: event.request.headers.get('cookie') ?? undefined
	});
	event.locals.principal = authenticated?.principal;
	event.locals.sessionId = authenticated?.sessionId;
	const response = await resolve(event);
	response.headers.set('x-content-type-options', 'nosniff');
	// Not no-referrer: Chromium then sends `Origin: null` on form posts and the CSRF check refuses them.
	response.headers.set('referrer-policy', 'same-origin');
	response.headers.set('x-frame-options', 'DENY');
	response.headers.set('permissions-policy', 'camera=(), microphone=(), geolocation=()');
	return response;
};
