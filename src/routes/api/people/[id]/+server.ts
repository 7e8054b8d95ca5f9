import { patchPersonInput } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readJson } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

export const GET = apiHandler(async ({ locals, params }) => ok(await backend().access.admin.getPerson(locals.principal, params.id ?? '')));

/** Renames, moves or changes the role of a person (leads); their open connections are re-checked now. */
export const PATCH = apiHandler(async ({ locals, params, request }) => {
	const input = await readJson(request, patchPersonInput);
	return ok(await backend().access.admin.updatePerson(locals.principal, params.id ?? '', input));
});

/** Removes a person (leads): their sessions and API tokens end and their connections close now. */
export const DELETE = apiHandler(async ({ locals, params }) => {
	await backend().access.admin.removePerson(locals.principal, params.id ?? '');
	return new Response(null, { status: 204 });
});
