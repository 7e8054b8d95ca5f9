import { entityId } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readId, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** The department leaves the board (leads); its members' open connections to it are closed. */
export const DELETE = apiHandler(async ({ locals, params }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'board');
	const departmentId = readId(params.departmentId, entityId, 'department');
	return ok(await backend().workspace.removeBoardDepartment(principal, id, departmentId));
});
