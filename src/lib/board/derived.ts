/**
 * Values computed from records, never typed in: overdue, days blocked, slips,
 * staleness and the board summary. Pure functions; "today" (a yyyy-mm-dd date) and
 * "now" (epoch ms) are always arguments, so results are testable and the same on every
 * client that agrees on the date.
 */
import type { IsoDate } from '../protocol/record-fields.ts';
import { isRedRating } from '../protocol/ratings.ts';
import type {
	ActionRecord,
	BlockerRecord,
	BoardRecord,
	DecisionRecord,
	DependencyRecord
} from '../protocol/records.ts';
import { closedDependencyStatuses, escalationLevels, type EscalationLevel } from '../protocol/registers.ts';
import { daysBetween, daysSince } from './dates.ts';
import { dependencySignal } from './signals.ts';

/** A record not updated for longer than this many days is stale. */
export const defaultStaleAfterDays = 14;

// ── Actions ──────────────────────────────────────────────────────────────────

export function isActionOverdue(action: ActionRecord, today: IsoDate): boolean {
	return action.status === 'open' && action.due < today;
}

/** Every re-plan counts as a slip. */
export function actionSlipCount(action: ActionRecord): number {
	return action.replans.length;
}

/** Days the due date has moved from the original (negative if brought forward). */
export function actionSlipDays(action: ActionRecord): number {
	return daysBetween(action.originalDue, action.due);
}

// ── Blockers ─────────────────────────────────────────────────────────────────

export function isBlockerOpen(blocker: Pick<BlockerRecord, 'status'>): boolean {
	return blocker.status !== 'resolved';
}

/** Unresolved and past its target resolution date. */
export function isBlockerOverdue(blocker: BlockerRecord, today: IsoDate): boolean {
	return isBlockerOpen(blocker) && blocker.targetResolution !== null && blocker.targetResolution < today;
}

/** Days since it was raised, for unresolved blockers; null once resolved. */
export function daysBlocked(blocker: BlockerRecord, today: IsoDate): number | null {
	return isBlockerOpen(blocker) ? Math.max(0, daysBetween(blocker.raisedOn, today)) : null;
}

/** The highest rung of the escalation ladder the blocker has reached, if any. */
export function escalationReached(blocker: Pick<BlockerRecord, 'escalations'>): EscalationLevel | null {
	let highest = -1;
	for (const step of blocker.escalations) highest = Math.max(highest, escalationLevels.indexOf(step.level));
	return highest < 0 ? null : escalationLevels[highest]!;
}

// ── Dependencies ─────────────────────────────────────────────────────────────

export function isDependencyOpen(dependency: Pick<DependencyRecord, 'status'>): boolean {
	return !(closedDependencyStatuses as readonly string[]).includes(dependency.status);
}

export type DependencySlip = {
	/** forecast − needed-by in days (positive = will arrive late); null without both dates. */
	slipDays: number | null;
	/** The forecast is later than the needed-by date (and the dependency is still open). */
	forecastLate: boolean;
	/** committed − needed-by in days: the provider promised later than the receiver needs it. */
	commitGapDays: number | null;
	commitLate: boolean;
};

export function dependencySlip(dependency: DependencyRecord): DependencySlip {
	const { neededBy, forecast, committed } = dependency;
	const slipDays = neededBy && forecast ? daysBetween(neededBy, forecast) : null;
	const commitGapDays = neededBy && committed ? daysBetween(neededBy, committed) : null;
	const open = isDependencyOpen(dependency);
	return {
		slipDays,
		forecastLate: open && slipDays !== null && slipDays > 0,
		commitGapDays,
		commitLate: open && commitGapDays !== null && commitGapDays > 0
	};
}

/** Late: marked late, or still open after its needed-by date. */
export function isDependencyLate(dependency: DependencyRecord, today: IsoDate): boolean {
	if (!isDependencyOpen(dependency)) return false;
	return dependency.status === 'late' || (dependency.neededBy !== null && dependency.neededBy < today);
}

/** Open and rated red (or amber/red on the five-point scale). */
export function isDependencyRed(dependency: Pick<DependencyRecord, 'status' | 'rating'>): boolean {
	return isDependencyOpen(dependency) && isRedRating(dependency.rating);
}

// ── Decisions ────────────────────────────────────────────────────────────────

/** Ids of decisions superseded by a later entry (derived from `supersedes`, whatever `status` says). */
export function supersededIds(decisions: readonly DecisionRecord[]): Set<string> {
	const ids = new Set<string>();
	for (const decision of decisions) if (decision.supersedes && !decision.archived) ids.add(decision.supersedes);
	return ids;
}

// ── Staleness ────────────────────────────────────────────────────────────────

/** Whole days since the record was last updated. */
export function ageDays(record: BoardRecord, now: number): number {
	return Math.max(0, daysSince(record.updatedAt, now));
}

export function isStale(record: BoardRecord, now: number, staleAfterDays = defaultStaleAfterDays): boolean {
	return ageDays(record, now) > staleAfterDays;
}

// ── Board summary ────────────────────────────────────────────────────────────

export type BoardRecords = {
	dependencies: readonly DependencyRecord[];
	blockers: readonly BlockerRecord[];
	actions: readonly ActionRecord[];
	decisions: readonly DecisionRecord[];
};

export type BoardSummary = {
	/** `review`: open dependencies whose rating is kinder than the evidence (signals.ts). */
	dependencies: { total: number; open: number; red: number; late: number; forecastLate: number; review: number };
	blockers: { total: number; open: number; escalated: number; overdue: number };
	actions: { total: number; open: number; overdue: number };
	decisions: { total: number; current: number };
};

const live = <T extends { archived: boolean }>(records: readonly T[]) => records.filter((r) => !r.archived);
const count = <T>(records: readonly T[], test: (record: T) => boolean) => records.filter(test).length;

/** The counts the home page shows per board. Archived records are left out. */
export function boardSummary(board: BoardRecords, today: IsoDate): BoardSummary {
	const dependencies = live(board.dependencies);
	const blockers = live(board.blockers);
	const actions = live(board.actions);
	const decisions = live(board.decisions);
	const superseded = supersededIds(decisions);
	return {
		dependencies: {
			total: dependencies.length,
			open: count(dependencies, isDependencyOpen),
			red: count(dependencies, isDependencyRed),
			late: count(dependencies, (d) => isDependencyLate(d, today)),
			forecastLate: count(dependencies, (d) => dependencySlip(d).forecastLate),
			// Whether a rating contradicts the evidence depends on its band alone, the same on both scales.
			review: count(dependencies, (d) => dependencySignal(d, today, 'five').review !== null)
		},
		blockers: {
			total: blockers.length,
			open: count(blockers, isBlockerOpen),
			escalated: count(blockers, (b) => b.status === 'escalated'),
			overdue: count(blockers, (b) => isBlockerOverdue(b, today))
		},
		actions: {
			total: actions.length,
			open: count(actions, (a) => a.status === 'open'),
			overdue: count(actions, (a) => isActionOverdue(a, today))
		},
		decisions: { total: decisions.length, current: count(decisions, (d) => !superseded.has(d.id)) }
	};
}
