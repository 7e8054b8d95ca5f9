import { entityId } from '#lib/protocol/workspace.ts';
import { apiHandler, readId, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';
import { fileResponse } from '#lib/server/file-response.ts';

/** The meeting pack as a tagged PDF with real text. */
export const GET = apiHandler(async ({ locals, params }) => {
	const principal = requirePrincipal(locals);
	return fileResponse(await backend().packs.pdf(principal, readId(params.id, entityId, 'meeting')));
});
