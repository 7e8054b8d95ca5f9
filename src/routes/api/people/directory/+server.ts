import { apiHandler, ok } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** The people of the workspace for owner pickers and @mentions: id, name, department code (any signed-in person). */
export const GET = apiHandler(async ({ locals }) => ok({ people: await backend().identity.directory(locals.principal) }));
