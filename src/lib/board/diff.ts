/**
 * What changed on a board between two moments, record by record: what a Missions Board asks first
 * ("what has changed since the last meeting?"). Pure: it compares two readings of the board (from
 * `readBoard` on the document as it stood at each moment) and lists changes in the order a meeting
 * takes them: new reds and slips first, decisions and actions last.
 */
import { isRedRating, type RatingLevel } from '../protocol/ratings.ts';
import type { IsoDate } from '../protocol/record-fields.ts';
import type { ActionRecord, BlockerRecord, BoardRecord, DecisionRecord, DependencyRecord } from '../protocol/records.ts';
import { escalationLevelLabels, type EscalationLevel } from '../protocol/registers.ts';
import { daysBetween } from './dates.ts';
import { isActionOverdue, isBlockerOpen, isDependencyOpen } from './derived.ts';

export const changeKinds = [
	'new_red',
	'rating_changed',
	'slipped',
	'escalated',
	'newly_overdue',
	'reopened',
	'status_changed',
	'created',
	'closed',
	'decided',
	'action_done',
	'replanned'
] as const;
export type ChangeKind = (typeof changeKinds)[number];

/** The registers a meeting reviews change by change (risks and assumptions are in the history). */
export type DiffedRegister = 'dependencies' | 'blockers' | 'actions' | 'decisions';

export interface BoardChange {
	kind: ChangeKind;
	register: DiffedRegister;
	recordId: string;
	ref: string;
	title: string;
	/** One plain sentence: "rated Red (was Amber)", "forecast slipped 14 days to 30 Apr 2027". */
	summary: string;
	before?: unknown;
	after?: unknown;
	/** Days of slip, for `slipped` and `replanned`. */
	days?: number;
}

export interface BoardReading {
	dependencies: DependencyRecord[];
	blockers: BlockerRecord[];
	actions: ActionRecord[];
	decisions: DecisionRecord[];
}

const ratingWords: Record<RatingLevel, string> = { green: 'Green', amber_green: 'Amber/Green', amber: 'Amber', amber_red: 'Amber/Red', red: 'Red' };
const word = (rating: RatingLevel | null) => (rating ? ratingWords[rating] : 'unrated');

function isOpen(register: DiffedRegister, record: BoardRecord): boolean {
	if (record.archived) return false;
	switch (register) {
		case 'dependencies':
			return isDependencyOpen(record as DependencyRecord);
		case 'blockers':
			return isBlockerOpen(record as BlockerRecord);
		case 'actions':
			return (record as ActionRecord).status === 'open';
		case 'decisions':
			return (record as DecisionRecord).status === 'current';
	}
}

/**
 * Changes between `before` (the board at `fromDay`) and `after` (at `toDay`), ordered by kind as in
 * `changeKinds`, then by ref.
 */
