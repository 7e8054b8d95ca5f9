import { createWebhookInput } from '#lib/protocol/webhooks.ts';
import { entityId } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readId, readJson, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** The mission's webhooks (leads; never their secrets). See docs/webhooks.md. */
export const GET = apiHandler(async ({ locals, params }) => {
	const principal = requirePrincipal(locals);
	return ok({ webhooks: await backend().webhooks.list(principal, readId(params.id, entityId, 'mission')) });
});

/** Registers a webhook; the answer carries its signing secret, shown this once. */
export const POST = apiHandler(async ({ locals, params, request }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'mission');
	const input = await readJson(request, createWebhookInput);
	return ok(await backend().webhooks.create(principal, id, input), 201);
});
