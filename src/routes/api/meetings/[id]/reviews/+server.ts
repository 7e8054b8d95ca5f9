import { reviewInput } from '#lib/protocol/meeting.ts';
import { entityId } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readId, readJson, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** Marks an action inherited from the previous meeting done, re-planned (a slip) or carried forward. */
export const POST = apiHandler(async ({ locals, params, request }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'meeting');
	const input = await readJson(request, reviewInput);
	return ok(await backend().meetings.capture.review(principal, id, input), 201);
});
