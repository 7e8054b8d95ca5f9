import { inviteActions, loadInvite } from '../../invite/invite-page.server.ts';
import type { Actions, PageServerLoad } from './$types';

/** A board join link: a department joins a board (and whoever opens it can join the department). */
export const load: PageServerLoad = (event) => loadInvite(event);

export const actions: Actions = inviteActions;
