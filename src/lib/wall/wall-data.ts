/**
 * What each wall view shows, derived from the records of a mission's boards. Pure functions:
 * `today` (yyyy-mm-dd, UK time) and `now` (epoch ms) are arguments, so every view is testable
 * and every wall that agrees on the date shows the same thing. Dates are written by the workspace's
 * `DateFormat` (its `dateLocale`), which the wall's components take from the root layout.
 */
import { addDays, daysBetween, defaultTimeZone, isoDateAt } from '../board/dates.ts';
import {
	daysBlocked,
	dependencySlip,
	escalationReached,
	isActionOverdue,
	isBlockerOpen,
	isDependencyLate,
	isDependencyOpen,
	isDependencyRed,
	supersededIds
} from '../board/derived.ts';
import type { DateFormat } from '../date-format.ts';
import { reconcileConfidence, type ConfidenceReading, type JudgedConfidence } from '../board/confidence-reading.ts';
import { dependencySignal } from '../board/signals.ts';
import { ratingLevelInfo, ratingScales, toScale, type RatingLevel, type RatingScaleId } from '../protocol/ratings.ts';
import { isRiskOpen, riskScore } from '../board/raid-derived.ts';
import type { ActionRecord, AssumptionRecord, BlockerRecord, DecisionRecord, DependencyRecord, RiskRecord } from '../protocol/records.ts';
import { readingOf, type BoardReading } from '../board/diff.ts';
import { validRecords, type BoardContents } from '../board/read.ts';
import { escalationLevels, type RegisterName } from '../protocol/registers.ts';

/** A record with the board it lives on. */
export type OnBoard<T> = T & { boardId: string };

export type MissionRecords = {
	dependencies: OnBoard<DependencyRecord>[];
	blockers: OnBoard<BlockerRecord>[];
	actions: OnBoard<ActionRecord>[];
	decisions: OnBoard<DecisionRecord>[];
	risks: OnBoard<RiskRecord>[];
	assumptions: OnBoard<AssumptionRecord>[];
};

export function emptyMissionRecords(): MissionRecords {
	return { dependencies: [], blockers: [], actions: [], decisions: [], risks: [], assumptions: [] };
}

/**
 * Adds a board's records (archived ones left out) to `records`, each with its board id; answers the
 * board's reading (the registers the "since" view compares).
 */
export function addBoardRecords(records: MissionRecords, boardId: string, contents: BoardContents): BoardReading {
	const reading = readingOf(contents);
	addReadBoard(records, boardId, { ...reading, risks: validRecords(contents.risks), assumptions: validRecords(contents.assumptions) });
	return reading;
}

/** A board already read (`readingOf` and the valid risks and assumptions): adds its records (archived ones left out), each with its board id. */
export function addReadBoard(records: MissionRecords, boardId: string, read: BoardReading & { risks: readonly RiskRecord[]; assumptions: readonly AssumptionRecord[] }): void {
	const onBoard = <T extends { archived: boolean }>(list: readonly T[]) => list.filter((record) => !record.archived).map((record) => ({ ...record, boardId }));
	records.dependencies.push(...onBoard(read.dependencies));
	records.blockers.push(...onBoard(read.blockers));
	records.actions.push(...onBoard(read.actions));
	records.decisions.push(...onBoard(read.decisions));
	records.risks.push(...onBoard(read.risks));
	records.assumptions.push(...onBoard(read.assumptions));
}

/** "14:00, 12 November 2026" (en-GB): the moment a wall shows the boards as at. */
export function asAtLabel(epochMs: number, dates: DateFormat, timeZone: string = defaultTimeZone): string {
	return `${clockTime(epochMs, timeZone)}, ${dates.dayOf(epochMs, 'long', timeZone)}`;
}

/**
 * How many rows each list view shows at most (the rest is counted): the wall never scrolls, and
 * rows are sized to be read from five metres (body text at least 32 px at 1080p, titles on two
 * lines). `actions` and `risks` are per section (overdue, due this week; risks, assumptions).
 */
export const wallRows = { dependencies: 5, blockers: 3, actions: 3, decisions: 4, changes: 3, since: 6, risks: 2 } as const;

/** Assumptions due for validation within this many days (or already past it) are on the risks view. */
export const assumptionWindowDays = 14;

const live = <T extends { archived: boolean }>(records: readonly T[]) => records.filter((record) => !record.archived);

// ── Summary ──────────────────────────────────────────────────────────────────

export type RatingCount = { level: RatingLevel | null; count: number };

export type ChangeEntry = { register: RegisterName; boardId: string; id: string; ref: string; title: string; by: string; at: number; created: boolean };

