import { error, fail, redirect } from '@sveltejs/kit';
import { signInPath } from '#lib/protocol/sign-in-next.ts';
import { inviteLimits, personRoles, roleDescriptions } from '#lib/protocol/workspace.ts';
import { backend } from '#lib/server/backend.ts';
import { ukDateTime } from '../format.ts';
import type { Actions, PageServerLoad } from './$types';
import { sentence } from '#lib/protocol/sentence.ts';

const expiryChoices = [
	{ hours: 24, label: '1 day' },
	{ hours: 7 * 24, label: '7 days' },
	{ hours: 30 * 24, label: '30 days' },
	{ hours: 90 * 24, label: '90 days' }
] as const;

/** Invites and board join links (leads): create one, see each one's status, withdraw it. */
export const load: PageServerLoad = async ({ locals, url, parent }) => {
	const { dateLocale } = await parent();
	const principal = locals.principal;
	if (!principal) redirect(303, signInPath(url));
	if (!backend().access.isLead(principal)) error(403, { message: 'Only Missions Unit leads can invite people.', code: 'forbidden' });
	const { access } = backend();
	const [invites, departments, boards] = await Promise.all([access.admin.listInvites(principal), access.workspace.listDepartments(), access.workspace.listBoards()]);
	const departmentName = new Map(departments.map((department) => [department.id, `${department.name} (${department.code})`]));
	const boardTitle = new Map(boards.map((board) => [board.id, board.title]));
	return {
		mail: backend().identity.outbox !== undefined,
		roles: personRoles.map((role) => ({ role, text: roleDescriptions[role] })),
		expiryChoices: expiryChoices.map(({ hours, label }) => ({ hours, label })),
		limits: { defaultExpiryHours: inviteLimits.defaultExpiryHours, defaultMaxUses: inviteLimits.defaultMaxUses, maxUses: inviteLimits.maxUses },
		preselect: { departmentId: url.searchParams.get('department') ?? '', boardId: url.searchParams.get('board') ?? '' },
		departments: departments.filter((department) => !department.archived).sort((a, b) => a.name.localeCompare(b.name)).map(({ id, name, code }) => ({ id, name, code })),
		boards: boards.filter((board) => !board.archived).sort((a, b) => a.title.localeCompare(b.title)).map(({ id, title }) => ({ id, title })),
		invites: invites.map((invite) => ({
			id: invite.id,
			department: departmentName.get(invite.departmentId) ?? 'a removed department',
			board: invite.boardId ? (boardTitle.get(invite.boardId) ?? 'a removed board') : undefined,
			role: invite.role,
			email: invite.email,
			status: invite.status,
			uses: invite.uses,
			maxUses: invite.maxUses,
			expires: ukDateTime(invite.expiresAt, dateLocale),
			createdBy: invite.createdByName,
			created: ukDateTime(invite.createdAt, dateLocale)
		}))
	};
};

export const actions: Actions = {
	create: async ({ request, locals, url }) => {
		const data = await request.formData();
		const values = Object.fromEntries([...data].filter((entry): entry is [string, string] => typeof entry[1] === 'string').map(([key, value]) => [key, value.slice(0, 200)]));
		const input = {
			departmentId: values.departmentId ?? '',
			role: values.role ?? '',
			boardId: values.boardId ? values.boardId : undefined,
			email: values.email ? values.email : undefined,
			expiresInHours: Number(values.expiresInHours),
			maxUses: Number(values.maxUses)
		};
		try {
			const { access, identity } = backend();
			const { invite, path } = await access.admin.createInvite(locals.principal, input);
			const link = `${url.origin}${path}`;
			const sent = locals.principal ? await identity.sendInvite(invite, path, locals.principal) : false;
			const made = invite.boardId ? 'Board join link created' : 'Invite link created';
			const message = sent ? `${made} and sent to ${invite.email}.` : invite.email ? `${made} for ${invite.email}. Mail is not set up here: send it to them yourself.` : `${made}.`;
			return { form: 'create', ok: true as const, message, link };
		} catch (cause) {
			const failure = backend().failureOf(cause);
			if (!failure) throw cause;
			return fail(failure.status, { form: 'create', ok: false as const, message: sentence(failure.message), values });
		}
	},
	revoke: async ({ request, locals }) => {
		const id = String((await request.formData()).get('id') ?? '');
		try {
			await backend().access.admin.revokeInvite(locals.principal, id);
			return { form: 'revoke', ok: true as const, message: 'Withdrawn: that link no longer works. People who already joined stay.' };
		} catch (cause) {
			const failure = backend().failureOf(cause);
			if (!failure) throw cause;
			return fail(failure.status, { form: 'revoke', ok: false as const, message: sentence(failure.message) });
		}
	}
};
