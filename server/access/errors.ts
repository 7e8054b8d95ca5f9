/**
 * Named errors of the access layer. Each has a stable `code` and an HTTP `status`; messages are
 * safe to show (they never say whether something exists that the caller may not see).
 */
export const accessErrorCodes = {
	unauthenticated: 401,
	forbidden: 403,
	read_only: 403,
	not_found: 404,
	conflict: 409,
	invalid_request: 400,
	rate_limited: 429,
	invite_invalid: 404,
	invite_expired: 410,
	invite_used_up: 410,
	invite_revoked: 410
} as const;
export type AccessErrorCode = keyof typeof accessErrorCodes;

export class AccessError extends Error {
	readonly code: AccessErrorCode;
	readonly status: (typeof accessErrorCodes)[AccessErrorCode];
	constructor(code: AccessErrorCode, message: string) {
		super(message);
		this.name = 'AccessError';
		this.code = code;
		this.status = accessErrorCodes[code];
	}
}

/** The one answer for "unknown" and "not yours": the two are never told apart. */
export const notFoundMessages = {
	board: 'no such board, or you do not have access to it',
	document: 'no such document, or you do not have access to it',
	person: 'no such person',
	invite: 'no such invite',
	wallDisplay: 'no such wall display',
	apiToken: 'no such API token',
	session: 'no such session'
} as const;

export const signInRequired = 'sign in first: a session cookie, ?token= or Authorization: Bearer is required';

export function isAccessError(error: unknown): error is AccessError {
	if (!(error instanceof Error) || error.name !== 'AccessError') return false;
	const code: unknown = (error as { code?: unknown }).code;
	return typeof code === 'string' && code in accessErrorCodes;
}
