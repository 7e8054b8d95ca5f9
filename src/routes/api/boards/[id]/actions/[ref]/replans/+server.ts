import { replanInput } from '#lib/protocol/record-actions.ts';
import { apiHandler, ok, readJson } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';
import { recordTarget } from '#lib/server/record-routes.ts';

/** Moves the action's due date; every re-plan is kept and counts as a slip. */
export const POST = apiHandler(async (event) => {
	const { principal, boardId, ref } = recordTarget(event, 'actions');
	const input = await readJson(event.request, replanInput);
	return ok(await backend().workspace.writeRecords(principal, boardId, (records) => records.replan(principal, boardId, ref, input)), 201);
});
