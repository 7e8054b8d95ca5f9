import { commentInput } from '#lib/protocol/record-actions.ts';
import { apiHandler, ok, readJson } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';
import { recordTarget } from '#lib/server/record-routes.ts';

/**
 * Adds a comment to the record's thread (append-only), attributed to the caller; answers the record.
 * Writers of the board may comment, and so may advisers on a board they can read (their one write).
 */
export const POST = apiHandler(async (event) => {
	const { principal, boardId, register, ref } = recordTarget(event);
	const input = await readJson(event.request, commentInput);
	return ok(await backend().workspace.commentOnRecord(principal, boardId, register, ref, input), 201);
});
