import { isoDateAt } from '#lib/board/dates.ts';
import { entityId } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readId, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** The open actions the meeting opens with (from the previous meeting of the same forum), with what it did with each. */
export const GET = apiHandler(async ({ locals, params }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'meeting');
	return ok({ items: await backend().meetings.capture.agenda(principal, id, isoDateAt(Date.now())) });
});
