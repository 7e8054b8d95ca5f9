import { correctDecisionInput } from '#lib/protocol/record-actions.ts';
import { apiHandler, ok, readJson } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';
import { recordTarget } from '#lib/server/record-routes.ts';

/** Corrects a decision with a new entry that supersedes it (the original is never rewritten); answers the new decision. */
export const POST = apiHandler(async (event) => {
	const { principal, boardId, ref } = recordTarget(event, 'decisions');
	const input = await readJson(event.request, correctDecisionInput);
	return ok(await backend().workspace.writeRecords(principal, boardId, (records) => records.correct(principal, boardId, ref, input)), 201);
});
