import { error, redirect } from '@sveltejs/kit';
import { addDays, isoDateAt } from '#lib/board/dates.ts';
import { missionsBoardAgenda } from '#lib/missions/agenda.ts';
import { entityId } from '#lib/protocol/workspace.ts';
import { backend } from '#lib/server/backend.ts';
import type { Actions, PageServerLoad } from './$types';
import { captureAction, endAction, principalOf } from '../../meeting-actions.ts';


/**
 * The Missions Board meeting across missions: its agenda ("for decision" items first, then each
 * mission's escalations, milestones at risk and red dependencies), the open actions it inherits,
 * the chair's controls, and capture into the right mission's board. Only what the reader may see.
 */
export const load: PageServerLoad = async (event) => {
	const principal = principalOf(event);
	const id = entityId.safeParse(event.params.id);
	if (!id.success) error(404, { message: 'There is no such meeting.', code: 'not_found' });
	const { meetings, missions } = backend();
	const found = await meetings.get(principal, id.data).catch((cause: unknown) => {
		if (backend().failureOf(cause)?.status === 404) return undefined;
		throw cause;
	});
	if (!found) error(404, { message: 'There is no such meeting, or you cannot see its missions.', code: 'not_found' });
	const { meeting, live } = found;
	if (meeting.missionIds.length === 0) redirect(303, `/meetings/${meeting.id}`);
	const today = isoDateAt(Date.now());
	const [portfolio, scope, inherited] = await Promise.all([
		missions.portfolio(principal, { missionIds: meeting.missionIds }),
		meetings.missionsBoardScope(principal, meeting.missionIds),
		meetings.capture.agenda(principal, meeting.id, today)
	]);
	if (!scope) error(404, { message: 'There is no such meeting, or you cannot see its missions.', code: 'not_found' });
	const shown = scope.missions.map((mission) => ({ id: mission.id, title: mission.title }));
	const titleOf = new Map(shown.map((mission) => [mission.id, mission.title]));
	return {
		meeting: { ...meeting, running: meeting.endedAt === null },
		live,
		missions: shown,
		agenda: missionsBoardAgenda(portfolio, meeting.missionIds),
		inherited: inherited.map(({ boardId, boardTitle, action, overdue }) => ({ boardId, boardTitle, ref: action.ref, text: action.text, owner: action.owner.name, due: action.due, overdue })),
		/** Boards the reader may record on, mission by mission, labelled with their mission. */
		captureBoards: scope.boards.filter((board) => scope.writable.has(board.id)).map((board) => ({ id: board.id, title: `${titleOf.get(board.missionId) ?? ''} · ${board.title}` })),
		boardTitles: Object.fromEntries(scope.boards.map((board) => [board.id, `${titleOf.get(board.missionId) ?? ''} · ${board.title}`])),
		me: { id: principal.id, name: principal.name, lead: principal.role === 'lead' },
		defaultDue: addDays(today, 14),
		today
	};
};

export const actions: Actions = {
	/** Records a decision or an action on the board picked (a board of one of the meeting's missions). */
	capture: captureAction,

	/** Ends the meeting; back to the Missions Board view. */
	end: endAction(() => '/portfolio')
};
