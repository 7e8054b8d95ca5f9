/**
 * Named errors of meeting mode. The `code` is what socket.io acknowledgements and the JSON API
 * send back (`{ ok: false, error: { code, message } }` and `{ error: { code, message } }`);
 * messages are safe to show.
 */
import type { MeetingError as MeetingErrorPayload, MeetingErrorCode } from '#lib/protocol/meeting.ts';

export type MeetingFailureCode = MeetingErrorCode | 'conflict';

export class MeetingError extends Error {
	readonly code: MeetingFailureCode;
	constructor(code: MeetingFailureCode, message: string) {
		super(message);
		this.name = 'MeetingError';
		this.code = code;
	}

	toPayload(): MeetingErrorPayload {
		return { code: this.code, message: this.message };
	}
}

/** HTTP status of each code, for the JSON API. */
export const meetingErrorStatus = {
	invalid_payload: 400,
	forbidden: 403,
	not_chair: 403,
	no_meeting: 409,
	meeting_running: 409,
	not_found: 404,
	not_connected: 409,
	conflict: 409
} as const satisfies Record<MeetingFailureCode, number>;
