import { describe, expect, it } from 'vitest';
import { addDays } from '../board/dates.ts';
import { plannedPath, plannedValue, projectDate, targetProgress, trendLine, type TrajectoryTarget } from './trajectory.ts';

const homes: TrajectoryTarget = {
	metric: { better: 'higher' },
	baseline: { date: '2024-01-01', value: 100 },
	target: { date: '2028-01-01', value: 500 },
	trajectory: [
		{ date: '2026-01-01', value: 250 },
		{ date: '2025-01-01', value: 150 }
	],
	actuals: []
};

describe('planned path', () => {
	it('runs from baseline through the sorted points to the target, interpolating by day', () => {
		expect(plannedPath(homes).map((point) => point.date)).toEqual(['2024-01-01', '2025-01-01', '2026-01-01', '2028-01-01']);
		expect(plannedValue(homes, '2023-12-31')).toBeUndefined();
		expect(plannedValue(homes, '2024-01-01')).toBe(100);
		expect(plannedValue(homes, '2025-01-01')).toBe(150);
		// 2024 is a leap year: halfway through 2024 is 2024-07-02 (183 of 366 days).
		expect(plannedValue(homes, '2024-07-02')).toBeCloseTo(125, 6);
		expect(plannedValue(homes, '2027-01-01')).toBeCloseTo(250 + (250 * 365) / 730, 6);
		expect(plannedValue(homes, '2030-01-01')).toBe(500);
	});

	it('is a straight line from baseline to target without trajectory points', () => {
		expect(plannedValue({ ...homes, trajectory: [] }, '2026-01-01')).toBeCloseTo(100 + (400 * 731) / 1461, 6);
	});
});

describe('target progress', () => {
	it('has no data, no status and no projection without actuals', () => {
		expect(targetProgress(homes)).toEqual({ status: 'no_data', projectedDate: null, latest: null, planned: null, behindBy: null, reachesTargetInTime: null });
	});

	it('is on track when the latest actual meets the plan on its date, and projects the trend', () => {
		const progress = targetProgress({ ...homes, actuals: [{ date: '2025-01-01', value: 200 }, { date: '2026-01-01', value: 350 }] });
		expect(progress.status).toBe('on_track');
		expect(progress.behindBy).toBe(0);
		expect(progress.planned).toBe(250);
		expect(progress.latest).toEqual({ date: '2026-01-01', value: 350 });
		expect(progress.projectedDate).not.toBeNull();
		expect(progress.projectedDate! > '2026-01-01').toBe(true);
		expect(progress.reachesTargetInTime).toBe(true);
	});

	it('is behind by the gap to the plan, and the trend date says when the target is reached', () => {
		// Baseline 100 on 2024-01-01, 150 a leap year later: 50 per 366 days, so 400 more takes 8 × 366 days.
		const progress = targetProgress({ ...homes, trajectory: [], actuals: [{ date: '2025-01-01', value: 150 }] });
		expect(progress.status).toBe('behind');
		expect(progress.planned).toBeCloseTo(100 + (400 * 366) / 1461, 4);
		expect(progress.behindBy).toBeCloseTo(progress.planned! - 150, 6);
		expect(progress.projectedDate).toBe(addDays('2024-01-01', 8 * 366));
		expect(progress.reachesTargetInTime).toBe(false);
	});

	it('has no projected date when the trend is flat or moving away from the target', () => {
		const flat = targetProgress({ ...homes, actuals: [{ date: '2025-01-01', value: 100 }] });
		expect(flat.status).toBe('behind');
		expect(flat.projectedDate).toBeNull();
		const away = targetProgress({ ...homes, actuals: [{ date: '2025-01-01', value: 90 }] });
		expect(away.projectedDate).toBeNull();
		expect(away.reachesTargetInTime).toBe(false);
	});

	it('works for lower-is-better metrics', () => {
		const waits = { metric: { better: 'lower' as const }, baseline: { date: '2025-01-01', value: 18 }, target: { date: '2027-01-01', value: 10 }, trajectory: [], actuals: [{ date: '2026-01-01', value: 13 }] };
		const progress = targetProgress(waits);
		expect(progress.status).toBe('on_track');
		expect(progress.projectedDate! <= '2027-01-01').toBe(true);
		const behind = targetProgress({ ...waits, actuals: [{ date: '2026-01-01', value: 16 }] });
		expect(behind.status).toBe('behind');
		expect(behind.behindBy).toBeCloseTo(2, 1);
	});

	it('gives the date the target was first met once the latest actual meets it', () => {
		const progress = targetProgress({ ...homes, actuals: [{ date: '2027-06-01', value: 520 }, { date: '2027-03-01', value: 505 }, { date: '2027-01-01', value: 480 }] });
		expect(progress.projectedDate).toBe('2027-03-01');
		expect(progress.status).toBe('on_track');
	});

	it('fits the trend to the latest points only, so an old surge does not hide a stall', () => {
		const actuals = [
			{ date: '2024-04-01', value: 300 },
			{ date: '2024-07-01', value: 300 },
			{ date: '2024-10-01', value: 300 },
			{ date: '2025-01-01', value: 300 }
		];
		expect(targetProgress({ ...homes, actuals }).projectedDate).toBeNull();
	});
});

describe('trend and projection', () => {
	it('needs two distinct dates and stops at an unreachable horizon', () => {
		expect(trendLine([{ date: '2025-01-01', value: 1 }])).toBeUndefined();
		expect(trendLine([{ date: '2025-01-01', value: 1 }, { date: '2025-01-01', value: 2 }])).toBeUndefined();
		const slow = trendLine([{ date: '2025-01-01', value: 0 }, { date: '2025-01-02', value: 1e-9 }])!;
		expect(projectDate(slow, 1, '2025-01-02')).toBeUndefined();
		const line = trendLine([{ date: '2025-01-01', value: 0 }, { date: '2025-01-11', value: 10 }])!;
		expect(line.slopePerDay).toBeCloseTo(1, 9);
		expect(projectDate(line, 20, '2025-01-11')).toBe('2025-01-21');
	});
});
