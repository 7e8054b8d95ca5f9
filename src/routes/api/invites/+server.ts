import { createInviteInput } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readJson } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** Every invite and board join link, with its status (leads). Secrets are never listed. */
export const GET = apiHandler(async ({ locals }) => ok({ invites: await backend().access.admin.listInvites(locals.principal) }));

/**
 * Creates an invite for a department with a role (with `boardId`: a board join link). The link is
 * in this answer only; the server keeps a hash of its secret. With `email`, the invite is for that
 * one person: it is sent to them (`sent: true` when mail is set up) and the address becomes theirs.
 */
export const POST = apiHandler(async ({ locals, request, url }) => {
	const input = await readJson(request, createInviteInput);
	const { access, identity } = backend();
	const { invite, token, path } = await access.admin.createInvite(locals.principal, input);
	const link = `${url.origin}${path}`;
	// An invite for one person goes to their address (when mail is set up): `sent` says so.
	const sent = locals.principal ? await identity.sendInvite(invite, path, locals.principal) : false;
	return ok({ invite, token, link, sent }, 201);
});
