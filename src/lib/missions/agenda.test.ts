import { describe, expect, it } from 'vitest';
import type { PortfolioMission } from '../protocol/missions.ts';
import { missionsBoardAgenda } from './agenda.ts';

const item = (ref: string, boardId: string) => ({ ref, title: `${ref} title`, boardId, boardTitle: 'Board', path: `/boards/${boardId}?ref=${ref}`, detail: 'detail' });
const mission = (id: string, parts: Partial<PortfolioMission>): PortfolioMission => ({
	id,
	title: `Mission ${id}`,
	path: `/missions/${id}`,
	sample: false,
	ceo: null,
	confidence: null,
	targets: [],
	milestones: { total: 0, atRisk: 0, done: 0 },
	milestonesAtRisk: [],
	redDependencies: [],
	escalatedBlockers: [],
	forDecision: [],
	counts: { redDependencies: 0, escalatedBlockers: 0, forDecision: 0 },
	boards: 1,
	...parts
});
const mark = (ref: string, boardId: string, at: number, register: 'dependencies' | 'blockers' = 'blockers') => ({ ...item(ref, boardId), register, recordId: `id-${ref}`, note: `decide ${ref}?`, by: { name: 'Edna' }, at });

describe('the Missions Board agenda across missions', () => {
	const portfolio = {
		missions: [
			mission('alpha', { forDecision: [mark('BLK-1', 'a1', 5)], escalatedBlockers: [item('BLK-1', 'a1'), item('BLK-2', 'a1')], redDependencies: [item('DEP-3', 'a1')] }),
			mission('beta', { forDecision: [mark('DEP-9', 'b1', 1, 'dependencies')], milestonesAtRisk: [{ id: 'm1', title: 'Pilot live', date: '2027-03-31', reasons: [{ kind: 'dependency_forecast', message: 'DEP-9 forecast is late' }] }] })
		]
	};

	it('puts every item for decision first, in the chair\'s mission order, then each mission\'s items', () => {
		const agenda = missionsBoardAgenda(portfolio, ['beta', 'alpha']);
		expect(agenda.map((entry) => [entry.kind, entry.missionId, entry.ref])).toEqual([
			['for_decision', 'beta', 'DEP-9'],
			['for_decision', 'alpha', 'BLK-1'],
			['milestone_at_risk', 'beta', null],
			['escalated_blocker', 'alpha', 'BLK-2'],
			['red_dependency', 'alpha', 'DEP-3']
		]);
		expect(agenda[0]).toMatchObject({ note: 'decide DEP-9?', by: 'Edna', recordId: 'id-DEP-9', register: 'dependencies', boardId: 'b1' });
		expect(agenda[2]).toMatchObject({ path: '/missions/beta#milestone-m1', detail: 'DEP-9 forecast is late', boardId: null });
	});

	it('leaves out missions not picked, or not visible to the reader', () => {
		expect(missionsBoardAgenda(portfolio, ['alpha', 'gone']).every((entry) => entry.missionId === 'alpha')).toBe(true);
		expect(missionsBoardAgenda(portfolio, [])).toEqual([]);
	});
});
