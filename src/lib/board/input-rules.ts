/**
 * Rules a record's input must keep beyond its schema, checked the same way by the forms (as
 * GOV.UK-style messages next to the field) and by the JSON API (400 with `issues`): dates inside a
 * sane range, and a dependency between two different departments. Also the softer warnings the
 * forms show on dates (in the past, far in the future), which never refuse anything.
 * Pure: "today" is an argument.
 */
import type { RecordIssue } from '../protocol/records.ts';
import type { RegisterName } from '../protocol/registers.ts';
import { addDays } from './dates.ts';

export const dateRange = {
	earliest: '2000-01-01',
	latest: '2099-12-31',
	/** A date further ahead than this many days gets a warning (about five years). */
	farFutureDays: 5 * 366
} as const;

/** The date fields of every register: the ones the range rule applies to. */
export const dateFields = ['neededBy', 'committed', 'forecast', 'raisedOn', 'targetResolution', 'due', 'decidedOn', 'proximity', 'validationDate'] as const;

export const inputMessages = {
	dateOutOfRange: 'Enter a date between 1 January 2000 and 31 December 2099',
	sameDepartments: 'The receiving department must be different from the providing department',
	datePast: 'This date is in the past: check it is right',
	dateFarFuture: 'This date is more than five years away: check it is right'
} as const;

/** An error for a date outside the sane range (undefined when fine or empty). */
export function dateError(date: string | null | undefined): string | undefined {
	if (!date) return undefined;
	return date < dateRange.earliest || date > dateRange.latest ? inputMessages.dateOutOfRange : undefined;
}

/** A warning for a date in the past or far in the future (undefined when none). */
export function dateWarning(date: string | null | undefined, today: string): string | undefined {
	if (!date || dateError(date)) return undefined;
	if (date < today) return inputMessages.datePast;
	if (date > addDays(today, dateRange.farFutureDays)) return inputMessages.dateFarFuture;
	return undefined;
}

/**
 * Issues with a create input or a patch (`current`: the record's stored values, for a patch whose
 * other half is already on the record). Empty when the input keeps the rules.
 */
export function recordInputIssues(register: RegisterName, input: Record<string, unknown>, current: Record<string, unknown> = {}): RecordIssue[] {
	const issues: RecordIssue[] = [];
	for (const field of dateFields) {
		const value = input[field];
		const problem = typeof value === 'string' ? dateError(value) : undefined;
		if (problem) issues.push({ path: field, message: problem });
	}
	if (register === 'dependencies' && ('providerDepartment' in input || 'receiverDepartment' in input)) {
		const provider = input.providerDepartment ?? current.providerDepartment;
		const receiver = input.receiverDepartment ?? current.receiverDepartment;
		if (typeof provider === 'string' && provider !== '' && provider === receiver) issues.push({ path: 'receiverDepartment', message: inputMessages.sameDepartments });
	}
	return issues;
}
