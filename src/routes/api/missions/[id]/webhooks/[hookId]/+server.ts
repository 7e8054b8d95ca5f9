import { patchWebhookInput } from '#lib/protocol/webhooks.ts';
import { entityId } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readId, readJson, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** One webhook with its delivery log (the last 100 deliveries, newest first). */
export const GET = apiHandler(async ({ locals, params }) => {
	const principal = requirePrincipal(locals);
	return ok(await backend().webhooks.get(principal, readId(params.id, entityId, 'mission'), readId(params.hookId, entityId, 'webhook')));
});

/** Changes its events, boards or description, or turns it off and on again. */
export const PATCH = apiHandler(async ({ locals, params, request }) => {
	const principal = requirePrincipal(locals);
	const mission = readId(params.id, entityId, 'mission');
	const hook = readId(params.hookId, entityId, 'webhook');
	const input = await readJson(request, patchWebhookInput);
	return ok(await backend().webhooks.patch(principal, mission, hook, input));
});

export const DELETE = apiHandler(async ({ locals, params }) => {
	const principal = requirePrincipal(locals);
	await backend().webhooks.delete(principal, readId(params.id, entityId, 'mission'), readId(params.hookId, entityId, 'webhook'));
	return new Response(null, { status: 204 });
});
