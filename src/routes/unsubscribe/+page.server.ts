import { fail } from '@sveltejs/kit';
import { backend } from '#lib/server/backend.ts';
import type { Actions, PageServerLoad } from './$types';
import { sentence } from '#lib/protocol/sentence.ts';

/** The link in every email: one button switches that person's emails off (no sign-in needed). */
export const load: PageServerLoad = ({ url }) => ({ token: url.searchParams.get('token') ?? '' });

export const actions: Actions = {
	default: async ({ request }) => {
		const token = (await request.formData()).get('token');
		try {
			await backend().notifications.unsubscribeWith(token);
		} catch (cause) {
			const failure = backend().failureOf(cause);
			if (!failure) throw cause;
			return fail(failure.status, { done: false, message: sentence(failure.message) });
		}
		return { done: true, message: 'Done: you will get no more emails from Mission Control. Notifications stay in your inbox, and you can turn emails back on in your settings.' };
	}
};
