import { fail, redirect, type Cookies } from '@sveltejs/kit';
import { z } from 'zod';
import { sessionCookieName, sessionDefaults } from '#lib/protocol/session.ts';
import { safeNext } from '#lib/protocol/sign-in-next.ts';
import { backend } from '#lib/server/backend.ts';
import type { Actions, PageServerLoad } from './$types';
import { sentence } from '#lib/protocol/sentence.ts';

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

/** What went wrong with single sign-on (`?problem=<code>`): fixed messages, never text from the address. */
const problems: Record<string, string> = {
	provider_unavailable: 'That sign-in provider cannot be reached right now. Try again in a few minutes, or use another way to sign in.',
	sign_in_failed: 'Signing in did not work, or the sign-in had expired. Start again.',
	domain_not_allowed: 'Your email address is not at a domain allowed to sign in here. Ask a Missions Unit lead for an invite.',
	email_unverified: 'Your provider has not verified your email address (or did not give one). Verify it there, then sign in again.',
	not_configured: 'There is no such sign-in provider.'
};

/** The sign-in link `/login?token=…` exchanges the token for a session and drops it from the URL. */
export const load: PageServerLoad = async ({ url, cookies, request, locals }) => {
	const { identity } = backend();
	const signedOutOf = url.searchParams.get('signed_out');
	const next = safeNext(url.searchParams.get('next'));
	const page = {
		next,
		signedIn: Boolean(locals.principal),
		providers: identity.oidc.providers,
		emailSignIn: identity.emailLinks !== undefined,
		problem: problems[url.searchParams.get('problem') ?? ''],
		// After our sign-out, the provider's own sign-out (where it has one).
		providerSignOut: signedOutOf ? await providerSignOut(signedOutOf, url.origin) : undefined
	};
	const token = url.searchParams.get('token');
	if (token) {
		const parsed = tokenInput.safeParse(token);
		if (parsed.success && (await signIn(parsed.data, cookies, url, request.headers.get('user-agent')))) redirect(303, next ?? '/');
		return { ...page, failed: true };
	}
	return { ...page, failed: false };
};

async function providerSignOut(providerId: string, origin: string): Promise<{ name: string; url: string } | undefined> {
	const { oidc } = backend().identity;
	const provider = oidc.providers.find((candidate) => candidate.id === providerId);
	const url = provider && (await oidc.endSessionUrl(provider.id, `${origin}/login`));
	return provider && url ? { name: provider.name, url } : undefined;
}

export const actions: Actions = {
	email: async ({ request, getClientAddress }) => {
		const form = await request.formData();
		const email = form.get('email');
		try {
			await backend().identity.requestEmailLink(typeof email === 'string' ? email : '', { address: getClientAddress() }, safeNext(String(form.get('next') ?? '')));
		} catch (cause) {
			const failure = backend().failureOf(cause);
			if (!failure) throw cause;
			return fail(failure.status, { form: 'email' as const, error: sentence(failure.message) });
		}
		return { form: 'email' as const, sent: true };
	},
	token: async ({ request, cookies, url }) => {
		const form = await request.formData();
		const parsed = tokenInput.safeParse(form.get('token'));
		if (!parsed.success) return fail(400, { form: 'token' as const, error: parsed.error.issues[0]?.message ?? 'That is not a sign-in token.' });
		if (!(await signIn(parsed.data, cookies, url, request.headers.get('user-agent')))) return fail(401, { form: 'token' as const, error: 'That token is not valid (it may have been replaced).' });
		redirect(303, safeNext(String(form.get('next') ?? '')) ?? '/');
	}
};
