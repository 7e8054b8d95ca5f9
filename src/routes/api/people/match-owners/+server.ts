import { apiHandler, ok } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/**
 * The owners migration (leads): ties free-text owners to the one person of the workspace with that
 * name, on every board. Safe to run again. Answers what it did (`matched`, `ambiguous` names, `unmatched`).
 */
export const POST = apiHandler(async ({ locals }) => ok(await backend().identity.matchOwners(locals.principal)));
