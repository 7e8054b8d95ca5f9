import { patchTargetInput } from '#lib/protocol/missions.ts';
import { entityId } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readId, readJson, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

export const GET = apiHandler(async ({ locals, params }) => {
	const principal = requirePrincipal(locals);
	return ok(await backend().missions.getTarget(principal, readId(params.id, entityId, 'mission'), readId(params.targetId, entityId, 'target')));
});

/** Changes the metric, baseline, target, source or the whole planned trajectory (leads). */
export const PATCH = apiHandler(async ({ locals, params, request }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'mission');
	const targetId = readId(params.targetId, entityId, 'target');
	const patch = await readJson(request, patchTargetInput);
	return ok(await backend().missions.updateTarget(principal, id, targetId, patch));
});
