/** Named errors of the board model; each has a stable `code` the API maps to a 4xx. */
import type { RecordIssue } from '../protocol/records.ts';

export const boardErrorCodes = {
	invalidInput: 'invalid_input',
	recordNotFound: 'record_not_found',
	invalidRecord: 'invalid_record',
	wrongRegister: 'wrong_register'
} as const;
export type BoardErrorCode = (typeof boardErrorCodes)[keyof typeof boardErrorCodes];

export class BoardError extends Error {
	readonly code: BoardErrorCode;
	constructor(code: BoardErrorCode, message: string) {
		super(message);
		this.name = 'BoardError';
		this.code = code;
	}
}

/** An input failed its zod schema; `issues` say which fields and why. */
export class InvalidInputError extends BoardError {
	readonly issues: RecordIssue[];
	constructor(message: string, issues: RecordIssue[]) {
		super(boardErrorCodes.invalidInput, message);
		this.name = 'InvalidInputError';
		this.issues = issues;
	}
}

/** An InvalidInputError about one field, with the reason in the message too. */
export function invalidInput(what: string, path: string, message: string): InvalidInputError {
	return new InvalidInputError(`invalid ${what}: ${path}: ${message}`, [{ path, message }]);
}

export class RecordNotFoundError extends BoardError {
	readonly id: string;
	constructor(id: string, where: string) {
		super(boardErrorCodes.recordNotFound, `no record ${id} in ${where}`);
		this.name = 'RecordNotFoundError';
		this.id = id;
	}
}

/** The stored record is malformed, so an operation that needs its values cannot proceed. */
export class InvalidRecordError extends BoardError {
	readonly id: string;
	readonly issues: RecordIssue[];
	constructor(id: string, issues: RecordIssue[]) {
		super(boardErrorCodes.invalidRecord, `record ${id} is not valid: ${issues[0]?.message ?? 'unknown'}`);
		this.name = 'InvalidRecordError';
		this.id = id;
		this.issues = issues;
	}
}
