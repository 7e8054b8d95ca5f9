import { error, fail, redirect } from '@sveltejs/kit';
import { signInPath } from '#lib/protocol/sign-in-next.ts';
import { personRoles } from '#lib/protocol/workspace.ts';
import { backend } from '#lib/server/backend.ts';
import { describeAgent, ukDateTime } from '../../access/format.ts';
import type { Actions, PageServerLoad } from './$types';
import { sentence } from '#lib/protocol/sentence.ts';

/** One person (leads): name, department, role, where they are signed in, their API tokens. */
export const load: PageServerLoad = async ({ locals, params, url, parent }) => {
	const { dateLocale } = await parent();
	const principal = locals.principal;
	if (!principal) redirect(303, signInPath(url));
	if (!backend().access.isLead(principal)) error(403, { message: 'Only Missions Unit leads can manage people.', code: 'forbidden' });
	const { access } = backend();
	const person = await access.admin.getPerson(principal, params.id).catch((cause: unknown) => {
		if (backend().failureOf(cause)?.code === 'not_found') return undefined;
		throw cause;
	});
	if (!person) error(404, { message: 'There is no such person (they may have been removed).', code: 'not_found' });
	const [sessions, tokens, departments] = await Promise.all([
		access.admin.listSessions(principal, { personId: person.id }),
		access.admin.listApiTokens(principal, { principalId: person.principalId }),
		access.workspace.listDepartments()
	]);
	return {
		person: { id: person.id, name: person.name, role: person.role, departmentId: person.departmentId, joined: ukDateTime(person.createdAt, dateLocale), me: person.principalId === principal.id },
		roles: [...personRoles],
		departments: departments.filter((department) => !department.archived || department.id === person.departmentId).map(({ id, name, code }) => ({ id, name, code })),
		sessions: sessions.map(({ id, userAgent, createdAt, lastSeenAt }) => ({ id, userAgent: describeAgent(userAgent), since: ukDateTime(createdAt, dateLocale), seen: ukDateTime(lastSeenAt, dateLocale) })),
		tokens: tokens.filter((token) => token.status === 'active').map(({ id, name, createdAt, lastUsedAt }) => ({ id, name, created: ukDateTime(createdAt, dateLocale), used: lastUsedAt ? ukDateTime(lastUsedAt, dateLocale) : 'never' }))
	};
};

async function attempt(form: string, run: () => Promise<string>) {
	try {
		return { form, ok: true as const, message: await run() };
	} catch (cause) {
		const failure = backend().failureOf(cause);
		if (!failure) throw cause;
		return fail(failure.status, { form, ok: false as const, message: sentence(failure.message) });
	}
}

export const actions: Actions = {
	update: async ({ request, locals, params }) => {
		const data = await request.formData();
		return attempt('person', async () => {
			const person = await backend().access.admin.updatePerson(locals.principal, params.id, {
				name: String(data.get('name') ?? ''),
				role: String(data.get('role') ?? ''),
				departmentId: String(data.get('departmentId') ?? '')
			});
			return `Saved. ${person.name}'s open boards were re-checked against the new access.`;
		});
	},
	revokeSession: async ({ request, locals }) => {
		const id = String((await request.formData()).get('id') ?? '');
		return attempt('sessions', async () => {
			await backend().access.admin.revokeSession(locals.principal, id);
			return 'That session has ended: the browser was signed out.';
		});
	},
	revokeToken: async ({ request, locals }) => {
		const id = String((await request.formData()).get('id') ?? '');
		return attempt('tokens', async () => {
			const token = await backend().access.admin.revokeApiToken(locals.principal, id);
			return `Token “${token.name}” revoked.`;
		});
	},
	remove: async ({ locals, params }) => {
		const result = await attempt('remove', async () => {
			await backend().access.admin.removePerson(locals.principal, params.id);
			return 'Removed.';
		});
		if ('status' in result) return result;
		redirect(303, '/people');
	}
};
