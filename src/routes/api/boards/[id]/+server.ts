import { asAtQuery } from '#lib/protocol/history-query.ts';
import { deleteConfirmation, entityId, patchBoardInput } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readId, readJson, readQuery, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** The board, the caller's access (`read` or `write`) and its counts (as they stood at `?asAt=`). */
export const GET = apiHandler(async ({ locals, params, url }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'board');
	const { asAt } = readQuery(url, asAtQuery);
	if (asAt !== undefined) return ok(await backend().history.boardViewAsAt(principal, id, asAt));
	return ok(await backend().workspace.getBoard(principal, id, { counts: true }));
});

export const PATCH = apiHandler(async ({ locals, params, request }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'board');
	const patch = await readJson(request, patchBoardInput);
	return ok(await backend().workspace.updateBoard(principal, id, patch));
});

/** Permanent: only an archived board, with `?confirm=true`; its document goes too. */
export const DELETE = apiHandler(async ({ locals, params, url }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'board');
	readQuery(url, deleteConfirmation);
	await backend().workspace.deleteBoard(principal, id, { confirm: true });
	return new Response(null, { status: 204 });
});
