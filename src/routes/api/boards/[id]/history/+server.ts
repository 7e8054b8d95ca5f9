import { historyQuery } from '#lib/protocol/history-query.ts';
import { entityId } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readId, readQuery, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** The board's change ledger, newest first: who changed which field of which record, from what to what. */
export const GET = apiHandler(async ({ locals, params, url }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'board');
	return ok(await backend().history.boardHistory(principal, id, readQuery(url, historyQuery)));
});
