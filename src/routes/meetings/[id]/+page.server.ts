import { error, fail, redirect } from '@sveltejs/kit';
import { addDays, isoDateAt } from '#lib/board/dates.ts';
import type { ReviewInput } from '#lib/protocol/meeting.ts';
import { entityId } from '#lib/protocol/workspace.ts';
import { backend } from '#lib/server/backend.ts';
import type { Actions, PageServerLoad } from './$types';
import { captureAction, endAction, principalOf } from '../meeting-actions.ts';
import { sentence } from '#lib/protocol/sentence.ts';

/** The chair's (and everyone's) meeting page: the meeting, its agenda (what changed since the last one, inherited actions), what it captured. */
export const load: PageServerLoad = async (event) => {
	const principal = principalOf(event);
	const id = entityId.safeParse(event.params.id);
	if (!id.success) error(404, { message: 'There is no such meeting.', code: 'not_found' });
	const meetings = backend().meetings;
	const found = await meetings.get(principal, id.data).catch((cause: unknown) => {
		if (backend().failureOf(cause)?.status === 404) return undefined;
		throw cause;
	});
	if (!found) error(404, { message: 'There is no such meeting, or you cannot see its mission.', code: 'not_found' });
	const { meeting, live } = found;
	// A Missions Board meeting across missions has its own page.
	if (meeting.missionIds.length > 0) redirect(303, `/meetings/missions-board/${meeting.id}`);
	const today = isoDateAt(Date.now());
	const [scope, context, agenda, previous, since, recorded, earlier] = await Promise.all([
		meetings.scope(principal, meeting.missionId),
		meetings.wallContext(principal, meeting.missionId),
		meetings.capture.agenda(principal, meeting.id, today),
		meeting.previousMeetingId ? meetings.recordFor(principal, meeting.previousMeetingId) : Promise.resolve(undefined),
		backend().sinceLastMeeting.forMeeting(principal, meeting),
		meetings.capture.recorded(principal, meeting.id),
		meetings.list(principal, meeting.missionId)
	]);
	if (!scope || !context) error(404, { message: 'There is no such meeting, or you cannot see its mission.', code: 'not_found' });
	return {
		meeting: { ...meeting, running: meeting.endedAt === null },
		live,
		previous: previous ? { id: previous.id, title: previous.title, date: previous.date } : null,
		since,
		recorded,
		/** Moments the chair may show the walls "as at": the start and end of every earlier meeting the reader may see. */
		asAtMoments: earlier
			.filter((other) => other.id !== meeting.id)
			.flatMap((other) => [
				...(other.endedAt !== null ? [{ at: other.endedAt, label: `End of ${other.title}` }] : []),
				{ at: other.startedAt, label: `Start of ${other.title}` }
			])
			.sort((a, b) => b.at - a.at),
		agenda: agenda.map(({ boardId, boardTitle, action, review, overdue }) => ({
			boardId,
			boardTitle,
			id: action.id,
			ref: action.ref,
			text: action.text,
			owner: action.owner.name,
			due: action.due,
			slips: action.replans.length,
			status: action.status,
			review: review?.outcome ?? null,
			overdue
		})),
		context,
		writableBoards: scope.boards.filter((board) => scope.writable.has(board.id)).map(({ id, title }) => ({ id, title })),
		canChair: scope.canChair,
		me: { id: principal.id, name: principal.name, lead: principal.role === 'lead' },
		defaultDue: addDays(today, 7),
		today
	};
};

export const actions: Actions = {
	/** Records a decision or an action in the meeting. */
	capture: captureAction,

	/** Done, re-planned or carried forward: an action inherited from the previous meeting. */
	review: async (event) => {
		const principal = principalOf(event);
		const form = await event.request.formData();
		const outcome = String(form.get('outcome') ?? '');
		const base = { boardId: String(form.get('boardId') ?? ''), actionId: String(form.get('actionId') ?? '') };
		const input =
			outcome === 'replanned'
				? { outcome, ...base, due: String(form.get('due') ?? ''), reason: String(form.get('reason') ?? '') }
				: { outcome: outcome === 'done' ? ('done' as const) : ('carried' as const), ...base };
		try {
			await backend().meetings.capture.review(principal, String(event.params.id), input as ReviewInput);
			return { reviewed: base.actionId };
		} catch (cause) {
			const failure = backend().failureOf(cause);
			if (!failure) throw cause;
			return fail(failure.status, { reviewError: sentence(failure.message), actionId: base.actionId });
		}
	},

	/** Ends the meeting; its page is then its record. */
	end: endAction((meetingId) => `/meetings/${encodeURIComponent(meetingId)}`)
};
