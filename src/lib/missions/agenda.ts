/**
 * The agenda of a Missions Board meeting across missions (pure): every item put to the Board "for
 * decision" first, across all the meeting's missions, then mission by mission (in the chair's order)
 * the blockers escalated to the Missions Board, the milestones at risk and the red dependencies.
 * Built from the Missions Board view's data, so it shows only what its reader may see.
 */
import type { Portfolio, PortfolioMission } from '../protocol/missions.ts';

export type AgendaKind = 'for_decision' | 'escalated_blocker' | 'milestone_at_risk' | 'red_dependency';

export const agendaKindLabels = {
	for_decision: 'For decision',
	escalated_blocker: 'Escalated to the Missions Board',
	milestone_at_risk: 'Milestone at risk',
	red_dependency: 'Red dependency'
} as const satisfies Record<AgendaKind, string>;

export interface MissionsBoardAgendaItem {
	kind: AgendaKind;
	missionId: string;
	missionTitle: string;
	/** The record's ref (none for a milestone). */
	ref: string | null;
	title: string;
	/** Where it is: the record on its board, or the milestone on the mission page. */
	path: string;
	/** The board decisions about it go to (none for a milestone: the mission's first board). */
	boardId: string | null;
	detail: string;
	/** For decision: the record (the chair can put it in focus on the walls), the question, who put it to the Board and when. */
	register?: 'dependencies' | 'blockers';
	recordId?: string;
	note?: string;
	by?: string;
	at?: number;
}

function missionItems(mission: PortfolioMission): MissionsBoardAgendaItem[] {
	const base = { missionId: mission.id, missionTitle: mission.title };
	const decided = new Set(mission.forDecision.map((item) => item.path));
	return [
		...mission.escalatedBlockers.filter((item) => !decided.has(item.path)).map((item) => ({ ...base, kind: 'escalated_blocker' as const, ref: item.ref, title: item.title, path: item.path, boardId: item.boardId, detail: item.detail })),
		...mission.milestonesAtRisk.map((milestone) => ({
			...base,
			kind: 'milestone_at_risk' as const,
			ref: null,
			title: milestone.title,
			path: `${mission.path}#milestone-${milestone.id}`,
			boardId: null,
			detail: milestone.reasons.map((reason) => reason.message).join('; ')
		})),
		...mission.redDependencies.filter((item) => !decided.has(item.path)).map((item) => ({ ...base, kind: 'red_dependency' as const, ref: item.ref, title: item.title, path: item.path, boardId: item.boardId, detail: item.detail }))
	];
}

/** The agenda, in order: "for decision" across missions (mission order, then oldest mark), then each mission's items. */
export function missionsBoardAgenda(portfolio: Pick<Portfolio, 'missions'>, missionIds: readonly string[]): MissionsBoardAgendaItem[] {
	const byId = new Map(portfolio.missions.map((mission) => [mission.id, mission]));
	const missions = missionIds.flatMap((id) => byId.get(id) ?? []);
	const forDecision = missions.flatMap((mission) =>
		mission.forDecision.map((item) => ({
			kind: 'for_decision' as const,
			missionId: mission.id,
			missionTitle: mission.title,
			ref: item.ref,
			title: item.title,
			path: item.path,
			boardId: item.boardId,
			detail: item.detail,
			register: item.register,
			recordId: item.recordId,
			note: item.note,
			by: item.by.name,
			at: item.at
		}))
	);
	return [...forDecision, ...missions.flatMap(missionItems)];
}
