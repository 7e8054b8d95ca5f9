import { z } from 'zod';
import { registerName, registerSchemas } from '#lib/protocol/records.ts';
import { entityId } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readId, readJson, readQuery, requirePrincipal } from '#lib/server/api-errors.ts';
import { asAtQuery } from '#lib/protocol/history-query.ts';
import { backend } from '#lib/server/backend.ts';

/** A short ref (`DEP-12`, also one the record held before) or a record id. */
const refOrId = z.string().min(1).max(64);

export const GET = apiHandler(async ({ locals, params, url }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'board');
	const register = readId(params.register, registerName, 'register');
	const ref = readId(params.ref, refOrId, 'record');
	const { asAt } = readQuery(url, asAtQuery);
	if (asAt !== undefined) return ok(await backend().history.recordAsAt(principal, id, register, ref, asAt));
	return ok(await backend().workspace.getRecord(principal, id, register, ref));
});

/** Changes the fields the patch names (text fields are spliced, so concurrent typing survives). */
export const PATCH = apiHandler(async ({ locals, params, request }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'board');
	const register = readId(params.register, registerName, 'register');
	const ref = readId(params.ref, refOrId, 'record');
	const patch = await readJson(request, registerSchemas[register].patch);
	return ok(await backend().workspace.updateRecord(principal, id, register, ref, patch as never));
});

/** Archives the record (it keeps its ref and can be restored on the board). */
export const DELETE = apiHandler(async ({ locals, params }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'board');
	const register = readId(params.register, registerName, 'register');
	return ok(await backend().workspace.deleteRecord(principal, id, register, readId(params.ref, refOrId, 'record')));
});
