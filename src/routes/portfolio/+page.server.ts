import { redirect } from '@sveltejs/kit';
import { workspaceDependency } from '#lib/components/workspace/form-result.ts';
import { isoDateAt } from '#lib/board/dates.ts';
import { portfolioQuery } from '#lib/protocol/missions.ts';
import { backend } from '#lib/server/backend.ts';
import type { PageServerLoad } from './$types';

/**
 * The Missions Board view: every mission the person can see, or the ones the chair picked
 * (`?missions=a&missions=b` from the picker, or `?missions=a,b`). No side effects.
 */
export const load: PageServerLoad = async ({ locals, url, depends }) => {
	depends(workspaceDependency);
	const principal = locals.principal;
	if (!principal) redirect(303, '/login');
	const picked = portfolioQuery.safeParse({ missions: url.searchParams.getAll('missions').join(',') || undefined });
	const missionIds = picked.success && picked.data.missions && picked.data.missions.length > 0 ? picked.data.missions : undefined;
	const [portfolio, all] = await Promise.all([backend().missions.portfolio(principal, { missionIds }), backend().workspace.listMissions(principal)]);
	return {
		portfolio,
		choices: all.map((mission) => ({ id: mission.id, title: mission.title })),
		picked: missionIds ?? [],
		today: isoDateAt(Date.now())
	};
};
