import { patchMilestoneInput } from '#lib/protocol/missions.ts';
import { entityId } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readId, readJson, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** Changes a milestone's title, owner, date, status or targets (leads). */
export const PATCH = apiHandler(async ({ locals, params, request }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'mission');
	const milestoneId = readId(params.milestoneId, entityId, 'milestone');
	const patch = await readJson(request, patchMilestoneInput);
	return ok(await backend().missions.updateMilestone(principal, id, milestoneId, patch));
});
