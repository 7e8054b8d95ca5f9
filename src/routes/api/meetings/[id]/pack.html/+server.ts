import { entityId } from '#lib/protocol/workspace.ts';
import { apiHandler, readId, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';
import { fileResponse } from '#lib/server/file-response.ts';

/** The meeting pack as an accessible HTML page: the agenda before the meeting ends, the record after. */
export const GET = apiHandler(async ({ locals, params }) => {
	const principal = requirePrincipal(locals);
	return fileResponse(await backend().packs.html(principal, readId(params.id, entityId, 'meeting')));
});
