import { fail, redirect } from '@sveltejs/kit';
import { signInPath } from '#lib/protocol/sign-in-next.ts';
import { backend } from '#lib/server/backend.ts';
import type { Actions, PageServerLoad } from './$types';
import { sentence } from '#lib/protocol/sentence.ts';

/** Only paths of this site: `next` comes from the address bar. */
function nextPath(url: URL): string {
	const next = url.searchParams.get('next') ?? '/';
	return next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** Asks a person who joined without an address for theirs, and sends a link that confirms it. */
export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.principal) redirect(303, signInPath(url));
	const { access, identity } = backend();
	const principal = locals.principal;
	const person = principal.kind === 'person' ? await access.people.get(principal.id.replace(/^person:/, '')) : undefined;
	return { next: nextPath(url), mail: Boolean(identity.emailLinks), email: person?.email };
};

export const actions: Actions = {
	default: async ({ request, locals, getClientAddress }) => {
		const email = String((await request.formData()).get('email') ?? '').slice(0, 320);
		try {
			await backend().identity.askToVerifyEmail(locals.principal, email, { address: getClientAddress() });
		} catch (cause) {
			const failure = backend().failureOf(cause);
			if (!failure) throw cause;
			return fail(failure.status, { email, message: sentence(failure.message) });
		}
		return { email, sent: true };
	}
};
