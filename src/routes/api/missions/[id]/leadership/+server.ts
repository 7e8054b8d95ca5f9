import { leadershipInput } from '#lib/protocol/missions.ts';
import { entityId } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readId, readJson, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** The mission CEO, senior responsible owner, sponsoring minister, advisory board and confidence, with the history of changes. */
export const GET = apiHandler(async ({ locals, params }) => {
	const principal = requirePrincipal(locals);
	return ok(await backend().missions.leadership(principal, readId(params.id, entityId, 'mission')));
});

export const PATCH = apiHandler(async ({ locals, params, request }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'mission');
	const patch = await readJson(request, leadershipInput);
	return ok(await backend().missions.updateLeadership(principal, id, patch));
});
