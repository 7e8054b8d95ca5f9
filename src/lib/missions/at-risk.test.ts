import { describe, expect, it } from 'vitest';
import { dateFormat } from '../date-format.ts';
import { milestoneRisks, type RiskBlocker, type RiskDependency, type RiskMilestone } from './at-risk.ts';

const milestone: RiskMilestone = { id: 'm1', date: '2026-03-31', status: 'in_progress' };
const dep = (over: Partial<RiskDependency>): RiskDependency => ({
	id: 'd1',
	ref: 'DEP-4',
	boardId: 'b1',
	path: '/boards/b1?ref=DEP-4',
	status: 'agreed',
	archived: false,
	forecast: null,
	committed: null,
	milestones: ['m1'],
	...over
});
const blk = (over: Partial<RiskBlocker>): RiskBlocker => ({
	id: 'k1',
	ref: 'BLK-2',
	boardId: 'b1',
	path: '/boards/b1?ref=BLK-2',
	status: 'open',
	archived: false,
	targetResolution: null,
	milestones: [],
	blocks: [],
	...over
});
const en = dateFormat('en-GB');
const today = '2026-03-01';

describe('milestone risk', () => {
	it('flags a dependency whose forecast passes the milestone, with the reason in words', () => {
		const risk = milestoneRisks([milestone], { dependencies: [dep({ forecast: '2026-04-30' })], blockers: [] }, today, en).get('m1')!;
		expect(risk.atRisk).toBe(true);
		expect(risk.reasons).toEqual([{ kind: 'dependency_forecast', message: "DEP-4 forecast 30 Apr is after the milestone's 31 Mar", ref: 'DEP-4', boardId: 'b1', path: '/boards/b1?ref=DEP-4' }]);
	});

	it('uses the committed date when there is no forecast, and names the year when it differs', () => {
		const risk = milestoneRisks([milestone], { dependencies: [dep({ committed: '2027-01-15' })], blockers: [] }, today, en).get('m1')!;
		expect(risk.reasons[0]!.message).toBe("DEP-4 committed date 15 Jan 2027 is after the milestone's 31 Mar 2026");
	});

	it('ignores dependencies that are on time, delivered, cancelled, archived or linked elsewhere', () => {
		const dependencies = [
			dep({ forecast: '2026-03-31' }),
			dep({ forecast: '2026-05-01', status: 'delivered' }),
			dep({ forecast: '2026-05-01', status: 'cancelled' }),
			dep({ forecast: '2026-05-01', archived: true }),
			dep({ forecast: '2026-05-01', milestones: ['m2'] })
		];
		expect(milestoneRisks([milestone], { dependencies, blockers: [] }, today, en).get('m1')).toEqual({ atRisk: false, reasons: [] });
	});

	it('flags an open blocker past its target resolution, linked directly or blocking a linked dependency', () => {
		const direct = blk({ milestones: ['m1'], targetResolution: '2026-02-15' });
		const viaDependency = blk({ id: 'k2', ref: 'BLK-3', targetResolution: '2026-02-20', blocks: ['d1'] });
		const otherBoard = blk({ id: 'k3', ref: 'BLK-9', boardId: 'b2', targetResolution: '2026-02-20', blocks: ['d1'] });
		const resolved = blk({ id: 'k4', ref: 'BLK-5', milestones: ['m1'], targetResolution: '2026-02-15', status: 'resolved' });
		const risk = milestoneRisks([milestone], { dependencies: [dep({ forecast: '2026-03-01' })], blockers: [direct, viaDependency, otherBoard, resolved] }, today, en).get('m1')!;
		expect(risk.reasons.map((reason) => reason.message)).toEqual([
			'BLK-2 is still open past its target resolution of 15 Feb',
			'BLK-3 is still open past its target resolution of 20 Feb (it blocks a dependency of this milestone)'
		]);
	});

	it('flags a blocker whose target resolution is after the milestone', () => {
		const risk = milestoneRisks([milestone], { dependencies: [], blockers: [blk({ milestones: ['m1'], targetResolution: '2026-04-10' })] }, today, en).get('m1')!;
		expect(risk.reasons[0]).toMatchObject({ kind: 'blocker_target', message: "BLK-2 target resolution 10 Apr is after the milestone's 31 Mar" });
	});

	it('flags a milestone whose date has passed, and never a done one', () => {
		const past = milestoneRisks([{ id: 'm1', date: '2026-02-01', status: 'in_progress' }], { dependencies: [], blockers: [] }, today, en).get('m1')!;
		expect(past.reasons[0]).toMatchObject({ kind: 'date_passed', message: "the milestone's date 1 Feb has passed and it is not done" });
		const done = milestoneRisks([{ id: 'm1', date: '2026-02-01', status: 'done' }], { dependencies: [dep({ forecast: '2026-09-01', milestones: ['m1'] })], blockers: [] }, today, en).get('m1')!;
		expect(done).toEqual({ atRisk: false, reasons: [] });
	});

	it('writes its dates in the workspace’s locale, with the year only when it differs', () => {
		const late = { dependencies: [dep({ forecast: '2027-01-15' })], blockers: [] };
		expect(milestoneRisks([milestone], late, today, en).get('m1')!.reasons[0]!.message).toBe('DEP-4 forecast 15 Jan 2027 is after the milestone\'s 31 Mar 2026');
		expect(milestoneRisks([milestone], late, today, dateFormat('fr-FR')).get('m1')!.reasons[0]!.message).toBe('DEP-4 forecast 15 janv. 2027 is after the milestone\'s 31 mars 2026');
	});
});