export function diffBoards(before: BoardReading, after: BoardReading, days: { fromDay: IsoDate; toDay: IsoDate }): BoardChange[] {
	const changes: BoardChange[] = [];
	const push = (register: DiffedRegister, record: BoardRecord, change: Omit<BoardChange, 'register' | 'recordId' | 'ref' | 'title'>) =>
		changes.push({ register, recordId: record.id, ref: record.ref, title: record.title, ...change });

	const registers: DiffedRegister[] = ['dependencies', 'blockers', 'actions', 'decisions'];
	for (const register of registers) {
		const old = new Map<string, BoardRecord>(before[register].map((record) => [record.id, record]));
		for (const record of after[register]) {
			const was = old.get(record.id);
			if (!was) {
				if (record.archived) continue;
				if (register === 'decisions') {
					const decision = record as DecisionRecord;
					push(register, record, { kind: 'decided', summary: decision.supersedes ? 'correction recorded' : `decided at ${decision.forum}` });
				} else push(register, record, { kind: 'created', summary: 'new' });
				if (register === 'dependencies' && isRedRating((record as DependencyRecord).rating)) {
					push(register, record, { kind: 'new_red', summary: `new, rated ${word((record as DependencyRecord).rating)}`, after: (record as DependencyRecord).rating });
				}
				continue;
			}
			const openBefore = isOpen(register, was);
			const openAfter = isOpen(register, record);
			if (openBefore && !openAfter) {
				if (register === 'actions' && (record as ActionRecord).status === 'done') push(register, record, { kind: 'action_done', summary: 'done' });
				else push(register, record, { kind: 'closed', summary: record.archived ? 'archived' : `closed: ${(record as { status: string }).status.replace('_', ' ')}`, before: (was as { status: string }).status, after: (record as { status: string }).status });
			} else if (!openBefore && openAfter && register !== 'decisions') {
				push(register, record, { kind: 'reopened', summary: `reopened: ${(record as { status: string }).status.replace('_', ' ')}`, before: (was as { status: string }).status, after: (record as { status: string }).status });
			} else if ((was as { status: string }).status !== (record as { status: string }).status && register !== 'decisions') {
				push(register, record, { kind: 'status_changed', summary: `status ${(was as { status: string }).status.replace('_', ' ')} → ${(record as { status: string }).status.replace('_', ' ')}`, before: (was as { status: string }).status, after: (record as { status: string }).status });
			}
			if (register === 'dependencies') diffDependency(was as DependencyRecord, record as DependencyRecord, (change) => push(register, record, change));
			if (register === 'blockers') diffBlocker(was as BlockerRecord, record as BlockerRecord, (change) => push(register, record, change));
			if (register === 'actions') diffAction(was as ActionRecord, record as ActionRecord, days, (change) => push(register, record, change));
		}
	}
	const order = new Map(changeKinds.map((kind, index) => [kind, index]));
	return changes.sort((a, b) => order.get(a.kind)! - order.get(b.kind)! || a.ref.localeCompare(b.ref, 'en', { numeric: true }));
}

type Push = (change: Omit<BoardChange, 'register' | 'recordId' | 'ref' | 'title'>) => void;

function diffDependency(was: DependencyRecord, now: DependencyRecord, push: Push): void {
	if (was.rating !== now.rating) {
		const newRed = isRedRating(now.rating) && !isRedRating(was.rating);
		push({ kind: newRed ? 'new_red' : 'rating_changed', summary: `rated ${word(now.rating)} (was ${word(was.rating)})`, before: was.rating, after: now.rating });
	}
	for (const key of ['forecast', 'committed', 'neededBy'] as const) {
		const from = was[key];
		const to = now[key];
		if (from && to && from !== to) {
			const days = daysBetween(from, to);
			if (days > 0) push({ kind: 'slipped', summary: `${key === 'neededBy' ? 'needed-by' : key} slipped ${days} day${days === 1 ? '' : 's'} to ${to}`, before: from, after: to, days });
		}
	}
}

function diffBlocker(was: BlockerRecord, now: BlockerRecord, push: Push): void {
	for (const step of now.escalations.slice(was.escalations.length)) {
		push({ kind: 'escalated', summary: `escalated to ${escalationLevelLabels[step.level as EscalationLevel]}${step.forum ? ` (${step.forum})` : ''} by ${step.by.name}`, after: step.level });
	}
}

function diffAction(was: ActionRecord, now: ActionRecord, days: { fromDay: IsoDate; toDay: IsoDate }, push: Push): void {
	for (const step of now.replans.slice(was.replans.length)) {
		const slip = daysBetween(step.from, step.to);
		push({ kind: 'replanned', summary: `re-planned ${step.from} → ${step.to}${step.reason ? `: ${step.reason}` : ''}`, before: step.from, after: step.to, days: slip });
	}
	if (isActionOverdue(now, days.toDay) && !isActionOverdue(was, days.fromDay)) {
		push({ kind: 'newly_overdue', summary: `overdue since ${now.due}`, after: now.due });
	}
}

/** The valid records of a board document, archived ones included (what `diffBoards` compares). */
export function readingOf(contents: { [R in DiffedRegister]: Array<{ ok: true; record: unknown } | { ok: false }> }): BoardReading {
	const valid = <T>(results: Array<{ ok: true; record: unknown } | { ok: false }>): T[] =>
		results.flatMap((result) => (result.ok ? [result.record as T] : []));
	return {
		dependencies: valid<DependencyRecord>(contents.dependencies),
		blockers: valid<BlockerRecord>(contents.blockers),
		actions: valid<ActionRecord>(contents.actions),
		decisions: valid<DecisionRecord>(contents.decisions)
	};
}
