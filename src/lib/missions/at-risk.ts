/**
 * Which milestones are at risk, and why: pure, shared by the API, the mission page, the Missions
 * Board view and the wall. A board record names the milestones it affects in its `milestones`
 * field (docs/document-schema.md). A milestone is at risk when
 *
 * - a linked open dependency's forecast (or, without one, its committed date) is after the milestone;
 * - an open blocker on its path is past its target resolution date, or targets a date after the
 *   milestone. "On its path" means linked to the milestone, or blocking a dependency that is;
 * - its own date has passed and it is not done.
 *
 * A done milestone is never at risk. Each reason is a sentence naming the record and both dates,
 * written in the workspace's date locale (the caller's `DateFormat`).
 */
import type { DateFormat } from '../date-format.ts';
import type { IsoDate } from '../protocol/record-fields.ts';
import type { RiskReason } from '../protocol/missions.ts';

export interface RiskMilestone {
	id: string;
	date: IsoDate;
	status: 'not_started' | 'in_progress' | 'done' | 'missed';
}

export interface RiskDependency {
	id: string;
	ref: string;
	boardId: string;
	path: string;
	status: string;
	archived: boolean;
	forecast: IsoDate | null;
	committed: IsoDate | null;
	milestones: readonly string[];
}

export interface RiskBlocker {
	id: string;
	ref: string;
	boardId: string;
	path: string;
	status: string;
	archived: boolean;
	targetResolution: IsoDate | null;
	milestones: readonly string[];
	/** Ids of the records it blocks (its `blocks` links). */
	blocks: readonly string[];
}

export interface MilestoneRisk {
	atRisk: boolean;
	reasons: RiskReason[];
}

const closedDependency = new Set(['delivered', 'cancelled']);

/** The risk of every milestone, keyed by milestone id. */
export function milestoneRisks(
	milestones: readonly RiskMilestone[],
	records: { dependencies: readonly RiskDependency[]; blockers: readonly RiskBlocker[] },
	today: IsoDate,
	dates: DateFormat
): Map<string, MilestoneRisk> {
	const shortDate = (date: IsoDate, relativeTo: IsoDate) => dates.near(date, relativeTo);
	const dependencies = records.dependencies.filter((dependency) => !dependency.archived && !closedDependency.has(dependency.status));
	const blockers = records.blockers.filter((blocker) => !blocker.archived && blocker.status !== 'resolved');
	const risks = new Map<string, MilestoneRisk>();
	for (const milestone of milestones) {
		const reasons: RiskReason[] = [];
		if (milestone.status !== 'done') {
			const linkedDependencies = dependencies.filter((dependency) => dependency.milestones.includes(milestone.id));
			for (const dependency of linkedDependencies) {
				const expected = dependency.forecast ?? dependency.committed;
				if (expected && expected > milestone.date) {
					const word = dependency.forecast ? 'forecast' : 'committed date';
					reasons.push({
						kind: 'dependency_forecast',
						message: `${dependency.ref} ${word} ${shortDate(expected, milestone.date)} is after the milestone's ${shortDate(milestone.date, expected)}`,
						ref: dependency.ref,
						boardId: dependency.boardId,
						path: dependency.path
					});
				}
			}
			const onPath = new Set(linkedDependencies.map((dependency) => `${dependency.boardId}:${dependency.id}`));
			for (const blocker of blockers) {
				const direct = blocker.milestones.includes(milestone.id);
				const via = blocker.blocks.some((id) => onPath.has(`${blocker.boardId}:${id}`));
				if ((!direct && !via) || !blocker.targetResolution) continue;
				const where = direct ? '' : ' (it blocks a dependency of this milestone)';
				if (blocker.targetResolution < today) {
					reasons.push({
						kind: 'blocker_overdue',
						message: `${blocker.ref} is still open past its target resolution of ${shortDate(blocker.targetResolution, today)}${where}`,
						ref: blocker.ref,
						boardId: blocker.boardId,
						path: blocker.path
					});
				} else if (blocker.targetResolution > milestone.date) {
					reasons.push({
						kind: 'blocker_target',
						message: `${blocker.ref} target resolution ${shortDate(blocker.targetResolution, milestone.date)} is after the milestone's ${shortDate(milestone.date, blocker.targetResolution)}${where}`,
						ref: blocker.ref,
						boardId: blocker.boardId,
						path: blocker.path
					});
				}
			}
			if (milestone.date < today) reasons.unshift({ kind: 'date_passed', message: `the milestone's date ${shortDate(milestone.date, today)} has passed and it is not done` });
		}
		risks.set(milestone.id, { atRisk: reasons.length > 0, reasons });
	}
	return risks;
}
