/**
 * Named errors of meeting mode, in the backend's one hierarchy (`server/errors.ts`). The `reason`
 * is what socket.io acknowledgements send back (`{ ok: false, error: { code, message } }`); the
 * `code` is its meaning on the JSON API. Messages are safe to show.
 */
import type { MeetingError as MeetingErrorPayload, MeetingErrorCode } from '#lib/protocol/meeting.ts';
import { AppError, type ErrorCode } from '../errors.ts';

export type MeetingFailureCode = MeetingErrorCode | 'conflict';

const meaning = {
	invalid_payload: 'invalid_request',
	forbidden: 'forbidden',
	not_chair: 'forbidden',
	no_meeting: 'conflict',
	meeting_running: 'conflict',
	not_connected: 'conflict',
	not_found: 'not_found',
	conflict: 'conflict'
} as const satisfies Record<MeetingFailureCode, ErrorCode>;

export class MeetingError extends AppError {
	readonly reason: MeetingFailureCode;
	constructor(reason: MeetingFailureCode, message: string) {
		super(meaning[reason], message);
		this.name = 'MeetingError';
		this.reason = reason;
	}

	toPayload(): MeetingErrorPayload {
		return { code: this.reason, message: this.message };
	}
}
