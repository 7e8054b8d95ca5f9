import { fail, redirect, type Cookies } from '@sveltejs/kit';
import { z } from 'zod';
import { sessionCookieName, sessionDefaults } from '#lib/protocol/session.ts';
import { backend } from '#lib/server/backend.ts';
import type { Actions, PageServerLoad } from './$types';

const tokenInput = z.string().trim().min(16, 'That is not a sign-in token.').max(256, 'That is not a sign-in token.');

async function signIn(token: string, cookies: Cookies, url: URL, userAgent: string | null): Promise<boolean> {
	const signedIn = await backend().auth.signIn(token, userAgent?.slice(0, 300));
	if (!signedIn) return false;
	cookies.set(sessionCookieName, signedIn.cookieValue, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		maxAge: Math.floor(sessionDefaults.idleTimeoutMs / 1000)
	});
	return true;
}

/** The sign-in link `/login?token=…` exchanges the token for a session and drops it from the URL. */
export const load: PageServerLoad = async ({ url, cookies, request, locals }) => {
	const token = url.searchParams.get('token');
	if (token) {
		const parsed = tokenInput.safeParse(token);
		if (parsed.success && (await signIn(parsed.data, cookies, url, request.headers.get('user-agent')))) redirect(303, '/');
		return { signedIn: Boolean(locals.principal), failed: true };
	}
	return { signedIn: Boolean(locals.principal), failed: false };
};

export const actions: Actions = {
	default: async ({ request, cookies, url }) => {
		const form = await request.formData();
		const parsed = tokenInput.safeParse(form.get('token'));
		if (!parsed.success) return fail(400, { error: parsed.error.issues[0]?.message ?? 'That is not a sign-in token.' });
		if (!(await signIn(parsed.data, cookies, url, request.headers.get('user-agent')))) return fail(401, { error: 'That token is not valid (it may have been replaced).' });
		redirect(303, '/');
	}
};
