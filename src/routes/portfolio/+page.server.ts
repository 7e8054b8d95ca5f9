import { fail, redirect } from '@sveltejs/kit';
import { signInPath } from '#lib/protocol/sign-in-next.ts';
import { workspaceDependency } from '#lib/components/workspace/form-result.ts';
import { isoDateAt } from '#lib/board/dates.ts';
import { portfolioQuery } from '#lib/protocol/missions.ts';
import { backend } from '#lib/server/backend.ts';
import { startMissionsBoardInput } from '#lib/protocol/meeting.ts';
import type { Actions, PageServerLoad } from './$types';
import { sentence } from '#lib/protocol/sentence.ts';

/**
 * The Missions Board view: every mission the person can see, or the ones the chair picked
 * (`?missions=a&missions=b` from the picker, or `?missions=a,b`). No side effects.
 */
export const load: PageServerLoad = async ({ locals, url, depends }) => {
	depends(workspaceDependency);
	const principal = locals.principal;
	if (!principal) redirect(303, signInPath(url));
	const picked = portfolioQuery.safeParse({ missions: url.searchParams.getAll('missions').join(',') || undefined });
	const missionIds = picked.success && picked.data.missions && picked.data.missions.length > 0 ? picked.data.missions : undefined;
	const [portfolio, all, meeting] = await Promise.all([
		backend().missions.portfolio(principal, { missionIds }),
		backend().workspace.listMissions(principal),
		principal.kind === 'wall' ? Promise.resolve(null) : backend().meetings.runningMissionsBoard(principal)
	]);
	return {
		portfolio,
		meeting: meeting ? { id: meeting.meetingId, title: meeting.title, chair: meeting.chair.name, missions: meeting.missionIds.length } : null,
		canChair: principal.kind !== 'wall' && principal.role === 'lead',
		choices: all.map((mission) => ({ id: mission.id, title: mission.title })),
		picked: missionIds ?? [],
		today: isoDateAt(Date.now())
	};
};

export const actions: Actions = {
	/** Starts the Missions Board meeting across the missions shown (a lead in the chair) and opens it. */
	startMeeting: async ({ locals, request }) => {
		const principal = locals.principal;
		if (!principal || principal.kind === 'wall') redirect(303, '/login');
		const form = await request.formData();
		const picked = form.getAll('missions').map(String).filter(Boolean);
		const parsed = startMissionsBoardInput.safeParse({ missionIds: picked.length > 0 ? picked : undefined, title: String(form.get('title') ?? '').trim() || undefined });
		if (!parsed.success) return fail(400, { meetingError: parsed.error.issues[0]?.message ?? 'check the missions picked' });
		let meetingId: string;
		try {
			meetingId = (await backend().meetings.startMissionsBoard(principal, parsed.data)).meetingId;
		} catch (cause) {
			const failure = backend().failureOf(cause);
			if (!failure) throw cause;
			return fail(failure.status, { meetingError: sentence(failure.message) });
		}
		redirect(303, `/meetings/missions-board/${meetingId}`);
	}
};
