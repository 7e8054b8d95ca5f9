import { isoDateAt } from '#lib/board/dates.ts';
import { missionsBoardAgenda } from '#lib/missions/agenda.ts';
import { entityId } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readId, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/**
 * The open actions the meeting opens with (from the previous meeting of the same forum), with what
 * it did with each. A Missions Board meeting also has `acrossMissions`: "for decision" items first,
 * then each mission's escalated blockers, milestones at risk and red dependencies.
 */
export const GET = apiHandler(async ({ locals, params }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'meeting');
	const { meetings, missions } = backend();
	const items = await meetings.capture.agenda(principal, id, isoDateAt(Date.now()));
	const { meeting } = await meetings.get(principal, id);
	if (meeting.missionIds.length === 0) return ok({ items });
	const portfolio = await missions.portfolio(principal, { missionIds: meeting.missionIds });
	return ok({ items, acrossMissions: missionsBoardAgenda(portfolio, meeting.missionIds) });
});
