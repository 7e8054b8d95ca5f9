import { linkInput } from '#lib/protocol/record-actions.ts';
import { apiHandler, ok, readJson } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';
import { recordTarget } from '#lib/server/record-routes.ts';

/** Links the record to another record on the board (`links`, a blocker's `blocks`, a decision's `createdActions`). */
export const POST = apiHandler(async (event) => {
	const { principal, boardId, register, ref } = recordTarget(event);
	const input = await readJson(event.request, linkInput);
	return ok(await backend().workspace.writeRecords(principal, boardId, (records) => records.link(principal, boardId, register, ref, input)));
});