export type MissionSummary = {
	dependencies: { open: number; ratings: RatingCount[]; red: number; late: number; review: number };
	blockers: { open: number; inProgress: number; escalated: number; overdue: number };
	actions: { open: number; overdue: number; dueThisWeek: number; doneThisWeek: number };
	decisions: { current: number; thisWeek: number };
	/** The level nearest the mean of the open rated dependencies (ties go to the worse level). */
	confidence: { level: RatingLevel; basis: number } | null;
	changedToday: { count: number; latest: ChangeEntry[] };
};

/** Monday..Sunday of the week `today` falls in. */
export function weekOf(today: string): { start: string; end: string } {
	const weekday = (new Date(`${today}T12:00:00Z`).getUTCDay() + 6) % 7;
	const start = addDays(today, -weekday);
	return { start, end: addDays(start, 6) };
}

export function overallConfidence(dependencies: readonly DependencyRecord[], scale: RatingScaleId): MissionSummary['confidence'] {
	const rated = dependencies.filter((d) => !d.archived && isDependencyOpen(d) && d.rating !== null);
	if (rated.length === 0) return null;
	const mean = rated.reduce((sum, d) => sum + ratingLevelInfo[toScale(d.rating!, scale)].severity, 0) / rated.length;
	let best: RatingLevel = ratingScales[scale][0];
	for (const level of ratingScales[scale]) {
		const distance = Math.abs(ratingLevelInfo[level].severity - mean);
		if (distance <= Math.abs(ratingLevelInfo[best].severity - mean)) best = level;
	}
	return { level: best, basis: rated.length };
}

/** Records changed since `dayStart` (epoch ms of today's midnight), newest first. */
function changedSince(records: MissionRecords, dayStart: number): ChangeEntry[] {
	const entries: ChangeEntry[] = [];
	for (const register of ['dependencies', 'blockers', 'actions', 'decisions'] as const) {
		for (const record of live(records[register] as OnBoard<DependencyRecord | BlockerRecord | ActionRecord | DecisionRecord>[])) {
			if (record.updatedAt < dayStart) continue;
			entries.push({
				register,
				boardId: record.boardId,
				id: record.id,
				ref: record.ref,
				title: record.title,
				by: record.updatedBy.name,
				at: record.updatedAt,
				created: record.createdAt >= dayStart && record.createdAt === record.updatedAt
			});
		}
	}
	return entries.sort((a, b) => b.at - a.at);
}

export function missionSummary(records: MissionRecords, options: { today: string; dayStart: number; scale: RatingScaleId }): MissionSummary {
	const { today, dayStart, scale } = options;
	const week = weekOf(today);
	const dependencies = live(records.dependencies).filter(isDependencyOpen);
	const blockers = live(records.blockers).filter(isBlockerOpen);
	const actions = live(records.actions);
	const decisions = live(records.decisions);
	const superseded = supersededIds(decisions);
	const ratings: RatingCount[] = [...ratingScales[scale], null].map((level) => ({
		level,
		count: dependencies.filter((d) => (d.rating === null ? null : toScale(d.rating, scale)) === level).length
	}));
	const changes = changedSince(records, dayStart);
	return {
		dependencies: {
			open: dependencies.length,
			ratings,
			red: dependencies.filter(isDependencyRed).length,
			late: dependencies.filter((d) => isDependencyLate(d, today) || dependencySlip(d).forecastLate).length,
			review: dependencies.filter((d) => dependencySignal(d, today, scale).review !== null).length
		},
		blockers: {
			open: blockers.length,
			inProgress: blockers.filter((b) => b.status === 'in_progress').length,
			escalated: blockers.filter((b) => b.status === 'escalated').length,
			overdue: blockers.filter((b) => b.targetResolution !== null && b.targetResolution < today).length
		},
		actions: {
			open: actions.filter((a) => a.status === 'open').length,
			overdue: actions.filter((a) => isActionOverdue(a, today)).length,
			dueThisWeek: actions.filter((a) => a.status === 'open' && a.due >= today && a.due <= week.end).length,
			doneThisWeek: actions.filter((a) => a.status === 'done' && a.updatedAt >= Date.parse(`${week.start}T00:00:00Z`)).length
		},
		decisions: {
			current: decisions.filter((d) => !superseded.has(d.id)).length,
			thisWeek: decisions.filter((d) => !superseded.has(d.id) && d.decidedOn >= week.start && d.decidedOn <= today).length
		},
		confidence: overallConfidence(records.dependencies, scale),
		changedToday: { count: changes.length, latest: changes.slice(0, wallRows.changes) }
	};
}

// ── The mission's confidence: the judgement, and the evidence as its explanation ──

/**
 * The summary's confidence, reconciled as the mission page does (`reconcileConfidence`,
 * docs/signals.md): the lead's judgement is the headline, the level the evidence reads explains it.
 * `judged` is undefined while the wall has not heard yet (the evidence shows, without "not judged").
 */
