import { createInviteInput } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readJson } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';
import { withAccessErrors } from '../../../../server/access/api-responses.ts';

/** Every invite and board join link, with its status (leads). Secrets are never listed. */
export const GET = apiHandler(withAccessErrors(async ({ locals }) => ok({ invites: await backend().access.admin.listInvites(locals.principal) })));

/**
 * Creates an invite for a department with a role (with `boardId`: a board join link). The link is
 * in this answer only; the server keeps a hash of its secret.
 */
export const POST = apiHandler(
	withAccessErrors(async ({ locals, request, url }) => {
		const input = await readJson(request, createInviteInput);
		const { invite, token, path } = await backend().access.admin.createInvite(locals.principal, input);
		return ok({ invite, token, link: `${url.origin}${path}` }, 201);
	})
);
