/**
 * Named errors of the workspace service, in the backend's one hierarchy (`server/errors.ts`, which
 * also says each code's status). Messages are safe to show.
 */
import { AppError, type AppErrorOptions, type ErrorCode } from '../errors.ts';

export class WorkspaceError extends AppError {
	constructor(code: ErrorCode & ('not_found' | 'forbidden' | 'conflict' | 'invalid_request'), message: string, options?: AppErrorOptions) {
		super(code, message, options);
		this.name = 'WorkspaceError';
	}
}

/** Unknown, or not visible to the caller (the two are not told apart, so ids do not leak). */
export class NotFoundError extends WorkspaceError {
	constructor(what: string, id: string) {
		super('not_found', `no ${what} ${JSON.stringify(id)}`);
		this.name = 'NotFoundError';
	}
}

export class ForbiddenError extends WorkspaceError {
	constructor(message: string) {
		super('forbidden', message);
		this.name = 'ForbiddenError';
	}
}

/** The request is well-formed but the current state does not allow it (409). */
export class ConflictError extends WorkspaceError {
	constructor(message: string, options?: AppErrorOptions) {
		super('conflict', message, options);
		this.name = 'ConflictError';
	}
}

/** Valid JSON in the wrong state for this operation (e.g. a delete without its confirmation). */
export class InvalidRequestError extends WorkspaceError {
	constructor(message: string, options?: AppErrorOptions) {
		super('invalid_request', message, options);
		this.name = 'InvalidRequestError';
	}
}
