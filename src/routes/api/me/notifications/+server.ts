import { apiHandler, ok } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';
import { withIdentityErrors } from '../../../../../server/identity/identity-errors.ts';

/** My notifications, newest first (the last 100), and how many are unread. */
export const GET = apiHandler(withIdentityErrors(async ({ locals }) => ok(await backend().notifications.list(locals.principal))));
