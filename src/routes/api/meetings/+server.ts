import { z } from 'zod';
import { startMeetingInput } from '#lib/protocol/meeting.ts';
import { entityId } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readJson, readQuery, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

const listMeetingsQuery = z.object({ missionId: entityId });

/** The meetings of a mission, newest first: `?missionId=`. */
export const GET = apiHandler(async ({ locals, url }) => {
	const principal = requirePrincipal(locals);
	const { missionId } = readQuery(url, listMeetingsQuery);
	return ok({ meetings: await backend().meetings.list(principal, missionId) });
});

/** Starts a meeting with the caller in the chair; answers with its live state. */
export const POST = apiHandler(async ({ locals, request }) => {
	const principal = requirePrincipal(locals);
	const input = await readJson(request, startMeetingInput);
	return ok(await backend().meetings.start(principal, input), 201);
});
