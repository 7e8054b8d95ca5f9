import { entityId } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readId, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** Queues a signed `ping` delivery now, to check the receiver and its signature check. */
export const POST = apiHandler(async ({ locals, params }) => {
	const principal = requirePrincipal(locals);
	return ok(await backend().webhooks.ping(principal, readId(params.id, entityId, 'mission'), readId(params.hookId, entityId, 'webhook')), 202);
});