export function summaryConfidence(summary: MissionSummary, judged: JudgedConfidence | null | undefined, scale: RatingScaleId): ConfidenceReading {
	const { dependencies, blockers, actions } = summary;
	const counts = { red: dependencies.red, review: dependencies.review, late: dependencies.late, escalated: blockers.escalated, overdueActions: actions.overdue, openDependencies: dependencies.open, openBlockers: blockers.open };
	return reconcileConfidence(judged ?? null, { confidence: summary.confidence, counts, scale });
}

/**
 * Short enough to read from five metres: who judged and when; whether the evidence agrees ("Rated
 * Green but the evidence reads Red", starting "To check:" when the judgement is kinder); with no
 * judgement, what the evidence is read from ("not judged yet" once the wall has `heard` there is none).
 */
export function confidenceWords(reading: ConfidenceReading, heard: boolean, dates: DateFormat, today: string): { who: string | null; evidence: string } {
	const label = (level: RatingLevel) => ratingLevelInfo[level].label;
	const basis = (n: number) => `${n} rated open ${n === 1 ? 'dependency' : 'dependencies'}`;
	if (reading.judged) {
		const who = `Judged by ${reading.judged.byName}, ${dates.near(isoDateAt(reading.judged.at), today)}`;
		if (!reading.evidence) return { who, evidence: 'No open dependency is rated yet' };
		if (!reading.disagreement) return { who, evidence: `The evidence agrees (${basis(reading.evidence.basis)})` };
		const words = `Rated ${label(reading.judged.level)} but the evidence reads ${label(reading.evidence.level)}`;
		return { who, evidence: reading.review ? `To check: ${words}` : words };
	}
	if (!reading.evidence) return { who: null, evidence: 'No open dependency is rated yet' };
	return { who: null, evidence: `Read from ${basis(reading.evidence.basis)}${heard ? '; not judged yet' : ''}` };
}

// ── Red and late dependencies ────────────────────────────────────────────────

export type DependencyRow = {
	record: OnBoard<DependencyRecord>;
	slipDays: number | null;
	late: boolean;
	red: boolean;
};

export function redAndLateDependencies(records: MissionRecords, today: string): DependencyRow[] {
	const rows: DependencyRow[] = [];
	for (const record of live(records.dependencies)) {
		if (!isDependencyOpen(record)) continue;
		const { slipDays, forecastLate } = dependencySlip(record);
		const late = isDependencyLate(record, today) || forecastLate;
		const red = isDependencyRed(record);
		if (late || red) rows.push({ record, slipDays, late, red });
	}
	return rows.sort((a, b) => (b.slipDays ?? -Infinity) - (a.slipDays ?? -Infinity) || (a.record.neededBy ?? '9').localeCompare(b.record.neededBy ?? '9'));
}

// ── Escalated blockers ───────────────────────────────────────────────────────

export type BlockerRow = { record: OnBoard<BlockerRecord>; daysBlocked: number; level: (typeof escalationLevels)[number] | null; overdue: boolean };

export function escalatedBlockers(records: MissionRecords, today: string): BlockerRow[] {
	return live(records.blockers)
		.filter((record) => record.status === 'escalated')
		.map((record) => ({
			record,
			daysBlocked: daysBlocked(record, today) ?? 0,
			level: escalationReached(record),
			overdue: record.targetResolution !== null && record.targetResolution < today
		}))
		.sort((a, b) => escalationLevels.indexOf(b.level ?? escalationLevels[0]) - escalationLevels.indexOf(a.level ?? escalationLevels[0]) || b.daysBlocked - a.daysBlocked);
}

// ── Actions due this week and overdue ────────────────────────────────────────

export type ActionRow = { record: OnBoard<ActionRecord>; overdueDays: number; slips: number };

export function actionsDue(records: MissionRecords, today: string): ActionRow[] {
	const { end } = weekOf(today);
	return live(records.actions)
		.filter((record) => record.status === 'open' && record.due <= end)
		.map((record) => ({ record, overdueDays: Math.max(0, daysBetween(record.due, today)), slips: record.replans.length }))
		.sort((a, b) => a.record.due.localeCompare(b.record.due) || a.record.ref.localeCompare(b.record.ref));
}

/** The same rows in two counted sections: overdue (most overdue first) and due later this week. */
export function actionSections(records: MissionRecords, today: string): { overdue: ActionRow[]; dueThisWeek: ActionRow[] } {
	const rows = actionsDue(records, today);
	return { overdue: rows.filter((row) => row.overdueDays > 0), dueThisWeek: rows.filter((row) => row.overdueDays === 0) };
}

