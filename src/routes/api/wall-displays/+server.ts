import { createWallDisplayInput } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readJson } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** Every wall display (leads). Tokens are never listed. */
export const GET = apiHandler(async ({ locals }) => ok({ wallDisplays: await backend().access.admin.listWallDisplays(locals.principal) }));

/** A device token for a wall screen, scoped to missions or boards, read-only, no expiry: in this answer only. */
export const POST = apiHandler(async ({ locals, request, url }) => {
	const input = await readJson(request, createWallDisplayInput);
	const { display, token, path } = await backend().access.admin.createWallDisplay(locals.principal, input);
	return ok({ wallDisplay: display, token, link: `${url.origin}${path}` }, 201);
});
