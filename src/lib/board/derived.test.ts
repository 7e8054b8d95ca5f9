import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, isoDateAt, msPerDay } from './dates.ts';
import {
	actionSlipCount,
	actionSlipDays,
	ageDays,
	boardSummary,
	daysBlocked,
	defaultStaleAfterDays,
	dependencySlip,
	isActionOverdue,
	isBlockerOverdue,
	isDependencyLate,
	isDependencyRed,
	isStale
} from './derived.ts';
import { someone, testAction, testBlocker, testDecision, testDependency, testNow } from './test-records.ts';

const now = testNow;
const action = testAction;
const blocker = testBlocker;
const dependency = testDependency;
const decision = testDecision;

const today = '2026-03-10';

describe('dates', () => {
	it('counts calendar days across a clock change and months', () => {
		expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2); // UK clocks go forward on the 29th
		expect(daysBetween('2026-03-10', '2026-02-28')).toBe(-10);
		expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
		expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
	});

	it('takes the calendar date in UK time by default', () => {
		expect(isoDateAt(Date.UTC(2026, 5, 30, 23, 30))).toBe('2026-07-01'); // 00:30 BST
		expect(isoDateAt(Date.UTC(2026, 5, 30, 23, 30), 'UTC')).toBe('2026-06-30');
	});
});

describe('derived values', () => {
	it('an open action is overdue only after its due date', () => {
		expect(isActionOverdue(action({ due: '2026-03-10' }), today)).toBe(false);
		expect(isActionOverdue(action({ due: '2026-03-09' }), today)).toBe(true);
		expect(isActionOverdue(action({ due: '2026-03-09', status: 'done' }), today)).toBe(false);
		expect(isActionOverdue(action({ due: '2026-03-09', status: 'dropped' }), today)).toBe(false);
	});

	it('counts action slips from the re-plan history', () => {
		const replans = [
			{ from: '2026-03-01', to: '2026-03-05', reason: '', by: someone, at: now },
			{ from: '2026-03-05', to: '2026-03-12', reason: '', by: someone, at: now }
		];
		const slipped = action({ originalDue: '2026-03-01', due: '2026-03-12', replans });
		expect(actionSlipCount(slipped)).toBe(2);
		expect(actionSlipDays(slipped)).toBe(11);
	});

	it('days blocked runs from raised-on to today until resolved; overdue after the target date', () => {
		expect(daysBlocked(blocker(), today)).toBe(9);
		expect(daysBlocked(blocker({ status: 'resolved' }), today)).toBeNull();
		expect(daysBlocked(blocker({ raisedOn: '2026-03-12' }), today)).toBe(0);
		expect(isBlockerOverdue(blocker({ targetResolution: '2026-03-10' }), today)).toBe(false);
		expect(isBlockerOverdue(blocker({ targetResolution: '2026-03-09' }), today)).toBe(true);
		expect(isBlockerOverdue(blocker({ targetResolution: '2026-03-09', status: 'resolved' }), today)).toBe(false);
		expect(isBlockerOverdue(blocker({ targetResolution: null }), today)).toBe(false);
	});

	it('shows the slip between needed-by and forecast and flags a late forecast', () => {
		expect(dependencySlip(dependency())).toEqual({ slipDays: -2, forecastLate: false, commitGapDays: -2, commitLate: false });
		expect(dependencySlip(dependency({ forecast: '2026-03-25', committed: '2026-03-21' }))).toEqual({
			slipDays: 5,
			forecastLate: true,
			commitGapDays: 1,
			commitLate: true
		});
		expect(dependencySlip(dependency({ forecast: '2026-03-25', status: 'delivered' })).forecastLate).toBe(false);
		expect(dependencySlip(dependency({ forecast: null })).slipDays).toBeNull();
	});

	it('a dependency is late when marked late or open past needed-by; red works on both scales', () => {
		expect(isDependencyLate(dependency(), today)).toBe(false);
		expect(isDependencyLate(dependency({ status: 'late' }), today)).toBe(true);
		expect(isDependencyLate(dependency({ neededBy: '2026-03-09' }), today)).toBe(true);
		expect(isDependencyLate(dependency({ neededBy: '2026-03-09', status: 'delivered' }), today)).toBe(false);
		expect(isDependencyRed(dependency({ rating: 'red' }))).toBe(true);
		expect(isDependencyRed(dependency({ rating: 'amber_red' }))).toBe(true);
		expect(isDependencyRed(dependency({ rating: 'amber' }))).toBe(false);
		expect(isDependencyRed(dependency({ rating: 'red', status: 'cancelled' }))).toBe(false);
	});

	it('a record is stale when not updated for more than the threshold', () => {
		const at = (days: number) => dependency({ updatedAt: now - days * msPerDay });
		expect(ageDays(at(3), now)).toBe(3);
		expect(isStale(at(defaultStaleAfterDays), now)).toBe(false);
		expect(isStale(at(defaultStaleAfterDays + 1), now)).toBe(true);
		expect(isStale(at(4), now, 3)).toBe(true);
	});

	it('summarises a board for the home page, leaving archived records out', () => {
		const summary = boardSummary(
			{
				dependencies: [
					dependency({ rating: 'red' }),
					dependency({ status: 'late', rating: 'amber' }),
					dependency({ forecast: '2026-04-01' }),
					dependency({ status: 'delivered', rating: 'red' }),
					dependency({ rating: 'red', archived: true })
				],
				blockers: [blocker({ status: 'escalated' }), blocker({ targetResolution: '2026-03-01' }), blocker({ status: 'resolved' })],
				actions: [action({ due: '2026-03-01' }), action(), action({ status: 'done', due: '2026-03-01' })],
				decisions: [decision({ id: 'd1' }), decision({ id: 'd2', supersedes: 'd1' })]
			},
			today
		);
		expect(summary).toEqual({
			dependencies: { total: 4, open: 3, red: 1, late: 1, forecastLate: 1, review: 2 },
			blockers: { total: 3, open: 2, escalated: 1, overdue: 1 },
			actions: { total: 3, open: 2, overdue: 1 },
			decisions: { total: 2, current: 1 }
		});
	});
});
