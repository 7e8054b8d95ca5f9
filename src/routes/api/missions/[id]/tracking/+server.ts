import { entityId } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readId, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** Everything the mission page shows beside its boards: leadership, confidence, targets, milestones, evidence. */
export const GET = apiHandler(async ({ locals, params }) => {
	const principal = requirePrincipal(locals);
	return ok(await backend().missions.tracking(principal, readId(params.id, entityId, 'mission')));
});
