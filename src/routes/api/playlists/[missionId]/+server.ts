import { playlistInput } from '#lib/protocol/meeting.ts';
import { entityId } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readId, readJson, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** The mission's wall playlist (the default one until a lead sets it): anyone who can see the mission. */
export const GET = apiHandler(async ({ locals, params }) => {
	const principal = requirePrincipal(locals);
	const missionId = readId(params.missionId, entityId, 'mission');
	return ok(await backend().meetings.playlist(principal, missionId));
});

/** Sets the playlist (leads only); every wall of the mission and a running meeting follow at once. */
export const PUT = apiHandler(async ({ locals, params, request }) => {
	const principal = requirePrincipal(locals);
	const missionId = readId(params.missionId, entityId, 'mission');
	const input = await readJson(request, playlistInput);
	return ok(await backend().meetings.setPlaylist(principal, missionId, input));
});

/** Back to the default playlist (leads only). */
export const DELETE = apiHandler(async ({ locals, params }) => {
	const principal = requirePrincipal(locals);
	const missionId = readId(params.missionId, entityId, 'mission');
	return ok(await backend().meetings.setPlaylist(principal, missionId, null));
});
