import { inviteActions, loadInvite } from '../invite-page.server.ts';
import type { Actions, PageServerLoad } from './$types';

/** An invite link: who invited you to which department, with which role. */
export const load: PageServerLoad = (event) => loadInvite(event);

export const actions: Actions = inviteActions;
