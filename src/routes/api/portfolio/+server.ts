import { portfolioQuery } from '#lib/protocol/missions.ts';
import { apiHandler, ok, readQuery, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** The Missions Board view: every mission the caller can see (or `?missions=a,b`), with confidence, targets' status and milestones at risk. */
export const GET = apiHandler(async ({ locals, url }) => {
	const principal = requirePrincipal(locals);
	const { missions } = readQuery(url, portfolioQuery);
	return ok(await backend().missions.portfolio(principal, { missionIds: missions }));
});
