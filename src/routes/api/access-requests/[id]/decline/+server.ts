import { apiHandler, ok } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** Declines a waiting request (signing in again queues a new one). */
export const POST = apiHandler(async ({ locals, params }) => {
	await backend().identity.requests.decline(locals.principal, params.id ?? '');
	return ok({ declined: true });
});
