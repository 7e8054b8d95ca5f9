import { asAtQuery } from '#lib/protocol/history-query.ts';
import { registerName, registerSchemas } from '#lib/protocol/records.ts';
import { entityId, listQuery } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readId, readJson, readQuery, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** The register's records in ref order; records stored in a malformed shape are listed under `invalid`. */
export const GET = apiHandler(async ({ locals, params, url }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'board');
	const register = readId(params.register, registerName, 'register');
	const { archived, asAt } = readQuery(url, listQuery.extend(asAtQuery.shape));
	const options = { includeArchived: archived === 'true' };
	if (asAt !== undefined) return ok(await backend().history.recordsAsAt(principal, id, register, asAt, options));
	return ok(await backend().workspace.listRecords(principal, id, register, options));
});

/** Creates a record through the board document: everyone on the board sees it at once. */
export const POST = apiHandler(async ({ locals, params, request }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'board');
	const register = readId(params.register, registerName, 'register');
	const input = await readJson(request, registerSchemas[register].create);
	return ok(await backend().workspace.createRecord(principal, id, register, input as never), 201);
});
