import { entityId } from '#lib/protocol/workspace.ts';
import { ok, readId, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';
import { meetingApi } from '../../meeting-api.ts';

/** Ends the meeting (its chair or a lead); every wall goes back to its own playlist. */
export const POST = meetingApi(async ({ locals, params }) => {
	const principal = requirePrincipal(locals);
	return ok(await backend().meetings.end(principal, readId(params.id, entityId, 'meeting')));
});
