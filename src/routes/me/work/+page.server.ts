import { redirect } from '@sveltejs/kit';
import { signInPath } from '#lib/protocol/sign-in-next.ts';
import { workReasonLabels, workReasons } from '#lib/protocol/my-work.ts';
import { registerNouns } from '#lib/protocol/registers.ts';
import { backend } from '#lib/server/backend.ts';
import type { PageServerLoad } from './$types';

/** My work: what I owe and am owed across the boards I can read, grouped by why it is mine. No side effects. */
export const load: PageServerLoad = async ({ locals, depends, url }) => {
	depends('app:my-work');
	const principal = locals.principal;
	if (!principal) redirect(303, signInPath(url));
	const work = await backend().identity.myWork(principal);
	return {
		counts: work.counts,
		asOf: work.asOf,
		groups: workReasons
			.map((reason) => ({
				reason,
				label: workReasonLabels[reason],
				items: work.items.filter((item) => item.reason === reason).map((item) => ({ ...item, noun: registerNouns[item.register] }))
			}))
			.filter((group) => group.items.length > 0)
	};
};
