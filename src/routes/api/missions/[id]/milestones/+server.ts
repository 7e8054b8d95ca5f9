import { createMilestoneInput } from '#lib/protocol/missions.ts';
import { entityId } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readId, readJson, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** The mission's milestones by date, each with `atRisk` and `reasons` from the linked board records. */
export const GET = apiHandler(async ({ locals, params }) => {
	const principal = requirePrincipal(locals);
	return ok({ milestones: await backend().missions.listMilestones(principal, readId(params.id, entityId, 'mission')) });
});

export const POST = apiHandler(async ({ locals, params, request }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'mission');
	const input = await readJson(request, createMilestoneInput);
	return ok(await backend().missions.createMilestone(principal, id, input), 201);
});
