import { apiHandler, ok } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';
import { withAccessErrors } from '../../../../server/access/api-responses.ts';

/** Everyone who joined, with their department, role and number of sessions (leads). */
export const GET = apiHandler(withAccessErrors(async ({ locals }) => ok({ people: await backend().access.admin.listPeople(locals.principal) })));
