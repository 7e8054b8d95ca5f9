import { redirect } from '@sveltejs/kit';
import { sessionCookieName } from '#lib/protocol/session.ts';
import { backend } from '#lib/server/backend.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ locals, cookies }) => {
		if (locals.sessionId) await backend().auth.signOut(locals.sessionId);
		cookies.delete(sessionCookieName, { path: '/' });
		redirect(303, '/login');
	}
};
