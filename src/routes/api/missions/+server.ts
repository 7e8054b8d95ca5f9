import { createMissionInput, listQuery } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readJson, readQuery, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** The missions the caller can see, each with its visible boards. */
export const GET = apiHandler(async ({ locals, url }) => {
	const principal = requirePrincipal(locals);
	const { archived } = readQuery(url, listQuery);
	return ok({ missions: await backend().workspace.listMissions(principal, { includeArchived: archived === 'true' }) });
});

export const POST = apiHandler(async ({ locals, request }) => {
	const principal = requirePrincipal(locals);
	const input = await readJson(request, createMissionInput);
	return ok(await backend().workspace.createMission(principal, input), 201);
});
