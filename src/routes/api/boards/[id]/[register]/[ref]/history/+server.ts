import { z } from 'zod';
import { historyQuery } from '#lib/protocol/history-query.ts';
import { registerName } from '#lib/protocol/records.ts';
import { entityId } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readId, readQuery, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

const refOrId = z.string().min(1).max(64);

/** One record's changes, newest first. */
export const GET = apiHandler(async ({ locals, params, url }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'board');
	const register = readId(params.register, registerName, 'register');
	const query = readQuery(url, historyQuery.pick({ cursor: true, limit: true, field: true, since: true, until: true }));
	return ok(await backend().history.recordHistory(principal, id, register, readId(params.ref, refOrId, 'record'), query));
});
