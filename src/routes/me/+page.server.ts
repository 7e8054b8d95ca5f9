import { fail, redirect } from '@sveltejs/kit';
import { signInPath } from '#lib/protocol/sign-in-next.ts';
import { roleDescriptions } from '#lib/protocol/workspace.ts';
import { backend } from '#lib/server/backend.ts';
import { offersEmail } from '#lib/server/offers-email.ts';
import { describeAgent, ukDateTime } from '../access/format.ts';
import type { Actions, PageServerLoad } from './$types';
import { sentence } from '#lib/protocol/sentence.ts';

/** Who am I: name, department, role, the boards I can open, my sessions and my API tokens. */
export const load: PageServerLoad = async ({ locals, url, parent }) => {
	const { dateLocale } = await parent();
	const principal = locals.principal;
	if (!principal) redirect(303, signInPath(url));
	const { access } = backend();
	const [me, sessions, tokens, addEmail] = await Promise.all([
		access.me(principal),
		access.admin.listSessions(principal, { currentSessionId: locals.sessionId }),
		principal.kind === 'person' ? access.admin.listApiTokens(principal) : Promise.resolve([]),
		offersEmail(principal)
	]);
	return {
		me,
		addEmail,
		roleText: roleDescriptions[me.role],
		canHaveTokens: principal.kind === 'person',
		sessions: sessions.map((session) => ({ ...session, userAgent: describeAgent(session.userAgent), since: ukDateTime(session.createdAt, dateLocale), seen: ukDateTime(session.lastSeenAt, dateLocale) })),
		tokens: tokens
			.filter((token) => token.status === 'active')
			.map(({ id, name, createdAt, lastUsedAt }) => ({ id, name, created: ukDateTime(createdAt, dateLocale), used: lastUsedAt ? ukDateTime(lastUsedAt, dateLocale) : 'never' }))
	};
};

async function attempt(form: string, run: () => Promise<Record<string, unknown> | void>) {
	try {
		return { form, ok: true as const, ...(await run()) };
	} catch (error) {
		const failure = backend().failureOf(error);
		if (!failure) throw error;
		return fail(failure.status, { form, ok: false as const, message: sentence(failure.message) });
	}
}

export const actions: Actions = {
	revokeSession: async ({ request, locals, cookies }) => {
		const id = String((await request.formData()).get('id') ?? '');
		const result = await attempt('sessions', async () => {
			await backend().access.admin.revokeSession(locals.principal, id);
			return { message: 'That session has ended: that browser is signed out.' };
		});
		if (id === locals.sessionId && !('status' in result)) {
			cookies.delete('mc_session', { path: '/' });
			redirect(303, '/login');
		}
		return result;
	},
	createToken: async ({ request, locals }) => {
		const name = String((await request.formData()).get('name') ?? '').slice(0, 200);
		return attempt('tokens', async () => {
			const { apiToken, token } = await backend().access.admin.createApiToken(locals.principal, { name });
			return { message: `Token “${apiToken.name}” created. Copy it now: it is not shown again.`, secret: token };
		});
	},
	revokeToken: async ({ request, locals }) => {
		const id = String((await request.formData()).get('id') ?? '');
		return attempt('tokens', async () => {
			const revoked = await backend().access.admin.revokeApiToken(locals.principal, id);
			return { message: `Token “${revoked.name}” revoked: scripts using it are disconnected.` };
		});
	}
};
