import { boardDepartmentInput, entityId } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readId, readJson, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** A department joins the board (leads): every member of it sees the board from now on. */
export const POST = apiHandler(async ({ locals, params, request }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'board');
	const { departmentId } = await readJson(request, boardDepartmentInput);
	return ok(await backend().workspace.addBoardDepartment(principal, id, departmentId));
});
