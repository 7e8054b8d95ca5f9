/**
 * Named errors of the access layer, in the backend's one hierarchy (`server/errors.ts`, which also
 * says each code's status). Messages are safe to show (they never say whether something exists
 * that the caller may not see).
 */
import { AppError, type AppErrorOptions } from '../errors.ts';

export type AccessErrorCode =
	| 'unauthenticated'
	| 'forbidden'
	| 'read_only'
	| 'not_found'
	| 'conflict'
	| 'invalid_request'
	| 'rate_limited'
	| 'invite_invalid'
	| 'invite_expired'
	| 'invite_used_up'
	| 'invite_revoked';

export class AccessError extends AppError {
	declare readonly code: AccessErrorCode;
	constructor(code: AccessErrorCode, message: string, options?: AppErrorOptions) {
		super(code, message, options);
		this.name = 'AccessError';
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
