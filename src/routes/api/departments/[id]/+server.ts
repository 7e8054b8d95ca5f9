import { entityId, patchDepartmentInput } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readId, readJson, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

export const GET = apiHandler(async ({ locals, params }) => {
	requirePrincipal(locals);
	return ok(await backend().workspace.getDepartment(readId(params.id, entityId, 'department')));
});

/** Rename, recode, recolour, or archive (`{ "archived": true }`). */
export const PATCH = apiHandler(async ({ locals, params, request }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'department');
	const patch = await readJson(request, patchDepartmentInput);
	return ok(await backend().workspace.updateDepartment(principal, id, patch));
});
