import { apiHandler, ok } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** My notifications, newest first (the last 100), and how many are unread. */
export const GET = apiHandler(async ({ locals }) => ok(await backend().notifications.list(locals.principal)));
