import { redirect } from '@sveltejs/kit';
import { safeNext } from '#lib/protocol/sign-in-next.ts';
import { backend } from '#lib/server/backend.ts';
import { oidcNextCookie } from './next-cookie.ts';
import type { RequestHandler } from './$types';

/**
 * Starts single sign-on with one provider: the browser goes to the provider with a fresh state,
 * nonce and PKCE challenge, holding only a random cookie that ties the callback to it. A provider
 * that cannot be reached sends the person back to the sign-in page with a clear message. A local
 * `?next=` path is kept beside it, for the callback to land there.
 */
export const GET: RequestHandler = async ({ params, url, cookies }) => {
	let target: string;
	try {
		const { identity } = backend();
		const { url: providerUrl, flowCookie } = await identity.oidc.start(params.id, identity.origin || url.origin);
		cookies.set(identity.oidcFlowCookie.name, flowCookie, { path: '/login/oidc', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', maxAge: identity.oidcFlowCookie.maxAgeSeconds });
		const next = safeNext(url.searchParams.get('next'));
		if (next) cookies.set(oidcNextCookie, next, { path: '/login/oidc', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', maxAge: identity.oidcFlowCookie.maxAgeSeconds });
		else cookies.delete(oidcNextCookie, { path: '/login/oidc' });
		target = providerUrl;
	} catch (cause) {
		const failure = backend().failureOf(cause);
		if (!failure) throw cause;
		target = `/login?problem=${failure.code}`;
	}
	redirect(303, target);
};
