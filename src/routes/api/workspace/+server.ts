import { patchWorkspaceSettingsInput } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readJson, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** The workspace settings: name, confidence scale (three or five points), staleness threshold. */
export const GET = apiHandler(async ({ locals }) => {
	requirePrincipal(locals);
	return ok(await backend().workspace.settings());
});

export const PATCH = apiHandler(async ({ locals, request }) => {
	const principal = requirePrincipal(locals);
	const patch = await readJson(request, patchWorkspaceSettingsInput);
	return ok(await backend().workspace.updateSettings(principal, patch));
});
