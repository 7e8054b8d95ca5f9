import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { addDays, isoDateAt } from '#lib/board/dates.ts';
import type { CaptureInput, ReviewInput } from '#lib/protocol/meeting.ts';
import { entityId } from '#lib/protocol/workspace.ts';
import { backend } from '#lib/server/backend.ts';
import type { Actions, PageServerLoad } from './$types';
import { signInPath } from '#lib/protocol/sign-in-next.ts';

/** A MeetingError from the backend (recognised by name: classes are not shared with the bundle). */
function meetingFailure(cause: unknown): { status: 400 | 403 | 404 | 409; message: string } | undefined {
	const { name, code, message } = (cause ?? {}) as { name?: string; code?: string; message?: string };
	if (name !== 'MeetingError' && name !== 'InvalidInputError' && name !== 'RecordNotFoundError') return undefined;
	const status = code === 'forbidden' || code === 'not_chair' ? 403 : code === 'not_found' || code === 'record_not_found' ? 404 : code === 'invalid_payload' || code === 'invalid_input' ? 400 : 409;
	return { status, message: message ?? 'that did not work' };
}

function principalOf(event: Pick<RequestEvent, 'locals' | 'url'>) {
	const principal = event.locals.principal;
	// After signing in, come back here (a form post lands on the meeting page itself).
	if (!principal || principal.kind === 'wall') redirect(303, signInPath(new URL(event.url.pathname, event.url)));
	return principal;
}

/** The chair's (and everyone's) meeting page: the meeting, its agenda (what changed since the last one, inherited actions), what it captured. */
export const load: PageServerLoad = async (event) => {
	const principal = principalOf(event);
	const id = entityId.safeParse(event.params.id);
	if (!id.success) error(404, { message: 'There is no such meeting.', code: 'not_found' });
	const meetings = backend().meetings;
	const found = await meetings.get(principal, id.data).catch((cause: unknown) => {
		if (meetingFailure(cause)?.status === 404) return undefined;
		throw cause;
	});
	if (!found) error(404, { message: 'There is no such meeting, or you cannot see its mission.', code: 'not_found' });
	const { meeting, live } = found;
	const today = isoDateAt(Date.now());
	const [scope, context, agenda, previous, since, recorded] = await Promise.all([
		meetings.scope(principal, meeting.missionId),
		meetings.wallContext(principal, meeting.missionId),
		meetings.capture.agenda(principal, meeting.id, today),
		meeting.previousMeetingId ? meetings.recordFor(principal, meeting.previousMeetingId) : Promise.resolve(undefined),
		backend().sinceLastMeeting.forMeeting(principal, meeting),
		meetings.capture.recorded(principal, meeting.id)
	]);
	if (!scope || !context) error(404, { message: 'There is no such meeting, or you cannot see its mission.', code: 'not_found' });
	return {
		meeting: { ...meeting, running: meeting.endedAt === null },
		live,
		previous: previous ? { id: previous.id, title: previous.title, date: previous.date } : null,
		since,
		recorded,
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

const list = (value: FormDataEntryValue | null) =>
	String(value ?? '')
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean);

export const actions: Actions = {
	/** Records a decision or an action in the meeting. */
	capture: async (event) => {
		const principal = principalOf(event);
		const form = await event.request.formData();
		const kind = form.get('kind') === 'action' ? ('action' as const) : ('decision' as const);
		const text = String(form.get('text') ?? '');
		const boardId = String(form.get('boardId') ?? '') || undefined;
		const input: CaptureInput =
			kind === 'action'
				? { kind, text, owner: String(form.get('owner') ?? ''), due: String(form.get('due') ?? ''), boardId }
				: { kind, text, rationale: String(form.get('rationale') ?? ''), decisionMakers: list(form.get('decisionMakers')), boardId };
		try {
			const captured = await backend().meetings.capture.capture(principal, String(event.params.id), input);
			return { captured: { ref: captured.ref, kind, text: text.trim() } };
		} catch (cause) {
			const failure = meetingFailure(cause);
			if (!failure) throw cause;
			return fail(failure.status, { kind, text, owner: String(form.get('owner') ?? ''), due: String(form.get('due') ?? ''), error: failure.message });
		}
	},

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
			const failure = meetingFailure(cause);
			if (!failure) throw cause;
			return fail(failure.status, { reviewError: failure.message, actionId: base.actionId });
		}
	},

	/** Ends the meeting (its chair or a lead), once confirmed: the first press only asks. */
	end: async (event) => {
		const principal = principalOf(event);
		const form = await event.request.formData();
		if (form.get('confirm') !== 'yes') return { confirmEnd: true as const };
		try {
			await backend().meetings.end(principal, String(event.params.id));
		} catch (cause) {
			const failure = meetingFailure(cause);
			if (!failure) throw cause;
			return fail(failure.status, { endError: failure.message });
		}
		// The meeting's page is now its record.
		redirect(303, `/meetings/${encodeURIComponent(String(event.params.id))}`);
	}
};
