import { error, fail, redirect } from '@sveltejs/kit';
import { signInPath } from '#lib/protocol/sign-in-next.ts';
import { playlistInput, wallView } from '#lib/protocol/meeting.ts';
import { entityId } from '#lib/protocol/workspace.ts';
import { backend } from '#lib/server/backend.ts';
import type { Actions, PageServerLoad } from './$types';
import { sentence } from '#lib/protocol/sentence.ts';

/** Extra empty rows the form offers, so views can be added without JavaScript. */
const spareRows = 3;

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const principal = locals.principal;
	if (!principal || principal.kind === 'wall') redirect(303, signInPath(url));
	const missionId = entityId.safeParse(params.missionId);
	const scope = missionId.success ? await backend().meetings.scope(principal, missionId.data) : undefined;
	if (!scope || !missionId.success) error(404, { message: 'There is no such mission, or you cannot see it.', code: 'not_found' });
	const playlist = await backend().meetings.playlist(principal, missionId.data);
	return { mission: { id: scope.mission.id, title: scope.mission.title }, playlist, spareRows, lead: principal.role === 'lead' };
};

/** The rows of the form: view[i] and seconds[i]; rows without a view are left out. */
function readRows(form: FormData) {
	const views = form.getAll('view').map(String);
	const seconds = form.getAll('seconds').map((value) => Number(value));
	const items = [];
	for (let i = 0; i < views.length; i++) {
		if (!views[i]) continue;
		const view = wallView.safeParse(views[i]);
		items.push({ view: view.success ? view.data : views[i], seconds: seconds[i] ?? NaN });
	}
	return items;
}

async function save(locals: App.Locals, missionId: string, items: unknown) {
	const principal = locals.principal;
	if (!principal) redirect(303, '/login');
	const parsed = items === null ? { success: true as const, data: null } : playlistInput.safeParse({ items });
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		return fail(400, { error: sentence(`${issue?.path.join(' ') ?? ''}: ${issue?.message ?? 'check the playlist'}`.replace(/^items (\d+)/, (_, n: string) => `row ${Number(n) + 1}`)) });
	}
	try {
		await backend().meetings.setPlaylist(principal, missionId, parsed.data);
	} catch (cause) {
		const failure = backend().failureOf(cause);
		if (!failure) throw cause;
		return fail(failure.status, { error: sentence(failure.message) });
	}
	return { saved: true };
}

export const actions: Actions = {
	save: async ({ locals, params, request }) => save(locals, params.missionId, readRows(await request.formData())),
	reset: async ({ locals, params }) => save(locals, params.missionId, null)
};
