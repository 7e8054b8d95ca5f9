import { createBoardInput, entityId, listQuery } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readId, readJson, readQuery, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** The mission's boards the caller can see, with their counts. */
export const GET = apiHandler(async ({ locals, params, url }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'mission');
	const { archived } = readQuery(url, listQuery);
	const mission = await backend().workspace.getMission(principal, id, { includeArchived: archived === 'true', counts: true });
	return ok({ boards: mission.boards });
});

export const POST = apiHandler(async ({ locals, params, request }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'mission');
	const input = await readJson(request, createBoardInput);
	return ok(await backend().workspace.createBoard(principal, id, input), 201);
});
