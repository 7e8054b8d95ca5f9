import { apiHandler, ok } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';
import { recordTarget } from '#lib/server/record-routes.ts';

/** Restores the record (it keeps its ref); answers the record. */
export const POST = apiHandler(async (event) => {
	const { principal, boardId, register, ref } = recordTarget(event);
	return ok(await backend().workspace.writeRecords(principal, boardId, (records) => records.restore(principal, boardId, register, ref)));
});
