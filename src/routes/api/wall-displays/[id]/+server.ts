import { apiHandler, ok } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** Revokes a wall display (leads): the screen using it is disconnected now. */
export const DELETE = apiHandler(async ({ locals, params }) => ok({ wallDisplay: await backend().access.admin.revokeWallDisplay(locals.principal, params.id ?? '') }));
