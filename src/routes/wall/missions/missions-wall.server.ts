import { isoDateAt } from '#lib/board/dates.ts';
import { portfolioQuery } from '#lib/protocol/missions.ts';
import { backend } from '#lib/server/backend.ts';

/**
 * What the wall across missions shows: the Missions Board view, and each mission's tracking (for
 * its own screen), for every mission the display or person can see, or `?missions=a,b`.
 */
export async function loadMissionsWall(principal: App.Locals['principal'], url: URL) {
	if (!principal) return { state: 'no-link' as const };
	const picked = portfolioQuery.safeParse({ missions: url.searchParams.get('missions') ?? undefined });
	const portfolio = await backend().missions.portfolio(principal, { missionIds: picked.success ? picked.data.missions : undefined });
	if (portfolio.missions.length === 0) return { state: 'no-mission' as const };
	const tracking = await Promise.all(portfolio.missions.map((mission) => backend().missions.tracking(principal, mission.id)));
	return { state: 'ok' as const, portfolio, tracking, today: isoDateAt(Date.now()) };
}

export type MissionsWallData = Awaited<ReturnType<typeof loadMissionsWall>>;
