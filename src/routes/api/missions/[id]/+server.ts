import { deleteConfirmation, entityId, patchMissionInput } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readId, readJson, readQuery, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

export const GET = apiHandler(async ({ locals, params }) => {
	const principal = requirePrincipal(locals);
	return ok(await backend().workspace.getMission(principal, readId(params.id, entityId, 'mission'), { includeArchived: true }));
});

export const PATCH = apiHandler(async ({ locals, params, request }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'mission');
	const patch = await readJson(request, patchMissionInput);
	return ok(await backend().workspace.updateMission(principal, id, patch));
});

/** Permanent: only an archived mission, with `?confirm=true`; its boards and their documents go too. */
export const DELETE = apiHandler(async ({ locals, params, url }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'mission');
	readQuery(url, deleteConfirmation);
	await backend().workspace.deleteMission(principal, id, { confirm: true });
	return new Response(null, { status: 204 });
});
