import { apiHandler, ok } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** Withdraws an invite (leads): its link stops working; people who joined with it stay. */
export const DELETE = apiHandler(async ({ locals, params }) => ok({ invite: await backend().access.admin.revokeInvite(locals.principal, params.id ?? '') }));
