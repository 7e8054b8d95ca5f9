import { judgementInput } from '#lib/protocol/missions.ts';
import { entityId } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readId, readJson, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** A delivery-confidence judgement on the milestone, added to its history (leads). */
export const POST = apiHandler(async ({ locals, params, request }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'mission');
	const milestoneId = readId(params.milestoneId, entityId, 'milestone');
	const input = await readJson(request, judgementInput);
	return ok(await backend().missions.judgeMilestone(principal, id, milestoneId, input), 201);
});
