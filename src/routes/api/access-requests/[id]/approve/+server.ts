import { approveAccessInput } from '#lib/protocol/identity.ts';
import { apiHandler, ok, readJson } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** Lets a waiting person in: `{ departmentId, role }` (role defaults to viewer). They sign in again to enter. */
export const POST = apiHandler(async ({ locals, params, request }) => {
	const input = await readJson(request, approveAccessInput);
	return ok({ person: await backend().identity.requests.approve(locals.principal, params.id ?? '', input) });
});
