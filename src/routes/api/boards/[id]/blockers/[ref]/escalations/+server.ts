import { escalationInput } from '#lib/protocol/record-actions.ts';
import { apiHandler, ok, readJson } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';
import { recordTarget } from '#lib/server/record-routes.ts';

/** Records a step up the escalation ladder; the blocker becomes escalated. */
export const POST = apiHandler(async (event) => {
	const { principal, boardId, ref } = recordTarget(event, 'blockers');
	const input = await readJson(event.request, escalationInput);
	return ok(await backend().workspace.writeRecords(principal, boardId, (records) => records.escalate(principal, boardId, ref, input)), 201);
});
