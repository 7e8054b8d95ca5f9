import { apiHandler, ok } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';
import { withIdentityErrors } from '../../../../../server/identity/identity-errors.ts';

/** My work: records I own, my department's dependencies, blockers waiting on me, actions due or overdue, mentions; with counts. */
export const GET = apiHandler(withIdentityErrors(async ({ locals }) => ok(await backend().identity.myWork(locals.principal))));
