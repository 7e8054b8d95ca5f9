import { fail, redirect } from '@sveltejs/kit';
import { startMeetingInput } from '#lib/protocol/meeting.ts';
import { backend } from '#lib/server/backend.ts';
import type { Actions, PageServerLoad } from './$types';
import { signInPath } from '#lib/protocol/sign-in-next.ts';
import { sentence } from '#lib/protocol/sentence.ts';

/** Meetings by mission: the running one, the last few, and a form to start one. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const principal = locals.principal;
	if (!principal || principal.kind === 'wall') redirect(303, signInPath(url));
	const meetings = backend().meetings;
	const context = await meetings.wallContext(principal);
	const missionList = context?.missions ?? [];
	const missions = await Promise.all(
		missionList.map(async (mission) => {
			const scope = await meetings.scope(principal, mission.id);
			const history = await meetings.list(principal, mission.id);
			const running = history.find((meeting) => meeting.endedAt === null);
			return {
				id: mission.id,
				title: mission.title,
				boards: (scope?.boards ?? []).filter((board) => scope?.writable.has(board.id)).map(({ id, title }) => ({ id, title })),
				canChair: scope?.canChair ?? false,
				running: running ? { id: running.id, title: running.title, chair: running.chair.name } : null,
				past: history.filter((meeting) => meeting.endedAt !== null).slice(0, 5).map(({ id, title, date, forum }) => ({ id, title, date, forum })),
				forums: [...new Set(history.map((meeting) => meeting.forum))]
			};
		})
	);
	return { missions, lead: principal.role === 'lead' };
};

export const actions: Actions = {
	start: async ({ request, locals }) => {
		const principal = locals.principal;
		if (!principal) redirect(303, '/login');
		const form = await request.formData();
		const raw = {
			missionId: String(form.get('missionId') ?? ''),
			forum: String(form.get('forum') ?? ''),
			title: String(form.get('title') ?? '').trim() || undefined,
			boardId: String(form.get('boardId') ?? '') || undefined
		};
		const parsed = startMeetingInput.safeParse(raw);
		if (!parsed.success) return fail(400, { missionId: raw.missionId, forum: raw.forum, error: parsed.error.issues[0]?.message ?? 'check the form' });
		let meetingId: string;
		try {
			meetingId = (await backend().meetings.start(principal, parsed.data)).meetingId;
		} catch (cause) {
			const failure = backend().failureOf(cause);
			if (!failure) throw cause;
			return fail(failure.status, { missionId: raw.missionId, forum: raw.forum, error: sentence(failure.message) });
		}
		redirect(303, `/meetings/${meetingId}`);
	}
};
