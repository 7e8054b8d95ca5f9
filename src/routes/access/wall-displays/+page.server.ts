import { error, fail, redirect } from '@sveltejs/kit';
import { signInPath } from '#lib/protocol/sign-in-next.ts';
import { backend } from '#lib/server/backend.ts';
import { ukDateTime } from '../format.ts';
import type { Actions, PageServerLoad } from './$types';
import { sentence } from '#lib/protocol/sentence.ts';

/** Wall displays (leads): a read-only device token per screen, scoped to missions or boards, revocable. */
export const load: PageServerLoad = async ({ locals, url, parent }) => {
	const { dateLocale } = await parent();
	const principal = locals.principal;
	if (!principal) redirect(303, signInPath(url));
	if (!backend().access.isLead(principal)) error(403, { message: 'Only Missions Unit leads can manage wall displays.', code: 'forbidden' });
	const { access } = backend();
	const [displays, boards, missions] = await Promise.all([access.admin.listWallDisplays(principal), access.workspace.listBoards(), backend().workspace.listMissions(principal)]);
	const boardTitle = new Map(boards.map((board) => [board.id, board.title]));
	const missionTitle = new Map(missions.map((mission) => [mission.id, mission.title]));
	return {
		missions: missions.map((mission) => ({ id: mission.id, title: mission.title, boards: mission.boards.filter((board) => !board.archived).map(({ id, title }) => ({ id, title })) })),
		displays: displays.map((display) => ({
			id: display.id,
			name: display.name,
			status: display.status,
			shows: [
				...display.scope.missionIds.map((id) => `mission “${missionTitle.get(id) ?? 'removed'}”`),
				...display.scope.boardIds.map((id) => `board “${boardTitle.get(id) ?? 'removed'}”`)
			].join(', '),
			created: ukDateTime(display.createdAt, dateLocale),
			seen: display.lastSeenAt ? ukDateTime(display.lastSeenAt, dateLocale) : 'not yet'
		}))
	};
};

export const actions: Actions = {
	create: async ({ request, locals, url }) => {
		const data = await request.formData();
		const name = String(data.get('name') ?? '').slice(0, 200);
		const missionIds = data.getAll('missionIds').map(String);
		const boardIds = data.getAll('boardIds').map(String);
		try {
			const { display, path } = await backend().access.admin.createWallDisplay(locals.principal, { name, missionIds, boardIds });
			return { form: 'create', ok: true as const, message: `Wall display “${display.name}” created. Open the link once on the screen's browser: it stays signed in.`, link: `${url.origin}${path}` };
		} catch (cause) {
			const failure = backend().failureOf(cause);
			if (!failure) throw cause;
			return fail(failure.status, { form: 'create', ok: false as const, message: sentence(failure.message), name });
		}
	},
	revoke: async ({ request, locals }) => {
		const id = String((await request.formData()).get('id') ?? '');
		try {
			const display = await backend().access.admin.revokeWallDisplay(locals.principal, id);
			return { form: 'revoke', ok: true as const, message: `“${display.name}” revoked: the screen was disconnected.` };
		} catch (cause) {
			const failure = backend().failureOf(cause);
			if (!failure) throw cause;
			return fail(failure.status, { form: 'revoke', ok: false as const, message: sentence(failure.message) });
		}
	}
};
