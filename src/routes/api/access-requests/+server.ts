import { apiHandler, ok } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** People who signed in through single sign-on and wait for a lead to let them in (leads). */
export const GET = apiHandler(async ({ locals }) => ok({ requests: await backend().identity.requests.list(locals.principal) }));
