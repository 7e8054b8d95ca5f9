import { captureInput } from '#lib/protocol/meeting.ts';
import { entityId } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readId, readJson, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/**
 * Records a decision (`kind: "decision"`) or an action (`kind: "action"`, with owner and due date)
 * in the meeting's board (or `boardId`), tagged with the meeting; answers with its ref.
 */
export const POST = apiHandler(async ({ locals, params, request }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'meeting');
	const input = await readJson(request, captureInput);
	return ok(await backend().meetings.capture.capture(principal, id, input), 201);
});
