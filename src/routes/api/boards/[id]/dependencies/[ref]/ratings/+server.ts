import { ratingInput } from '#lib/protocol/record-actions.ts';
import { apiHandler, ok, readJson } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';
import { recordTarget } from '#lib/server/record-routes.ts';

/** Rates the dependency's confidence with a narrative; the rating history keeps every one. */
export const POST = apiHandler(async (event) => {
	const { principal, boardId, ref } = recordTarget(event, 'dependencies');
	const input = await readJson(event.request, ratingInput);
	return ok(await backend().workspace.writeRecords(principal, boardId, (records) => records.rate(principal, boardId, ref, input)), 201);
});
