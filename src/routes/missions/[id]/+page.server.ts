import { error, redirect } from '@sveltejs/kit';
import { workspaceDependency } from '#lib/components/workspace/form-result.ts';
import { backend } from '#lib/server/backend.ts';
import { workspaceActions as act } from '#lib/server/workspace-forms.ts';
import { missionActions } from '#lib/server/mission-forms.ts';
import { isoDateAt } from '#lib/board/dates.ts';
import type { Actions, PageServerLoad } from './$types';
import { signInPath } from '#lib/protocol/sign-in-next.ts';

const notFound = (cause: unknown) => {
	if ((cause as { code?: unknown } | null)?.code === 'not_found') return undefined;
	throw cause;
};

/** One mission's home: its leadership, targets, milestones and confidence, and the boards the person can see, with counts. No side effects. */
export const load: PageServerLoad = async ({ locals, params, depends, url }) => {
	depends(workspaceDependency);
	const principal = locals.principal;
	if (!principal) redirect(303, signInPath(url));
	const workspace = backend().workspace;
	const lead = backend().access.isLead(principal);
	const mission = /^[A-Za-z0-9_-]{6,40}$/.test(params.id)
		? await workspace.getMission(principal, params.id, { includeArchived: lead, counts: true }).catch(notFound)
		: undefined;
	if (!mission) error(404, { message: 'There is no such mission, or none of its boards is shared with you.', code: 'not_found' });
	const [departments, tracking, headers] = await Promise.all([
		workspace.listDepartments({ includeArchived: true }),
		backend().missions.tracking(principal, mission.id),
		backend().missionHeaders.forMissions(principal, [mission])
	]);
	return {
		lead,
		mission,
		tracking,
		header: headers.get(mission.id),
		today: isoDateAt(Date.now()),
		departments: departments.map(({ id, name, code, colour, archived }) => ({ id, name, code, colour, archived }))
	};
};

export const actions: Actions = {
	editMission: act.editMission,
	archiveMission: act.archiveMission,
	unarchiveMission: act.unarchiveMission,
	deleteMission: async (event) => {
		const result = await act.deleteMission(event);
		if ('ok' in result && result.ok) redirect(303, '/');
		return result;
	},
	createBoard: act.createBoard,
	renameBoard: act.renameBoard,
	archiveBoard: act.archiveBoard,
	unarchiveBoard: act.unarchiveBoard,
	addDepartment: act.addDepartment,
	removeDepartment: act.removeDepartment,
	...missionActions
};
