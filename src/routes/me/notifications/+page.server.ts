import { fail, redirect } from '@sveltejs/kit';
import { signInPath } from '#lib/protocol/sign-in-next.ts';
import { deliveryModes, notificationPreferences, preferenceKinds, preferenceLabels } from '#lib/protocol/notifications.ts';
import { backend } from '#lib/server/backend.ts';
import { ukDateTime } from '../../access/format.ts';
import type { Actions, PageServerLoad } from './$types';
import { sentence } from '#lib/protocol/sentence.ts';

/** The inbox (newest first; unread marked) and the email settings. No side effects. */
export const load: PageServerLoad = async ({ locals, depends, url, parent }) => {
	const { dateLocale } = await parent();
	depends('app:notifications');
	const principal = locals.principal;
	if (!principal) redirect(303, signInPath(url));
	const { notifications, identity } = backend();
	const [list, preferences, settings] = await Promise.all([notifications.list(principal), notifications.preferences(principal), backend().workspace.settings()]);
	return {
		unread: list.unread,
		notifications: list.notifications.map((entry) => ({ ...entry, when: ukDateTime(entry.at, dateLocale) })),
		preferences,
		kinds: preferenceKinds.map((kind) => ({ kind, label: preferenceLabels[kind] })),
		modes: [...deliveryModes],
		mail: identity.outbox !== undefined,
		digestAt: `${String(settings.digestHour).padStart(2, '0')}:00 (${settings.timeZone.replace(/_/g, ' ')})`
	};
};

async function attempt(run: () => Promise<unknown>, done: string) {
	try {
		await run();
		return { ok: true as const, message: done };
	} catch (cause) {
		const failure = backend().failureOf(cause);
		if (!failure) throw cause;
		return fail(failure.status, { ok: false as const, message: sentence(failure.message) });
	}
}

export const actions: Actions = {
	read: async ({ request, locals }) => {
		const id = String((await request.formData()).get('id') ?? '');
		return attempt(() => backend().notifications.markRead(locals.principal, id ? { ids: [id] } : { all: true }), id ? 'Marked read.' : 'All marked read.');
	},
	preferences: async ({ request, locals }) => {
		const form = await request.formData();
		const parsed = notificationPreferences.safeParse({
			email: Object.fromEntries(preferenceKinds.map((kind) => [kind, String(form.get(kind) ?? '')])),
			dailyDigest: form.get('dailyDigest') === 'on'
		});
		if (!parsed.success) return fail(400, { ok: false as const, message: 'Choose immediately, in the digest or off for each kind of email.' });
		return attempt(() => backend().notifications.setPreferences(locals.principal, parsed.data), 'Settings saved.');
	}
};
