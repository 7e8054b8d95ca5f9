import { error, fail, redirect } from '@sveltejs/kit';
import { signInPath } from '#lib/protocol/sign-in-next.ts';
import { personRoles } from '#lib/protocol/workspace.ts';
import { backend } from '#lib/server/backend.ts';
import { ukDateTime } from '../format.ts';
import type { Actions, PageServerLoad } from './$types';
import { sentence } from '#lib/protocol/sentence.ts';

/** The approval queue (leads): people who signed in through single sign-on and wait to be let in. */
export const load: PageServerLoad = async ({ locals, url, parent }) => {
	const { dateLocale } = await parent();
	const principal = locals.principal;
	if (!principal) redirect(303, signInPath(url));
	if (!backend().access.isLead(principal)) error(403, { message: 'Only Missions Unit leads can let people in.', code: 'forbidden' });
	const { identity, access } = backend();
	const [requests, departments] = await Promise.all([identity.requests.list(principal), access.workspace.listDepartments()]);
	return {
		roles: [...personRoles],
		departments: departments.filter((department) => !department.archived).sort((a, b) => a.name.localeCompare(b.name)).map(({ id, name, code }) => ({ id, name, code })),
		requests: requests.map((request) => ({ ...request, requested: ukDateTime(request.requestedAt, dateLocale) }))
	};
};

async function decide(request: Request, locals: App.Locals, decision: 'approve' | 'decline') {
	const data = await request.formData();
	const id = String(data.get('id') ?? '');
	const { requests } = backend().identity;
	try {
		if (decision === 'approve') {
			const person = await requests.approve(locals.principal, id, { departmentId: String(data.get('departmentId') ?? ''), role: String(data.get('role') ?? 'viewer') });
			return { ok: true as const, message: `${person.name} can now sign in.` };
		}
		await requests.decline(locals.principal, id);
		return { ok: true as const, message: 'Declined.' };
	} catch (cause) {
		const failure = backend().failureOf(cause);
		if (!failure) throw cause;
		return fail(failure.status, { ok: false as const, message: sentence(failure.message) });
	}
}

export const actions: Actions = {
	approve: ({ request, locals }) => decide(request, locals, 'approve'),
	decline: ({ request, locals }) => decide(request, locals, 'decline')
};
