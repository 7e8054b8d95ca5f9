import { listQuery } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readQuery, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** Every board the caller can see, across missions. */
export const GET = apiHandler(async ({ locals, url }) => {
	const principal = requirePrincipal(locals);
	const { archived } = readQuery(url, listQuery);
	return ok({ boards: await backend().workspace.listBoards(principal, { includeArchived: archived === 'true' }) });
});
