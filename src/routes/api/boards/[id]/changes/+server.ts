import { changesQuery } from '#lib/protocol/history-query.ts';
import { entityId } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readId, readQuery, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** What changed on the board between two moments (default: since the mission's last meeting ended). */
export const GET = apiHandler(async ({ locals, params, url }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'board');
	return ok(await backend().history.changes(principal, id, readQuery(url, changesQuery)));
});
