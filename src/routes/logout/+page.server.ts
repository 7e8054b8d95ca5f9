import { redirect } from '@sveltejs/kit';
import { sessionCookieName } from '#lib/protocol/session.ts';
import { backend } from '#lib/server/backend.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ locals, cookies }) => {
		const { auth } = backend();
		// A session from single sign-on: the sign-in page then offers that provider's sign-out too.
		const signedInWith = locals.sessionId ? (await auth.session(locals.sessionId))?.signedInWith : undefined;
		if (locals.sessionId) await auth.signOut(locals.sessionId);
		cookies.delete(sessionCookieName, { path: '/' });
		const provider = signedInWith?.startsWith('oidc:') ? signedInWith.slice('oidc:'.length) : undefined;
		redirect(303, provider ? `/login?signed_out=${encodeURIComponent(provider)}` : '/login');
	}
};
