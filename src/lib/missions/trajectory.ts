/**
 * Trajectory arithmetic, pure and shared by the API, the mission page, the Missions Board view and
 * the wall. A target's planned path runs from its baseline through the trajectory points to the
 * target (straight lines between points); the latest actual is compared with the plan on its date,
 * and the current trend (a least-squares line through the last few of baseline + actuals) gives the
 * date the target value is reached.
 */
import { addDays, daysBetween } from '../board/dates.ts';
import type { IsoDate } from '../protocol/record-fields.ts';
import { missionLimits, type TargetProgress } from '../protocol/missions.ts';

export interface Point {
	date: IsoDate;
	value: number;
}

export interface TrajectoryTarget {
	metric: { better: 'higher' | 'lower' };
	baseline: Point;
	target: Point;
	trajectory: readonly Point[];
	actuals: readonly Point[];
}

/** How far the trend may be extrapolated before we stop calling it a projection (days). */
export const maxProjectionDays = 365 * 50;

const byDate = (a: Point, b: Point) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);

/** The planned path: baseline, the trajectory points strictly between, target; sorted by date. */
export function plannedPath(target: Pick<TrajectoryTarget, 'baseline' | 'target' | 'trajectory'>): Point[] {
	const inside = target.trajectory.filter((point) => point.date > target.baseline.date && point.date < target.target.date);
	return [target.baseline, ...[...inside].sort(byDate), target.target];
}

/** The planned value on a date: interpolated between points; undefined before the baseline, the target value after it. */
export function plannedValue(target: Pick<TrajectoryTarget, 'baseline' | 'target' | 'trajectory'>, date: IsoDate): number | undefined {
	const path = plannedPath(target);
	if (date < path[0]!.date) return undefined;
	for (let i = 1; i < path.length; i++) {
		const from = path[i - 1]!;
		const to = path[i]!;
		if (date <= to.date) {
			const span = daysBetween(from.date, to.date);
			if (span === 0) return to.value;
			return from.value + ((to.value - from.value) * daysBetween(from.date, date)) / span;
		}
	}
	return path[path.length - 1]!.value;
}

/** True when `value` is at least as good as `reference` for this metric's direction. */
export function meets(better: 'higher' | 'lower', value: number, reference: number): boolean {
	return better === 'higher' ? value >= reference : value <= reference;
}

/** Least-squares line through points (x in days from the first), or undefined with fewer than two distinct dates. */
export function trendLine(points: readonly Point[]): { origin: IsoDate; slopePerDay: number; intercept: number } | undefined {
	if (points.length < 2) return undefined;
	const origin = points[0]!.date;
	const xs = points.map((point) => daysBetween(origin, point.date));
	const meanX = xs.reduce((sum, x) => sum + x, 0) / xs.length;
	const meanY = points.reduce((sum, point) => sum + point.value, 0) / points.length;
	let sxx = 0;
	let sxy = 0;
	for (let i = 0; i < points.length; i++) {
		sxx += (xs[i]! - meanX) ** 2;
		sxy += (xs[i]! - meanX) * (points[i]!.value - meanY);
	}
	if (sxx === 0) return undefined;
	const slopePerDay = sxy / sxx;
	return { origin, slopePerDay, intercept: meanY - slopePerDay * meanX };
}

/**
 * The date the trend reaches `goal`, searching forward from `from`; undefined when the trend is flat
 * or moving away from the goal, or would take longer than `maxProjectionDays`.
 */
export function projectDate(trend: NonNullable<ReturnType<typeof trendLine>>, goal: number, from: IsoDate): IsoDate | undefined {
	if (trend.slopePerDay === 0) return undefined;
	const day = (goal - trend.intercept) / trend.slopePerDay;
	const start = daysBetween(trend.origin, from);
	if (!Number.isFinite(day) || day - start > maxProjectionDays) return undefined;
	if (day < start) return undefined;
	return addDays(trend.origin, Math.ceil(day - 1e-9));
}

/** Status, gap and projected date of a target from its plan and actuals. */
export function targetProgress(target: TrajectoryTarget): TargetProgress {
	const actuals = [...target.actuals].sort(byDate);
	const latest = actuals.at(-1);
	if (!latest) return { status: 'no_data', projectedDate: null, latest: null, planned: null, behindBy: null, reachesTargetInTime: null };
	const better = target.metric.better;
	const planned = plannedValue(target, latest.date) ?? target.baseline.value;
	const behind = meets(better, latest.value, planned) ? 0 : Math.abs(planned - latest.value);
	const reached = actuals.find((point) => point.date >= target.baseline.date && meets(better, point.value, target.target.value));
	let projectedDate: IsoDate | null = null;
	if (reached && meets(better, latest.value, target.target.value)) {
		projectedDate = reached.date;
	} else {
		const recent = [target.baseline, ...actuals.filter((point) => point.date > target.baseline.date)].slice(-missionLimits.trendWindow);
		const trend = trendLine(recent);
		const towards = trend && (better === 'higher' ? trend.slopePerDay > 0 : trend.slopePerDay < 0);
		projectedDate = (towards && projectDate(trend, target.target.value, latest.date)) || null;
	}
	return {
		status: behind > 0 ? 'behind' : 'on_track',
		projectedDate,
		latest: { date: latest.date, value: latest.value },
		planned: round(planned),
		behindBy: round(behind),
		reachesTargetInTime: projectedDate === null ? false : projectedDate <= target.target.date
	};
}

/** Rounds away floating-point noise (0.1 + 0.2) without hiding real decimals. */
function round(value: number): number {
	return Math.round(value * 1e6) / 1e6;
}
