import { error, fail, redirect } from '@sveltejs/kit';
import { signInPath } from '#lib/protocol/sign-in-next.ts';
import { personRoles, roleDescriptions } from '#lib/protocol/workspace.ts';
import { backend } from '#lib/server/backend.ts';
import type { Actions, PageServerLoad } from './$types';
import { sentence } from '#lib/protocol/sentence.ts';

/** People and departments (leads): who is in which department with which role, and which boards each department joined. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const principal = locals.principal;
	if (!principal) redirect(303, signInPath(url));
	if (!backend().access.isLead(principal)) error(403, { message: 'Only Missions Unit leads can manage people.', code: 'forbidden' });
	const { access } = backend();
	const [people, departments, boards, invites] = await Promise.all([
		access.admin.listPeople(principal),
		access.workspace.listDepartments(),
		access.workspace.listBoards(),
		access.admin.listInvites(principal)
	]);
	const live = boards.filter((board) => !board.archived);
	return {
		roles: personRoles.map((role) => ({ role, text: roleDescriptions[role] })),
		departments: departments
			.sort((a, b) => a.name.localeCompare(b.name))
			.map((department) => ({
				id: department.id,
				name: department.name,
				code: department.code,
				archived: department.archived,
				boards: live.filter((board) => board.departmentIds.includes(department.id)).map(({ id, title }) => ({ id, title })),
				openInvites: invites.filter((invite) => invite.departmentId === department.id && invite.status === 'active').length,
				people: people
					.filter((person) => person.departmentId === department.id)
					.map(({ id, name, role, sessions }) => ({ id, name, role, sessions, me: principal.id === `person:${id}` }))
			})),
		/** People whose department no longer exists. */
		unplaced: people.filter((person) => !departments.some((department) => department.id === person.departmentId)).map(({ id, name, role, sessions }) => ({ id, name, role, sessions }))
	};
};

async function attempt(id: string, run: () => Promise<string>) {
	try {
		return { ok: true as const, target: id, message: await run() };
	} catch (cause) {
		const failure = backend().failureOf(cause);
		if (!failure) throw cause;
		return fail(failure.status, { ok: false as const, target: id, message: sentence(failure.message) });
	}
}

export const actions: Actions = {
	/** Changes a person's role (their open connections are re-checked at once). */
	setRole: async ({ request, locals }) => {
		const data = await request.formData();
		const id = String(data.get('id') ?? '');
		return attempt(id, async () => {
			const person = await backend().access.admin.updatePerson(locals.principal, id, { role: String(data.get('role') ?? '') });
			return `${person.name} is now ${person.role === 'editor' ? 'an' : 'a'} ${person.role}.`;
		});
	},
	/** Removes a person: their sessions and tokens end and their open tabs are signed out. */
	remove: async ({ request, locals }) => {
		const id = String((await request.formData()).get('id') ?? '');
		return attempt(id, async () => {
			const person = await backend().access.admin.getPerson(locals.principal, id);
			await backend().access.admin.removePerson(locals.principal, id);
			return `${person.name} was removed and signed out everywhere.`;
		});
	}
};
