import { json } from '@sveltejs/kit';
import { loadMissionsWall } from '../missions-wall.server.ts';
import type { RequestHandler } from './$types';

/** The cross-mission wall's data, re-read by the wall every few seconds (and on `workspace:changed`). */
export const GET: RequestHandler = async ({ locals, url }) => {
	const data = await loadMissionsWall(locals.principal, url);
	return json(data, { status: data.state === 'ok' ? 200 : 404, headers: { 'cache-control': 'no-store' } });
};
