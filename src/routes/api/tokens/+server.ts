import { createApiTokenInput } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readJson } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** The caller's API tokens; `?all=true` lists everyone's (leads). Secrets are never listed. */
export const GET = apiHandler(async ({ locals, url }) => ok({ tokens: await backend().access.admin.listApiTokens(locals.principal, { all: url.searchParams.get('all') === 'true' }) }));

/** Issues a token for the caller's own scripts: the secret is in this answer only. */
export const POST = apiHandler(async ({ locals, request }) => {
	const input = await readJson(request, createApiTokenInput);
	const { apiToken, token } = await backend().access.admin.createApiToken(locals.principal, input);
	return ok({ apiToken, token }, 201);
});
