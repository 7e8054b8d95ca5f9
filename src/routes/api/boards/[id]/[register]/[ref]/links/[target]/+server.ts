import { unlinkQuery } from '#lib/protocol/record-actions.ts';
import { apiHandler, ok, readId, readQuery } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';
import { recordTarget, refOrId } from '#lib/server/record-routes.ts';

/** Removes a link (`?field=blocks` or `createdActions` for those link fields). */
export const DELETE = apiHandler(async (event) => {
	const { principal, boardId, register, ref } = recordTarget(event);
	const target = readId(event.params.target, refOrId, 'link target');
	const { field } = readQuery(event.url, unlinkQuery);
	return ok(await backend().workspace.writeRecords(principal, boardId, (records) => records.unlink(principal, boardId, register, ref, target, field)));
});
