import { apiHandler, ok } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** Everyone who joined, with their department, role and number of sessions (leads). */
export const GET = apiHandler(async ({ locals }) => ok({ people: await backend().access.admin.listPeople(locals.principal) }));
