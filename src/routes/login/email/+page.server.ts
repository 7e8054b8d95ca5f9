import { fail, redirect } from '@sveltejs/kit';
import { sessionCookieName, sessionDefaults } from '#lib/protocol/session.ts';
import { safeNext } from '#lib/protocol/sign-in-next.ts';
import { backend } from '#lib/server/backend.ts';
import type { Actions, PageServerLoad } from './$types';
import { sentence } from '#lib/protocol/sentence.ts';

/**
 * The page an emailed sign-in link opens. Opening it signs nobody in: mail scanners fetch links
 * before people click them, so the person confirms with a button (a POST) that uses the link.
 */
export const load: PageServerLoad = ({ url }) => ({ token: url.searchParams.get('token') ?? '', next: safeNext(url.searchParams.get('next')) });

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const form = await request.formData();
		const token = form.get('token');
		try {
			const { cookieValue } = await backend().identity.signInWithEmailLink(typeof token === 'string' ? token : '', {
				address: getClientAddress(),
				userAgent: request.headers.get('user-agent') ?? undefined
			});
			cookies.set(sessionCookieName, cookieValue, { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', maxAge: Math.floor(sessionDefaults.idleTimeoutMs / 1000) });
		} catch (cause) {
			const failure = backend().failureOf(cause);
			if (!failure) throw cause;
			return fail(failure.status, { message: sentence(failure.message) });
		}
		redirect(303, safeNext(String(form.get('next') ?? '')) ?? '/');
	}
};
