import { backend } from '#lib/server/backend.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, depends }) => {
	depends('app:notifications');
	const principal = locals.principal;
	const person = principal?.kind === 'person';
	const { dateLocale } = await backend().workspace.settings();
	return {
		me: principal ? { id: principal.id, name: principal.name, role: principal.role, kind: principal.kind } : undefined,
		/** A person's unread notifications, for the bell (re-loaded when one arrives). */
		/** The workspace's locale, read on every load: every page writes dates in it (see #lib/date-context.ts). */
		dateLocale,
		unread: person ? (await backend().notifications.list(principal)).unread : 0
	};
};
