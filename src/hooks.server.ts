import { error, redirect, type Handle, type HandleServerError, type RequestEvent } from '@sveltejs/kit';
import { sentence } from '#lib/protocol/sentence.ts';
import { sessionCookieName } from '#lib/protocol/session.ts';
import { apiError, errorResponse } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

const deviceCookie = 'mc_device';
const wallTokenParam = 'token';

/**
 * Security headers on every answer. The content-security policy of pages comes from
 * `kit.csp` in svelte.config.js (with per-response nonces); anything else gets a locked-down one.
 */
function secure(response: Response, event: RequestEvent): Response {
	const headers = response.headers;
	try {
		headers.set('x-content-type-options', 'nosniff');
		// Not no-referrer: Chromium then sends `Origin: null` on form posts and the CSRF check refuses them.
		headers.set('referrer-policy', 'same-origin');
		headers.set('x-frame-options', 'DENY');
		headers.set('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()');
		headers.set('cross-origin-opener-policy', 'same-origin');
		headers.set('cross-origin-resource-policy', 'same-origin');
		if (event.url.protocol === 'https:') headers.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
		if (!headers.has('content-security-policy')) headers.set('content-security-policy', "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
		// Pages and data for a signed-in person are theirs alone: never kept by a shared cache.
		if (event.locals.principal && !headers.has('cache-control')) headers.set('cache-control', 'private, no-store');
	} catch {
		// A response with immutable headers (a proxied fetch) is passed on as it is.
	}
	return response;
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => escapes[char] ?? char);

/** A refused page: a plain page with the status and a safe message (no details, no scripts). */
function refusedPage(event: RequestEvent, status: number, message: string): Response {
	const title = status === 404 ? 'Not found' : status === 403 ? 'Not allowed' : 'Sign in';
	const html = `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · Mission Control</title></head><body><main><h1>${title}</h1><p>${escapeHtml(sentence(message))}</p><p><a href="/">Go to your boards</a></p></main></body></html>`;
	return secure(new Response(html, { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } }), event);
}

function tooMany(event: RequestEvent, seconds: number): Response {
	const message = `Too many attempts from your network. Wait ${seconds} seconds and try again.`;
	if (event.url.pathname.startsWith('/api/')) return secure(errorResponse(apiError('rate_limited', message, { retryAfterSeconds: seconds })), event);
	return secure(new Response(message, { status: 429, headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': String(seconds) } }), event);
}

/**
 * Once per request: rate limits on sign-in attempts and bad credentials, a wall display's
 * `?token=` exchanged for its device cookie, who is asking (session cookie, device cookie or
 * bearer token), the access floor for board pages and APIs (server/access/http-guard.ts), and
 * security headers on the answer.
 */
export const handle: Handle = async ({ event, resolve }) => {
	const { access } = backend();
	const client = event.getClientAddress();
	const { pathname, searchParams } = event.url;
	const method = event.request.method;

	const signingIn = pathname === '/login' && (method === 'POST' || searchParams.has(wallTokenParam));
	const wallLink = method === 'GET' && pathname !== '/login' && searchParams.has(wallTokenParam);
	if (signingIn || wallLink) {
		const verdict = await access.limiter.take('signIn', client);
		if (!verdict.allowed) return tooMany(event, verdict.retryAfterSeconds);
	}

	if (wallLink) {
		const cookie = await access.deviceCookie(searchParams.get(wallTokenParam) ?? '');
		if (cookie) {
			event.cookies.set(cookie.name, cookie.value, { path: '/', httpOnly: true, sameSite: 'lax', secure: event.url.protocol === 'https:', maxAge: cookie.maxAgeSeconds });
			const clean = new URL(event.url);
			clean.searchParams.delete(wallTokenParam);
			redirect(303, `${clean.pathname}${clean.search}`);
		}
	}

	// A credential that verifies is always accepted; one that does not counts against the
	// address's and the credential id's budgets, and past either is answered 429 (server/access/admission.ts).
	const credentials = { authorization: event.request.headers.get('authorization') ?? undefined, cookie: event.request.headers.get('cookie') ?? undefined };
	const admitted = await access.admit(credentials, client);
	const authenticated = admitted.admitted ? admitted.authenticated : undefined;
	if (!admitted.admitted && admitted.reason !== 'absent') {
		// A stale cookie is dropped so it is not presented (and counted) again.
		if (!credentials.authorization) {
			if (event.cookies.get(sessionCookieName) !== undefined) event.cookies.delete(sessionCookieName, { path: '/' });
			if (event.cookies.get(deviceCookie) !== undefined) event.cookies.delete(deviceCookie, { path: '/' });
		}
		if (admitted.retryAfterSeconds > 0) return tooMany(event, admitted.retryAfterSeconds);
	}
	event.locals.principal = authenticated?.principal;
	event.locals.sessionId = authenticated?.sessionId;

	const refusal = await access.guardRequest({
		method,
		url: event.url,
		principal: authenticated?.principal,
		via: authenticated?.via,
		origin: event.request.headers.get('origin'),
		fetchSite: event.request.headers.get('sec-fetch-site')
	});
	if (refusal) {
		if (refusal.signIn) redirect(303, '/login');
		if (refusal.api) return secure(errorResponse(refusal.error), event);
		const { status, code, message } = refusal.error;
		// Client-side navigation asks for data: SvelteKit answers with its error page.
		if (event.isDataRequest) error(status, { message, code });
		return refusedPage(event, status, message);
	}

	return secure(await resolve(event), event);
};

/** An unexpected error: logged with its stack on the server, a plain message to the browser. */
export const handleError: HandleServerError = ({ error: failure, event, status }) => {
	if (status !== 404) backend().log.error({ err: failure, method: event.request.method, path: event.url.pathname }, 'request failed');
	return { message: status === 404 ? 'Not found' : 'Something went wrong on the server; it has been logged.', code: status === 404 ? 'not_found' : 'internal' };
};
