import { milestoneLinkInput } from '#lib/protocol/missions.ts';
import { entityId } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readId, readJson, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** Links a dependency or blocker (`{ boardId, ref }`) to the milestone: it sets the record's `milestones` field (leads). */
export const POST = apiHandler(async ({ locals, params, request }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'mission');
	const milestoneId = readId(params.milestoneId, entityId, 'milestone');
	const input = await readJson(request, milestoneLinkInput);
	return ok(await backend().missions.linkRecord(principal, id, milestoneId, input, true), 201);
});

/** Unlinks it (`{ boardId, ref }` in the body). */
export const DELETE = apiHandler(async ({ locals, params, request }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'mission');
	const milestoneId = readId(params.milestoneId, entityId, 'milestone');
	const input = await readJson(request, milestoneLinkInput);
	return ok(await backend().missions.linkRecord(principal, id, milestoneId, input, false));
});
