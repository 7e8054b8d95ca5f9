/**
 * `PUT`/`DELETE /api/boards/:id/{dependencies|blockers}/:ref/for-decision`: a dependency or blocker
 * put to the Missions Board for a decision (`{ note? }`), or taken off its list. The server stamps
 * who and when; only these two registers have the route.
 */
import { forDecisionInput, type ForDecisionRegister } from '#lib/protocol/records.ts';
import { apiHandler, ok, readJson } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';
import { recordTarget } from '#lib/server/record-routes.ts';

export function forDecisionRoutes(register: ForDecisionRegister) {
	return {
		PUT: apiHandler(async (event) => {
			const { principal, boardId, ref } = recordTarget(event, register);
			const { note } = await readJson(event.request, forDecisionInput);
			return ok(await backend().workspace.writeRecords(principal, boardId, (records) => records.forDecision(principal, boardId, register, ref, note)));
		}),
		DELETE: apiHandler(async (event) => {
			const { principal, boardId, ref } = recordTarget(event, register);
			return ok(await backend().workspace.writeRecords(principal, boardId, (records) => records.forDecision(principal, boardId, register, ref, null)));
		})
	};
}
