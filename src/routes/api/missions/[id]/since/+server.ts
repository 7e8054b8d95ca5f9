import { sinceQuery } from '#lib/protocol/meeting.ts';
import { entityId } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readId, readQuery, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/**
 * The mission's boards (those the caller may see) as they stood when its last meeting ended (of
 * `?forum=`, when given), or a week ago: what a wall's "Since the last meeting" view compares with.
 */
export const GET = apiHandler(async ({ locals, params, url }) => {
	const principal = requirePrincipal(locals);
	const missionId = readId(params.id, entityId, 'mission');
	const { forum } = readQuery(url, sinceQuery);
	return ok(await backend().sinceLastMeeting.baseline(principal, missionId, forum));
});
