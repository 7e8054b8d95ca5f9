/**
 * Field-level zod schemas shared by every board record (see records.ts).
 * Pure and browser-safe: no Yjs here, only the shapes of values.
 */
import { z } from 'zod';

/** Limits on user-entered values, named so API errors and docs can quote them. */
export const fieldLimits = {
	titleChars: 200,
	shortTextChars: 500,
	longTextChars: 20_000,
	nameChars: 120,
	idChars: 64,
	departmentsPerRecord: 20,
	linksPerInput: 200,
	decisionMakers: 30,
	milestonesPerRecord: 20,
	importKeyChars: 200
} as const;

/**
 * One rule for every name and title people see, in API inputs, workspace records and board
 * documents alike: trimmed, within its length, one line, and no control or formatting characters
 * (no NUL, no bidirectional overrides such as U+202E, no zero-width characters, no line or
 * paragraph separators) and no lone surrogates. Descriptions and comments are free text.
 */
export const plainLinePattern = /^[^\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]*$/u;

export function displayText(maxChars: number, what = 'a name or title') {
	return z
		.string()
		.trim()
		.min(1, `give ${what}`)
		.max(maxChars, `${what} is at most ${maxChars} characters`)
		.regex(plainLinePattern, `${what} cannot contain control or formatting characters (such as NUL, U+202E or a line break)`);
}

/** A calendar date as `yyyy-mm-dd` (validated: 2025-02-30 is rejected). */
export const isoDate = z.iso.date();
export type IsoDate = z.infer<typeof isoDate>;

/** A point in time as epoch milliseconds. */
export const timestamp = z.number().int().nonnegative();

/** A record id: random, URL-safe, chosen by the client that creates the record. */
export const recordId = z
	.string()
	.regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only')
	.min(1)
	.max(fieldLimits.idChars);

/** A department id (the workspace's department list decides which ids exist). */
export const departmentId = z.string().min(1).max(fieldLimits.idChars);

/** A named person: the name is what people see; `id` ties it to a user when known. */
export const person = z.object({
	name: displayText(fieldLimits.nameChars, 'a name'),
	id: z.string().min(1).max(fieldLimits.idChars).optional()
});
export type Person = z.infer<typeof person>;

export const title = displayText(fieldLimits.titleChars, 'a title');
export const shortText = z.string().max(fieldLimits.shortTextChars);
export const longText = z.string().max(fieldLimits.longTextChars);

/** A comment on a record; the thread is append-only. */
export const comment = z.object({
	id: recordId,
	author: person,
	at: timestamp,
	text: z.string().min(1).max(fieldLimits.longTextChars)
});
export type Comment = z.infer<typeof comment>;

export const commentInput = z.strictObject({
	text: z.string().trim().min(1).max(fieldLimits.longTextChars)
});
export type CommentInput = z.input<typeof commentInput>;

/** Source meeting of an action. */
export const meetingRef = z.object({
	id: z.string().min(1).max(fieldLimits.idChars),
	title,
	date: isoDate
});
export type MeetingRef = z.infer<typeof meetingRef>;
