import { entityId } from '#lib/protocol/workspace.ts';
import { ok, readId, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';
import { meetingApi } from '../meeting-api.ts';

/** The meeting record and, while it runs, its live state (`live`). */
export const GET = meetingApi(async ({ locals, params }) => {
	const principal = requirePrincipal(locals);
	return ok(await backend().meetings.get(principal, readId(params.id, entityId, 'meeting')));
});
