import { error, redirect } from '@sveltejs/kit';
import { backend } from '#lib/server/backend.ts';
import { cutFirstScreen, type FirstScreen } from '#lib/board/first-screen.ts';
import { BoardUi } from '#lib/components/board/board-ui.svelte.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import type { BoardMilestone } from '#lib/components/board/board-info.ts';
import type { PageServerLoad } from './$types';
import { signInPath } from '#lib/protocol/sign-in-next.ts';

/**
 * The board page: the board record, its mission, the department registry, the scale, the caller's
 * access, and the first screen of the table the address opens on (cut out of the server's
 * document, shown until the live board has synced). No side effects.
 */
export const load: PageServerLoad = async ({ params, locals, url }) => {
	const principal = locals.principal;
	if (!principal) redirect(303, signInPath(url));
	const workspace = backend().workspace;
	const board = await workspace.getBoard(principal, params.id).catch((cause: unknown) => {
		if (backend().failureOf(cause)?.status === 404) return undefined;
		throw cause;
	});
	if (!board) error(404, { message: 'There is no such board, or it is not shared with your department.', code: 'not_found' });
	const [mission, departments, settings, directory, firstScreen, milestones] = await Promise.all([
		workspace.findMission(board.missionId),
		workspace.listDepartments({ includeArchived: true }),
		workspace.settings(),
		principal.kind === 'wall' ? [] : backend().identity.directory(principal),
		firstScreenOf(board.id, url.searchParams),
		milestonesOf(principal, board.missionId)
	]);
	return {
		board: { id: board.id, title: board.title, description: board.description, archived: board.archived, departmentIds: board.departmentIds },
		mission: mission ? { id: mission.id, title: mission.title } : undefined,
		departments: departments.map(({ id, name, code, colour, archived }) => ({ id, name, code, colour, archived })),
		ratingScale: settings.confidenceScale,
		staleAfterDays: settings.staleAfterDays,
		access: board.access,
		readOnlyReason: readOnlyReason(board.access, board.archived, principal.role),
		canComment: workspace.mayComment(principal, board),
		actor: { id: principal.id, name: principal.name, departmentId: principal.departmentId },
		directory,
		milestones,
		firstScreen
	};
};

/** The rows the page opens on, unless the address asks for a past moment or a tab that is not a table. */
async function firstScreenOf(boardId: string, search: URLSearchParams): Promise<FirstScreen | undefined> {
	if (search.has('asAt')) return undefined;
	const ui = new BoardUi(search, () => undefined);
	if (!ui.isTable) return undefined;
	return backend().hub.withDoc(boardDocName(boardId), (shared) => cutFirstScreen(shared.doc, ui.register));
}

/**
 * The mission's milestones, for the detail panel's milestone picker and at-risk flag (by date). The
 * milestones alone: the flag is computed in the page from the live record, so no other board of
 * the mission is read.
 */
async function milestonesOf(principal: NonNullable<App.Locals['principal']>, missionId: string): Promise<BoardMilestone[]> {
	const milestones = await backend().missions.milestoneRecords(principal, missionId);
	return milestones.map(({ id, title, date, status }) => ({ id, title, date, status }));
}

function readOnlyReason(access: 'read' | 'write', archived: boolean, role: string): string | undefined {
	if (access === 'write') return undefined;
	if (archived) return 'This board is archived, so it is read-only.';
	if (role === 'viewer') return 'You can view this board; editing needs an editor role.';
	if (role === 'adviser') return 'You can view this board as an adviser to the mission: advisers comment but do not edit.';
	return 'You can view this board but not change it.';
}
