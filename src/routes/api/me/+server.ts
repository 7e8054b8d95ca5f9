import { apiHandler, ok, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** Who am I: the caller, their department and the boards they can open (with read or write). */
export const GET = apiHandler(async ({ locals }) => ok(await backend().access.me(requirePrincipal(locals))));
