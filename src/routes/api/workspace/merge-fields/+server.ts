import { apiHandler, ok, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/**
 * The one-field-per-idea migration (leads): on every board, a dependency's owner becomes its
 * provider's owner and an action's, decision's or assumption's title the first line of its text.
 * Safe to run again. Answers `{ boards, written }`.
 */
export const POST = apiHandler(async ({ locals }) => ok(await backend().workspace.mergeDuplicateFields(requirePrincipal(locals))));
