import { entityId } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readId, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** Ends the meeting (its chair or a lead); every wall goes back to its own playlist. */
export const POST = apiHandler(async ({ locals, params }) => {
	const principal = requirePrincipal(locals);
	return ok(await backend().meetings.end(principal, readId(params.id, entityId, 'meeting')));
});
