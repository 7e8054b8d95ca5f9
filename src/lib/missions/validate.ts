/**
 * Checks across fields that zod's per-field schemas cannot make: a target date after its baseline,
 * trajectory points inside the target's dates, one value per date, actuals not in the future. Each
 * problem names where it is (`path`, as the API's `issues` give it) and what is wrong; the service
 * refuses the whole request when there is any, so nothing is half-saved.
 */
import type { IsoDate } from '../protocol/record-fields.ts';
import { meets, type Point } from './trajectory.ts';

export interface Issue {
	path: string;
	message: string;
}

export interface TargetShape {
	metric: { better: 'higher' | 'lower'; unit?: string };
	baseline: Point;
	target: Point;
	trajectory: readonly Point[];
}

/** Issues of a whole target (after a patch is applied). */
export function targetIssues(target: TargetShape): Issue[] {
	const issues: Issue[] = [];
	if (target.target.date <= target.baseline.date) {
		issues.push({ path: 'target.date', message: `the target date ${target.target.date} must be after the baseline date ${target.baseline.date}` });
	} else if (target.target.value === target.baseline.value || !meets(target.metric.better, target.target.value, target.baseline.value)) {
		const word = target.metric.better === 'higher' ? 'higher' : 'lower';
		issues.push({ path: 'target.value', message: `the target ${target.target.value} must be ${word} than the baseline ${target.baseline.value}: ${word} is better for this metric` });
	}
	const seen = new Map<IsoDate, number>();
	target.trajectory.forEach((point, index) => {
		if (point.date < target.baseline.date || point.date > target.target.date) {
			issues.push({ path: `trajectory.${index}.date`, message: `trajectory point ${index + 1} (${point.date}) is outside the target's dates, ${target.baseline.date} to ${target.target.date}` });
		}
		const earlier = seen.get(point.date);
		if (earlier !== undefined) issues.push({ path: `trajectory.${index}.date`, message: `trajectory point ${index + 1} repeats the date ${point.date} of point ${earlier + 1}` });
		else seen.set(point.date, index);
	});
	return issues;
}

/**
 * Issues of a batch of actuals: one value per date within the batch, nothing before the baseline or
 * after today. `label(i)` names an entry ("row 3" for CSV, "entry 2" for JSON); `path(i)` its path.
 */
export function actualsIssues(
	actuals: readonly Point[],
	context: { baselineDate: IsoDate; today: IsoDate },
	where: { label: (index: number) => string; path: (index: number) => string }
): Issue[] {
	const issues: Issue[] = [];
	const seen = new Map<IsoDate, number>();
	actuals.forEach((point, index) => {
		const path = `${where.path(index)}.date`;
		if (point.date < context.baselineDate) issues.push({ path, message: `${where.label(index)}: ${point.date} is before the baseline date ${context.baselineDate}` });
		if (point.date > context.today) issues.push({ path, message: `${where.label(index)}: ${point.date} is in the future (today is ${context.today})` });
		const earlier = seen.get(point.date);
		if (earlier !== undefined) issues.push({ path, message: `${where.label(index)}: the date ${point.date} is also on ${where.label(earlier)}` });
		else seen.set(point.date, index);
	});
	return issues;
}
