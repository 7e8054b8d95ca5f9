import { error, redirect } from '@sveltejs/kit';
import { backend } from '#lib/server/backend.ts';
import { NotFoundError } from '../../../../server/workspace/errors.ts';
import type { PageServerLoad } from './$types';
import { signInPath } from '#lib/protocol/sign-in-next.ts';

/** The board page: the board record, its mission, the department registry, the scale and the caller's access. No side effects. */
export const load: PageServerLoad = async ({ params, locals, url }) => {
	const principal = locals.principal;
	if (!principal) redirect(303, signInPath(url));
	const workspace = backend().workspace;
	const board = await workspace.getBoard(principal, params.id).catch((cause: unknown) => {
		if (cause instanceof NotFoundError) return undefined;
		throw cause;
	});
	if (!board) error(404, { message: 'There is no such board, or it is not shared with your department.', code: 'not_found' });
	const [mission, departments, settings, directory] = await Promise.all([
		workspace.findMission(board.missionId),
		workspace.listDepartments({ includeArchived: true }),
		workspace.settings(),
		principal.kind === 'wall' ? [] : backend().identity.directory(principal)
	]);
	return {
		board: { id: board.id, title: board.title, description: board.description, archived: board.archived, departmentIds: board.departmentIds },
		mission: mission ? { id: mission.id, title: mission.title } : undefined,
		departments: departments.map(({ id, name, code, colour, archived }) => ({ id, name, code, colour, archived })),
		ratingScale: settings.confidenceScale,
		staleAfterDays: settings.staleAfterDays,
		access: board.access,
		readOnlyReason: readOnlyReason(board.access, board.archived, principal.role),
		actor: { id: principal.id, name: principal.name, departmentId: principal.departmentId },
		directory
	};
};

function readOnlyReason(access: 'read' | 'write', archived: boolean, role: string): string | undefined {
	if (access === 'write') return undefined;
	if (archived) return 'This board is archived, so it is read-only.';
	if (role === 'viewer') return 'You can view this board; editing needs an editor role.';
	if (role === 'adviser') return 'You can view this board as an adviser to the mission; advisers do not edit.';
	return 'You can view this board but not change it.';
}