// ── Top risks and assumptions to validate ───────────────────────────────────

export type RiskRow = { record: OnBoard<RiskRecord>; score: number; proximityPast: boolean };
export type AssumptionRow = { record: OnBoard<AssumptionRecord>; validationDate: string; overdueDays: number };

/**
 * Open risks, highest likelihood × impact first (then the nearest proximity, then ref); and
 * unvalidated assumptions whose validation date is past or within two weeks, most overdue first.
 */
export function riskSections(records: MissionRecords, today: string): { risks: RiskRow[]; assumptions: AssumptionRow[] } {
	const risks = live(records.risks)
		.filter(isRiskOpen)
		.map((record) => ({ record, score: riskScore(record), proximityPast: record.proximity !== null && record.proximity <= today }))
		.sort((a, b) => b.score - a.score || (a.record.proximity ?? '9').localeCompare(b.record.proximity ?? '9') || a.record.ref.localeCompare(b.record.ref));
	const horizon = addDays(today, assumptionWindowDays);
	const assumptions: AssumptionRow[] = [];
	for (const record of live(records.assumptions)) {
		if (record.status !== 'unvalidated' || record.validationDate === null || record.validationDate > horizon) continue;
		assumptions.push({ record, validationDate: record.validationDate, overdueDays: Math.max(0, daysBetween(record.validationDate, today)) });
	}
	assumptions.sort((a, b) => a.validationDate.localeCompare(b.validationDate) || a.record.ref.localeCompare(b.record.ref));
	return { risks, assumptions };
}

// ── The latest meeting's decisions ───────────────────────────────────────────

export type MeetingKey = { forum: string; date: string };

/**
 * Decisions of the meeting `meeting` (same forum, decided that day); without one, or when it
 * recorded none, those of the latest day anything was decided (and that day's forum).
 */
export function latestDecisions(records: MissionRecords, meeting: MeetingKey | null): { forum: string; date: string; decisions: OnBoard<DecisionRecord>[] } | null {
	const decisions = live(records.decisions);
	const superseded = supersededIds(decisions);
	const current = decisions.filter((d) => !superseded.has(d.id));
	const byCreation = (a: DecisionRecord, b: DecisionRecord) => a.createdAt - b.createdAt;
	if (meeting) {
		const forum = meeting.forum.trim().toLowerCase();
		const found = current.filter((d) => d.decidedOn === meeting.date && d.forum.trim().toLowerCase() === forum).sort(byCreation);
		if (found.length > 0) return { forum: meeting.forum, date: meeting.date, decisions: found };
	}
	const latest = current.reduce<DecisionRecord | undefined>((best, d) => (!best || d.decidedOn > best.decidedOn || (d.decidedOn === best.decidedOn && d.createdAt > best.createdAt) ? d : best), undefined);
	if (!latest) return null;
	const forum = latest.forum.trim().toLowerCase();
	return { forum: latest.forum, date: latest.decidedOn, decisions: current.filter((d) => d.decidedOn === latest.decidedOn && d.forum.trim().toLowerCase() === forum).sort(byCreation) };
}

// ── Focus ────────────────────────────────────────────────────────────────────

/** Rows to show: the first `limit`, always including the focused record (in place of the last). */
export function visibleRows<T extends { record: { id: string; boardId: string } }>(rows: readonly T[], limit: number, focus: { boardId: string; recordId: string } | null): { shown: T[]; hidden: number } {
	const shown = rows.slice(0, limit);
	if (focus && !shown.some((row) => row.record.id === focus.recordId && row.record.boardId === focus.boardId)) {
		const focused = rows.find((row) => row.record.id === focus.recordId && row.record.boardId === focus.boardId);
		if (focused && shown.length === limit) shown[limit - 1] = focused;
		else if (focused) shown.push(focused);
	}
	return { shown, hidden: Math.max(0, rows.length - shown.length) };
}


// ── Time ─────────────────────────────────────────────────────────────────────

/** How far a time zone is ahead of UTC at an instant, in ms. */
function zoneOffsetMs(instant: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(instant);
	const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
	return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second')) - Math.floor(instant / 1000) * 1000;
}

/** Epoch ms of midnight (in `timeZone`) of the day `now` falls in. */
export function dayStartAt(now: number, timeZone: string = defaultTimeZone): number {
	const midnightUtc = Date.parse(`${isoDateAt(now, timeZone)}T00:00:00Z`);
	return midnightUtc - zoneOffsetMs(midnightUtc, timeZone);
}

/** "09:41" in the unit's time zone, on the 24-hour clock (a time of day, not a date: the locale does not change it). */
export function clockTime(epochMs: number, timeZone: string = defaultTimeZone): string {
	return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(epochMs);
}
