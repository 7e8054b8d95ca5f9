import { createTargetInput } from '#lib/protocol/missions.ts';
import { entityId } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readId, readJson, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** The mission's headline targets, each with `status` and `projectedDate`. */
export const GET = apiHandler(async ({ locals, params }) => {
	const principal = requirePrincipal(locals);
	return ok({ targets: await backend().missions.listTargets(principal, readId(params.id, entityId, 'mission')) });
});

export const POST = apiHandler(async ({ locals, params, request }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'mission');
	const input = await readJson(request, createTargetInput);
	return ok(await backend().missions.createTarget(principal, id, input), 201);
});
