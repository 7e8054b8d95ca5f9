/**
 * Named errors of meeting mode. The `code` is what socket.io acknowledgements send back
 * (`{ ok: false, error: { code, message } }`); the JSON API maps it onto its own codes
 * (src/routes/api/meetings/meeting-api.ts). Messages are safe to show.
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

