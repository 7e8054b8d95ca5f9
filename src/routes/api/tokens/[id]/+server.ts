import { apiHandler, ok } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** Revokes a token (your own, or any for a lead); scripts using it are disconnected now. */
export const DELETE = apiHandler(async ({ locals, params }) => ok({ apiToken: await backend().access.admin.revokeApiToken(locals.principal, params.id ?? '') }));
