import { redirect } from '@sveltejs/kit';
import { sessionCookieName, sessionDefaults } from '#lib/protocol/session.ts';
import { safeNext } from '#lib/protocol/sign-in-next.ts';
import { backend } from '#lib/server/backend.ts';
import { oidcNextCookie } from '../next-cookie.ts';
import type { RequestHandler } from './$types';

/**
 * Ends single sign-on: the provider sends the browser back here with a code. Signed in: the page
 * asked for before signing in (`next`), else home.
 * Waiting for a lead: the waiting page. Anything wrong (a tampered state, a replayed code, a wrong
 * nonce, a domain not allowed, an unverified address, the provider down): the sign-in page with a
 * fixed message for that case, and no session.
 */
export const GET: RequestHandler = async ({ params, url, cookies, request }) => {
	const { name } = backend().identity.oidcFlowCookie;
	const flowCookie = cookies.get(name);
	cookies.delete(name, { path: '/login/oidc' });
	const next = safeNext(cookies.get(oidcNextCookie));
	cookies.delete(oidcNextCookie, { path: '/login/oidc' });
	let target: string;
	try {
		const outcome = await backend().identity.finishOidc(params.id, url, flowCookie, request.headers.get('user-agent') ?? undefined);
		if (outcome.kind === 'waiting') {
			target = '/login/waiting';
		} else {
			cookies.set(sessionCookieName, outcome.signedIn.cookieValue, { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', maxAge: Math.floor(sessionDefaults.idleTimeoutMs / 1000) });
			target = next ?? '/';
		}
	} catch (cause) {
		const failure = backend().failureOf(cause);
		if (!failure) throw cause;
		target = `/login?problem=${failure.code}`;
	}
	redirect(303, target);
};
