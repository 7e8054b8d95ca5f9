/**
 * The mission header on the home page and the mission page: what a lead reads in ten seconds.
 * Overall confidence (the wall's rule: the level nearest the mean of the open rated
 * dependencies), the change since the same day last week (from the accountable record: the boards
 * as they stood then, diffed record by record), boards nobody has touched for weeks, the three
 * worst red items by the headline signal (signals.ts), and counts weighted by what matters.
 * Pure: the readings, "today" and "now" are arguments.
 */
import { isRedRating, ratingLevelInfo, type RatingLevel, type RatingScaleId } from '../protocol/ratings.ts';
import type { IsoDate } from '../protocol/record-fields.ts';
import { overallConfidence } from '../wall/wall-data.ts';
import { daysSince } from './dates.ts';
import { isActionOverdue, isBlockerOpen } from './derived.ts';
import type { BoardChange, BoardReading } from './diff.ts';
import { dependencySignal, type DependencySignal, type SignalTone } from './signals.ts';

export const missionHeaderDefaults = {
	/** How many red items the header names. */
	topRed: 3,
	/** How many changes since last week it names. */
	moved: 5
} as const;

export type Confidence = { level: RatingLevel; basis: number } | null;

export type Trend = 'better' | 'worse' | 'same';

export type MovedItem = { boardId: string; ref: string; title: string; summary: string; direction: 'worse' | 'better' };

export type RedItem = { boardId: string; ref: string; title: string; label: string; tone: SignalTone; shape: DependencySignal['shape']; why: string | null };

export type StaleBoard = { boardId: string; title: string; weeks: number };

export type MissionHeader = {
	/** The workspace's rating scale: what the levels below are on. */
	scale: RatingScaleId;
	confidence: Confidence;
	lastWeek: { since: IsoDate; confidence: Confidence; trend: Trend; worse: number; better: number; moved: MovedItem[] };
	stale: StaleBoard[];
	topRed: RedItem[];
	/** Weighted: `red` and `review` matter most, then the late and escalated, then the rest. */
	counts: { red: number; review: number; late: number; escalated: number; overdueActions: number; openDependencies: number; openBlockers: number };
};

export type HeaderBoard = {
	id: string;
	title: string;
	now: BoardReading;
	weekAgo: BoardReading;
	/** Changes from `weekAgo` to `now` (diffBoards). */
	changes: readonly BoardChange[];
};

const severity = (level: RatingLevel | null | undefined) => (level ? ratingLevelInfo[level].severity : null);

/** Which way a change moves the mission (undefined: neither, e.g. a new record or a decision). */
export function changeDirection(change: BoardChange): 'worse' | 'better' | undefined {
	switch (change.kind) {
		case 'new_red':
		case 'slipped':
		case 'escalated':
		case 'newly_overdue':
		case 'reopened':
			return 'worse';
		case 'closed':
			return change.register === 'dependencies' || change.register === 'blockers' ? 'better' : undefined;
		case 'rating_changed': {
			const before = severity(change.before as RatingLevel | null);
			const after = severity(change.after as RatingLevel | null);
			if (before === null || after === null || before === after) return undefined;
			return after > before ? 'worse' : 'better';
		}
		default:
			return undefined;
	}
}

/** The latest edit on a board (epoch ms), or null for an empty board. */
export function lastUpdated(reading: BoardReading): number | null {
	let latest: number | null = null;
	for (const register of ['dependencies', 'blockers', 'actions', 'decisions'] as const) {
		for (const record of reading[register]) if (latest === null || record.updatedAt > latest) latest = record.updatedAt;
	}
	return latest;
}

export function missionHeader(
	boards: readonly HeaderBoard[],
	options: { today: IsoDate; now: number; since: IsoDate; scale: RatingScaleId; staleAfterDays: number }
): MissionHeader {
	const { today, now, scale } = options;
	const dependenciesNow = boards.flatMap((board) => board.now.dependencies.filter((d) => !d.archived).map((record) => ({ board, record })));
	const confidence = overallConfidence(dependenciesNow.map((d) => d.record), scale);
	const confidenceThen = overallConfidence(boards.flatMap((board) => board.weekAgo.dependencies), scale);

	const moved: MovedItem[] = [];
	let worse = 0;
	let better = 0;
	for (const board of boards) {
		for (const change of board.changes) {
			const direction = changeDirection(change);
			if (!direction) continue;
			if (direction === 'worse') worse++;
			else better++;
			moved.push({ boardId: board.id, ref: change.ref, title: change.title, summary: change.summary, direction });
		}
	}
	// The overall level decides when it moved; otherwise the balance of what got worse and better.
	const nowSeverity = severity(confidence?.level);
	const thenSeverity = severity(confidenceThen?.level);
	const trend: Trend =
		nowSeverity !== null && thenSeverity !== null && nowSeverity !== thenSeverity
			? nowSeverity > thenSeverity
				? 'worse'
				: 'better'
			: worse > better
				? 'worse'
				: better > worse
					? 'better'
					: 'same';

	const signals = dependenciesNow.map(({ board, record }) => ({ board, record, signal: dependencySignal(record, today, scale) }));
	const topRed = signals
		.filter(({ signal }) => signal.band === 'red' || (signal.review !== null && signal.evidence === 'red'))
		.sort((a, b) => b.signal.weight - a.signal.weight || a.record.ref.localeCompare(b.record.ref))
		.slice(0, missionHeaderDefaults.topRed)
		.map(({ board, record, signal }) => ({
			boardId: board.id,
			ref: record.ref,
			title: record.title,
			label: signal.label,
			tone: signal.tone,
			shape: signal.shape,
			why: signal.review ? `rating to check: ${signal.review}` : (signal.flags[0]?.words ?? null)
		}));

	const stale: StaleBoard[] = [];
	for (const board of boards) {
		const latest = lastUpdated(board.now);
		if (latest !== null && daysSince(latest, now) > options.staleAfterDays) stale.push({ boardId: board.id, title: board.title, weeks: Math.floor(daysSince(latest, now) / 7) });
	}

	const blockers = boards.flatMap((board) => board.now.blockers.filter((b) => !b.archived && isBlockerOpen(b)));
	const actions = boards.flatMap((board) => board.now.actions.filter((a) => !a.archived));
	const open = signals.filter(({ signal }) => signal.tone !== 'closed');
	return {
		scale,
		confidence,
		lastWeek: {
			since: options.since,
			confidence: confidenceThen,
			trend,
			worse,
			better,
			moved: [...moved.filter((m) => m.direction === 'worse'), ...moved.filter((m) => m.direction === 'better')].slice(0, missionHeaderDefaults.moved)
		},
		stale: stale.sort((a, b) => b.weeks - a.weeks),
		topRed,
		counts: {
			red: open.filter(({ record }) => isRedRating(record.rating)).length,
			review: open.filter(({ signal }) => signal.review !== null).length,
			// As on the board cards (boardSummary): past needed-by or marked late; forecast-late ones show as ratings to check or amber.
			late: open.filter(({ signal }) => signal.flags.some((f) => f.kind === 'past_needed_by' || f.kind === 'marked_late')).length,
			escalated: blockers.filter((b) => b.status === 'escalated').length,
			overdueActions: actions.filter((a) => isActionOverdue(a, today)).length,
			openDependencies: open.length,
			openBlockers: blockers.length
		}
	};
}
