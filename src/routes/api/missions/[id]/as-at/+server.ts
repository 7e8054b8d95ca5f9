import { asAtQuery } from '#lib/protocol/meeting.ts';
import { entityId } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readId, readQuery, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/**
 * The mission's boards (those the caller may see, as for `/since`) as they stood at `?at=`: what a
 * wall shows while the chair has set the meeting "as at" a moment. Not in the future.
 */
export const GET = apiHandler(async ({ locals, params, url }) => {
	const principal = requirePrincipal(locals);
	const missionId = readId(params.id, entityId, 'mission');
	const { at } = readQuery(url, asAtQuery);
	return ok(await backend().sinceLastMeeting.asAt(principal, missionId, Date.parse(at)));
});
