/**
 * "Since the last meeting" for people: the board diff (`diffBoards`) grouped by kind, counted in a
 * summary line, labelled, and worked out on a wall from the boards as they stood (the server's
 * baseline) and its live copy. Pure: the meeting page, the wall view and the chair's controls share it.
 */
import * as Y from 'yjs';
import { fromBase64 } from 'lib0/buffer';
import { readBoard } from '../board/read.ts';
import { changeKinds, diffBoards, readingOf, type BoardChange, type BoardReading, type ChangeKind } from '../board/diff.ts';
import type { SinceBaseline, SinceMark } from '../protocol/meeting.ts';
import { recordPath } from '../protocol/workspace.ts';
import { clockTime } from './wall-data.ts';
import type { DateFormat } from '../date-format.ts';
import { isoDateAt } from '../board/dates.ts';

/** How each kind of change is named: a group heading, a short tag for a wall row, and the counted noun. */
export const changeKindLabels = {
	new_red: { heading: 'New reds', tag: 'New red', one: 'new red', many: 'new reds' },
	rating_changed: { heading: 'Other rating changes', tag: 'Rating', one: 'rating change', many: 'rating changes' },
	slipped: { heading: 'Dates slipped', tag: 'Slipped', one: 'slip', many: 'slips' },
	escalated: { heading: 'Escalations', tag: 'Escalated', one: 'escalation', many: 'escalations' },
	newly_overdue: { heading: 'Actions newly overdue', tag: 'Overdue', one: 'action newly overdue', many: 'actions newly overdue' },
	reopened: { heading: 'Reopened', tag: 'Reopened', one: 'reopened', many: 'reopened' },
	status_changed: { heading: 'Status changes', tag: 'Status', one: 'status change', many: 'status changes' },
	created: { heading: 'New records', tag: 'New', one: 'new record', many: 'new records' },
	closed: { heading: 'Closed', tag: 'Closed', one: 'closed', many: 'closed' },
	decided: { heading: 'Decisions made', tag: 'Decided', one: 'decision', many: 'decisions' },
	action_done: { heading: 'Actions done', tag: 'Done', one: 'action done', many: 'actions done' },
	replanned: { heading: 'Actions re-planned', tag: 'Re-planned', one: 're-plan', many: 're-plans' }
} as const satisfies Record<ChangeKind, { heading: string; tag: string; one: string; many: string }>;

/** Kinds a room reads as bad news (shown in the warning colour). */
export const alarmingKinds: ReadonlySet<ChangeKind> = new Set(['new_red', 'slipped', 'escalated', 'newly_overdue', 'reopened', 'replanned']);

export type ChangeGroup<T extends { kind: ChangeKind }> = { kind: ChangeKind; heading: string; changes: T[] };

/** Changes grouped by kind, in the order a meeting takes them (`changeKinds`); empty groups left out. */
export function groupChanges<T extends { kind: ChangeKind }>(changes: readonly T[]): ChangeGroup<T>[] {
	return changeKinds
		.map((kind) => ({ kind, heading: changeKindLabels[kind].heading, changes: changes.filter((change) => change.kind === kind) }))
		.filter((group) => group.changes.length > 0);
}

/** "2 new reds · 1 slip · 3 decisions", or "No changes". */
export function changeCounts(changes: readonly { kind: ChangeKind }[]): string {
	const parts = groupChanges(changes).map(({ kind, changes: some }) => `${some.length} ${some.length === 1 ? changeKindLabels[kind].one : changeKindLabels[kind].many}`);
	return parts.length > 0 ? parts.join(' · ') : 'No changes';
}

/** "Since the last Missions Board" (or, before any meeting has ended, "Since a week ago"). */
export function sinceHeading(since: SinceMark | null): string {
	if (!since) return 'Since the last meeting';
	return since.kind === 'meeting' ? `Since the last ${since.forum}` : 'In the last 7 days';
}

/** "Compared with the boards as at 16:05, 12 Nov (end of Missions Board, 12 Nov)". */
export function asAtLabel(since: SinceMark, from: number, dates: DateFormat): string {
	const moment = `${clockTime(from)}, ${dates.weekdayNear(isoDateAt(from))}`;
	return since.kind === 'meeting' ? `Compared with the boards as at ${moment}, when ${since.title} ended` : `Compared with the boards as at ${moment}: no meeting of this mission has ended yet`;
}

export type MissionChange = BoardChange & { boardId: string; path: string };

/** A board's state from the baseline, read as `diffBoards` compares it (null when it is not kept). */
export function baselineReading(state: string | null): BoardReading | null {
	if (state === null) return null;
	const doc = new Y.Doc();
	try {
		Y.applyUpdate(doc, fromBase64(state));
		return readingOf(readBoard(doc, { includeArchived: true }));
	} finally {
		doc.destroy();
	}
}

/** Readings of every board of a baseline (by board id); boards whose past is not kept are left out. */
export function baselineReadings(baseline: SinceBaseline): Map<string, BoardReading> {
	const readings = new Map<string, BoardReading>();
	for (const board of baseline.boards) {
		const reading = baselineReading(board.state);
		if (reading) readings.set(board.boardId, reading);
	}
	return readings;
}

/**
 * What changed on each board between the baseline and the live readings, in the meeting's order
 * (by kind, then board in the order given, then ref).
 */
export function missionChanges(boardIds: readonly string[], before: ReadonlyMap<string, BoardReading>, after: ReadonlyMap<string, BoardReading>, days: { fromDay: string; toDay: string }): MissionChange[] {
	const changes: MissionChange[] = [];
	for (const boardId of boardIds) {
		const was = before.get(boardId);
		const now = after.get(boardId);
		if (!was || !now) continue;
		for (const change of diffBoards(was, now, days)) changes.push({ ...change, boardId, path: recordPath(boardId, change.ref) });
	}
	const order = new Map(changeKinds.map((kind, index) => [kind, index]));
	return changes.sort((a, b) => order.get(a.kind)! - order.get(b.kind)!);
}

/** The link to a record's history: its board with the record's details open, at their History section. */
export function historyPath(change: { path: string }): string {
	return `${change.path}#history`;
}
