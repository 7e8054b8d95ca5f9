import { apiHandler, ok } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** My work: records I own, my department's dependencies, blockers waiting on me, actions due or overdue, mentions; with counts. */
export const GET = apiHandler(async ({ locals }) => ok(await backend().identity.myWork(locals.principal)));
