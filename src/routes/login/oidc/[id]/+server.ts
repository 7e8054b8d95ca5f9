import { redirect } from '@sveltejs/kit';
import { backend } from '#lib/server/backend.ts';
import { identityFailure } from '../../../../../server/identity/identity-errors.ts';
import { oidcDefaults, oidcFlowCookieName } from '../../../../../server/identity/oidc-paths.ts';
import type { RequestHandler } from './$types';

/**
 * Starts single sign-on with one provider: the browser goes to the provider with a fresh state,
 * nonce and PKCE challenge, holding only a random cookie that ties the callback to it. A provider
 * that cannot be reached sends the person back to the sign-in page with a clear message.
 */
export const GET: RequestHandler = async ({ params, url, cookies }) => {
	let target: string;
	try {
		const { url: providerUrl, flowCookie } = await backend().identity.oidc.start(params.id, backend().identity.origin || url.origin);
		cookies.set(oidcFlowCookieName, flowCookie, { path: '/login/oidc', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', maxAge: oidcDefaults.flowValidForMs / 1000 });
		target = providerUrl;
	} catch (cause) {
		const failure = identityFailure(cause);
		if (!failure) throw cause;
		target = `/login?problem=${failure.code}`;
	}
	redirect(303, target);
};
