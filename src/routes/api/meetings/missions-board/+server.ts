import { startMissionsBoardInput } from '#lib/protocol/meeting.ts';
import { apiHandler, ok, readJson, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** The Missions Board meetings the caller can see (newest first) and the running one, as they may see it. */
export const GET = apiHandler(async ({ locals }) => {
	const principal = requirePrincipal(locals);
	const meetings = backend().meetings;
	const [list, running] = await Promise.all([meetings.listMissionsBoard(principal), meetings.runningMissionsBoard(principal)]);
	return ok({ meetings: list, running });
});

/** Starts the Missions Board meeting across `missionIds` (all the chair can see when absent), a lead in the chair. */
export const POST = apiHandler(async ({ locals, request }) => {
	const principal = requirePrincipal(locals);
	const input = await readJson(request, startMissionsBoardInput);
	return ok(await backend().meetings.startMissionsBoard(principal, input), 201);
});
