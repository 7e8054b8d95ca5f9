/**
 * What the meeting pages share: who is asking, and the capture and end form actions (a mission's
 * meeting and the Missions Board meeting record and end the same way).
 */
import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { CaptureInput } from '#lib/protocol/meeting.ts';
import { signInPath } from '#lib/protocol/sign-in-next.ts';
import { backend } from '#lib/server/backend.ts';
import { sentence } from '#lib/protocol/sentence.ts';

/** The signed-in person (a wall display has no meeting pages): to the sign-in page otherwise, and back here after. */
export function principalOf(event: Pick<RequestEvent, 'locals' | 'url'>) {
	const principal = event.locals.principal;
	// After signing in, come back here (a form post lands on the meeting page itself).
	if (!principal || principal.kind === 'wall') redirect(303, signInPath(new URL(event.url.pathname, event.url)));
	return principal;
}

/** Names typed comma separated in a form field. */
const nameList = (value: FormDataEntryValue | null) =>
	String(value ?? '')
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean);

/** The capture form: records a decision or an action on the board picked (or the meeting's own). */
export async function captureAction(event: RequestEvent) {
	const principal = principalOf(event);
	const form = await event.request.formData();
	const kind = form.get('kind') === 'action' ? ('action' as const) : ('decision' as const);
	const text = String(form.get('text') ?? '');
	const boardId = String(form.get('boardId') ?? '') || undefined;
	const input: CaptureInput =
		kind === 'action'
			? { kind, text, owner: String(form.get('owner') ?? ''), due: String(form.get('due') ?? ''), boardId }
			: { kind, text, rationale: String(form.get('rationale') ?? ''), decisionMakers: nameList(form.get('decisionMakers')), boardId };
	try {
		const captured = await backend().meetings.capture.capture(principal, String(event.params.id), input);
		return { captured: { ref: captured.ref, kind, text: text.trim(), boardId: captured.boardId } };
	} catch (cause) {
		const failure = backend().failureOf(cause);
		if (!failure) throw cause;
		return fail(failure.status, { kind, text, owner: String(form.get('owner') ?? ''), due: String(form.get('due') ?? ''), error: sentence(failure.message) });
	}
}

/**
 * The end form: ends the meeting (its chair or a lead) once confirmed; the first press only asks.
 * Then to `after(meetingId)`.
 */
export function endAction(after: (meetingId: string) => string) {
	return async (event: RequestEvent) => {
		const principal = principalOf(event);
		const form = await event.request.formData();
		if (form.get('confirm') !== 'yes') return { confirmEnd: true as const };
		const meetingId = String(event.params.id);
		try {
			await backend().meetings.end(principal, meetingId);
		} catch (cause) {
			const failure = backend().failureOf(cause);
			if (!failure) throw cause;
			return fail(failure.status, { endError: sentence(failure.message) });
		}
		redirect(303, after(meetingId));
	};
}
