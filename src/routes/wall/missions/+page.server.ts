import { staleAfterFromUrl } from '#lib/wall/wall-defaults.ts';
import { loadMissionsWall } from './missions-wall.server.ts';
import type { PageServerLoad } from './$types';

/**
 * The wall across missions: the Missions Board view, then one screen per mission. A display's
 * `?token=` link has already become its device cookie (src/hooks.server.ts). Never redirects to a
 * login page. No side effects.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	const seconds = Number(url.searchParams.get('seconds'));
	return {
		initial: await loadMissionsWall(locals.principal, url),
		staleAfterMs: staleAfterFromUrl(url),
		secondsPerScreen: Number.isInteger(seconds) && seconds >= 5 && seconds <= 600 ? seconds : 30
	};
};
