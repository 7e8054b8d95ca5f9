/**
 * Named errors of the workspace service. Each has a stable `code` that the JSON API and the form
 * actions map to a status (`src/lib/server/api-errors.ts`); messages are safe to show.
 *
 * SvelteKit's bundle holds its own copy of this module while the backend runs Node's, so plain
 * `instanceof` would fail across the two; each class recognises its errors by `name` and `code`.
 */
export const workspaceErrorCodes = {
	notFound: 'not_found',
	forbidden: 'forbidden',
	conflict: 'conflict',
	invalidRequest: 'invalid_request'
} as const;
export type WorkspaceErrorCode = (typeof workspaceErrorCodes)[keyof typeof workspaceErrorCodes];

const codes: readonly string[] = Object.values(workspaceErrorCodes);

function isNamed(value: unknown, name: string | undefined): value is WorkspaceError {
	if (!(value instanceof Error)) return false;
	const code = (value as { code?: unknown }).code;
	return typeof code === 'string' && codes.includes(code) && (name === undefined || value.name === name);
}

export class WorkspaceError extends Error {
	static [Symbol.hasInstance](value: unknown): boolean {
		return isNamed(value, undefined);
	}
	readonly code: WorkspaceErrorCode;
	constructor(code: WorkspaceErrorCode, message: string) {
		super(message);
		this.name = 'WorkspaceError';
		this.code = code;
	}
}

/** Unknown, or not visible to the caller (the two are not told apart, so ids do not leak). */
export class NotFoundError extends WorkspaceError {
	static [Symbol.hasInstance](value: unknown): boolean {
		return isNamed(value, 'NotFoundError');
	}
	constructor(what: string, id: string) {
		super(workspaceErrorCodes.notFound, `no ${what} ${JSON.stringify(id)}`);
		this.name = 'NotFoundError';
	}
}

export class ForbiddenError extends WorkspaceError {
	static [Symbol.hasInstance](value: unknown): boolean {
		return isNamed(value, 'ForbiddenError');
	}
	constructor(message: string) {
		super(workspaceErrorCodes.forbidden, message);
		this.name = 'ForbiddenError';
	}
}

/** The request is well-formed but the current state does not allow it (409). */
export class ConflictError extends WorkspaceError {
	static [Symbol.hasInstance](value: unknown): boolean {
		return isNamed(value, 'ConflictError');
	}
	constructor(message: string) {
		super(workspaceErrorCodes.conflict, message);
		this.name = 'ConflictError';
	}
}

/** Valid JSON in the wrong state for this operation (e.g. a delete without its confirmation). */
export class InvalidRequestError extends WorkspaceError {
	static [Symbol.hasInstance](value: unknown): boolean {
		return isNamed(value, 'InvalidRequestError');
	}
	constructor(message: string) {
		super(workspaceErrorCodes.invalidRequest, message);
		this.name = 'InvalidRequestError';
	}
}
