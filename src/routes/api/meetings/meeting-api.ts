/**
 * Meeting-mode errors on the JSON API. The backend's `MeetingError` is recognised by its name and
 * `code` (the backend is loaded by Node, this module by SvelteKit's bundle: classes are not shared)
 * and mapped onto the API's codes; the message says what went wrong.
 */
import type { RequestEvent, RequestHandler } from '@sveltejs/kit';
import { ApiError, apiHandler, type ApiErrorCode } from '#lib/server/api-errors.ts';

const meetingCodes: Record<string, ApiErrorCode> = {
	invalid_payload: 'invalid_request',
	forbidden: 'forbidden',
	not_chair: 'forbidden',
	no_meeting: 'conflict',
	meeting_running: 'conflict',
	not_connected: 'conflict',
	not_found: 'not_found',
	conflict: 'conflict'
};

export function asMeetingApiError(error: unknown): ApiError | undefined {
	if (typeof error !== 'object' || error === null) return undefined;
	const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
	if (name !== 'MeetingError' || typeof code !== 'string') return undefined;
	const mapped = meetingCodes[code];
	return mapped ? new ApiError(mapped, String(message ?? mapped)) : undefined;
}

/** `apiHandler` that also turns meeting errors into their 4xx. */
export function meetingApi(handler: (event: RequestEvent) => Promise<Response>): RequestHandler {
	return apiHandler(async (event) => {
		try {
			return await handler(event);
		} catch (error) {
			throw asMeetingApiError(error) ?? error;
		}
	});
}
