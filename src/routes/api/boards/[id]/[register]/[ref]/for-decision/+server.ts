import { forDecisionInput, forDecisionRegisters, type ForDecisionRegister } from '#lib/protocol/records.ts';
import { apiError, apiHandler, ok, readJson } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';
import { recordTarget } from '#lib/server/record-routes.ts';

function markable(register: string): ForDecisionRegister {
	if ((forDecisionRegisters as readonly string[]).includes(register)) return register as ForDecisionRegister;
	throw apiError('invalid_request', `only dependencies and blockers can be put to the Missions Board for a decision, not ${register}`);
}

/** Puts a dependency or blocker to the Missions Board for a decision (`{ note? }`); the server stamps who and when. */
export const PUT = apiHandler(async (event) => {
	const { principal, boardId, register, ref } = recordTarget(event);
	const target = markable(register);
	const { note } = await readJson(event.request, forDecisionInput);
	return ok(await backend().workspace.writeRecords(principal, boardId, (records) => records.forDecision(principal, boardId, target, ref, note)));
});

/** Takes the record off the Missions Board's list for decision. */
export const DELETE = apiHandler(async (event) => {
	const { principal, boardId, register, ref } = recordTarget(event);
	const target = markable(register);
	return ok(await backend().workspace.writeRecords(principal, boardId, (records) => records.forDecision(principal, boardId, target, ref, null)));
});
