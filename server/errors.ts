/**
 * The backend's errors: one hierarchy, one table of codes and their HTTP status, and the one place
 * that says what an error answers (`failureOf`). Every named error of the services (`AccessError`,
 * `IdentityError`, `WorkspaceError`, `MeetingError`) extends `AppError`; routes reach these classes
 * through the backend (`backend().error()`, `backend().failureOf()`), never by importing a copy.
 * Messages are safe to show.
 */
import { ZodError } from 'zod';
import { BoardError, type BoardErrorCode } from '#lib/board/errors.ts';
import { toIssues } from '#lib/board/read.ts';
import { StoreUnavailableError } from './store/store.ts';

/** Every code an error answers with, and its HTTP status: written here and nowhere else. */
export const errorStatus = {
	invalid_request: 400,
	sign_in_failed: 400,
	unauthenticated: 401,
	forbidden: 403,
	read_only: 403,
	domain_not_allowed: 403,
	email_unverified: 403,
	not_found: 404,
	invite_invalid: 404,
	link_invalid: 404,
	not_configured: 404,
	conflict: 409,
	invite_expired: 410,
	invite_used_up: 410,
	invite_revoked: 410,
	link_expired: 410,
	payload_too_large: 413,
	rate_limited: 429,
	internal: 500,
	unavailable: 503,
	provider_unavailable: 503
} as const;
export type ErrorCode = keyof typeof errorStatus;

/** One problem with an input: where (`path`, dotted) and what. */
export interface Issue {
	path: string;
	message: string;
}

export interface AppErrorOptions {
	issues?: Issue[];
	/** With `rate_limited`: when to try again (the `Retry-After` header). */
	retryAfterSeconds?: number;
	cause?: unknown;
}

export class AppError extends Error {
	readonly code: ErrorCode;
	readonly issues: Issue[] | undefined;
	readonly retryAfterSeconds: number | undefined;
	constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
		super(message, options.cause === undefined ? undefined : { cause: options.cause });
		this.name = 'AppError';
		this.code = code;
		this.issues = options.issues;
		this.retryAfterSeconds = options.retryAfterSeconds;
	}

	get status(): number {
		return errorStatus[this.code];
	}
}

/** What an error answers: its status, code and safe message (and the problems, for a bad input). */
export interface Failure {
	status: number;
	code: ErrorCode;
	message: string;
	issues?: Issue[];
	retryAfterSeconds?: number;
}

/** The board model's errors (shared with the browser, so not `AppError`s) and what each means to a caller. */
const boardErrorMeaning = {
	invalid_input: 'invalid_request',
	record_not_found: 'not_found',
	invalid_record: 'conflict',
	wrong_register: 'invalid_request'
} as const satisfies Record<BoardErrorCode, ErrorCode>;

function failure(code: ErrorCode, message: string, options: AppErrorOptions = {}): Failure {
	return {
		status: errorStatus[code],
		code,
		message,
		...(options.issues ? { issues: options.issues } : {}),
		...(options.retryAfterSeconds !== undefined ? { retryAfterSeconds: options.retryAfterSeconds } : {})
	};
}

/**
 * The one place an error becomes an answer: an `AppError`, a board-model error, a schema failure
 * or an unreachable store. Anything else is undefined: a bug, answered 500 and logged by the caller.
 */
export function failureOf(error: unknown): Failure | undefined {
	if (error instanceof AppError) return failure(error.code, error.message, error);
	if (error instanceof BoardError) {
		const issues = (error as BoardError & { issues?: Issue[] }).issues;
		return failure(boardErrorMeaning[error.code], error.message, { issues });
	}
	if (error instanceof ZodError) return failure('invalid_request', 'the request is not valid', { issues: toIssues(error) });
	if (error instanceof StoreUnavailableError) return failure('unavailable', 'the store is unavailable; try again shortly');
	return undefined;
}
