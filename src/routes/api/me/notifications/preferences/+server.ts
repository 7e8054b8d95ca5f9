import { notificationPreferences } from '#lib/protocol/notifications.ts';
import { apiHandler, ok, readJson } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** My email settings per kind of event (immediate, digest or off) and the daily digest. */
export const GET = apiHandler(async ({ locals }) => ok(await backend().notifications.preferences(locals.principal)));

export const PUT = apiHandler(async ({ locals, request }) => {
	const input = await readJson(request, notificationPreferences);
	return ok(await backend().notifications.setPreferences(locals.principal, input));
});
