/**
 * "My work": what the signed-in person owes and is owed, across the boards they can read. One item
 * per record and reason; counts for the home page. Shared by the server (which computes it), the API
 * (`GET /api/me/work`) and the page (`/me/work`).
 */
import { z } from 'zod';
import { registerName } from './registers.ts';

export const workReasons = ['owner', 'provides', 'receives', 'waiting_on_you', 'due', 'overdue', 'mentioned'] as const;
export const workReason = z.enum(workReasons);
export type WorkReason = z.infer<typeof workReason>;

export const workReasonLabels: Readonly<Record<WorkReason, string>> = {
	owner: 'You own it',
	provides: 'Your department provides it',
	receives: 'Your department receives it',
	waiting_on_you: 'Waiting on you or your department',
	due: 'Due within a week',
	overdue: 'Overdue',
	mentioned: 'You were mentioned'
};

export const workItem = z.object({
	boardId: z.string(),
	boardTitle: z.string(),
	register: registerName,
	recordId: z.string(),
	ref: z.string(),
	title: z.string(),
	status: z.string(),
	reason: workReason,
	/** A due, needed-by or target date where there is one. */
	date: z.string().nullable(),
	/** The record's page. */
	path: z.string()
});
export type WorkItem = z.infer<typeof workItem>;

export const workCounts = z.object({
	owned: z.number().int(),
	department: z.number().int(),
	waitingOnYou: z.number().int(),
	due: z.number().int(),
	overdue: z.number().int(),
	mentioned: z.number().int()
});
export type WorkCounts = z.infer<typeof workCounts>;

export const myWork = z.object({ counts: workCounts, items: z.array(workItem), asOf: z.number().int() });
export type MyWork = z.infer<typeof myWork>;
