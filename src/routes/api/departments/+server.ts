import { createDepartmentInput, listQuery } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readJson, readQuery, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** The department registry, by name (any signed-in caller). */
export const GET = apiHandler(async ({ locals, url }) => {
	requirePrincipal(locals);
	const { archived } = readQuery(url, listQuery);
	return ok({ departments: await backend().workspace.listDepartments({ includeArchived: archived === 'true' }) });
});

export const POST = apiHandler(async ({ locals, request }) => {
	const principal = requirePrincipal(locals);
	const input = await readJson(request, createDepartmentInput);
	return ok(await backend().workspace.createDepartment(principal, input), 201);
});
