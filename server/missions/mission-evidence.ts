/**
 * What a mission's boards say about it: the dependencies and blockers linked to its milestones
 * (for `milestoneRisks`), its red dependencies and the blockers escalated to the Missions Board.
 * Read from the board documents through the hub, only from the boards the caller can see, so a
 * reason never names a record the caller could not open.
 */
import { readBoard, validRecords } from '#lib/board/board-doc.ts';
import { escalationReached, isBlockerOpen, isDependencyRed } from '#lib/board/derived.ts';
import type { RiskBlocker, RiskDependency } from '#lib/missions/at-risk.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import type { EscalatedItem } from '#lib/protocol/missions.ts';
import { shortDate } from '#lib/missions/at-risk.ts';
import { ratingInfo } from '#lib/protocol/ratings.ts';
import { recordPath, type BoardView } from '#lib/protocol/workspace.ts';
import type { DocHub } from '../hub/doc-hub.ts';

export interface MissionEvidence {
	dependencies: RiskDependency[];
	blockers: RiskBlocker[];
	redDependencies: EscalatedItem[];
	escalatedBlockers: EscalatedItem[];
	/** Record titles, keyed `<boardId>:<recordId>`. */
	titles: Map<string, string>;
}

/** Reads the boards (active ones only) and gathers the evidence. */
export async function readEvidence(hub: DocHub, boards: readonly Pick<BoardView, 'id' | 'title' | 'archived'>[]): Promise<MissionEvidence> {
	const evidence: MissionEvidence = { dependencies: [], blockers: [], redDependencies: [], escalatedBlockers: [], titles: new Map() };
	const active = boards.filter((board) => !board.archived);
	const contents = await Promise.all(active.map((board) => hub.withDoc(boardDocName(board.id), (shared) => readBoard(shared.doc))));
	active.forEach((board, index) => {
		const records = contents[index]!;
		for (const dependency of validRecords(records.dependencies)) {
			const path = recordPath(board.id, dependency.ref);
			evidence.titles.set(`${board.id}:${dependency.id}`, dependency.title);
			evidence.dependencies.push({ id: dependency.id, ref: dependency.ref, boardId: board.id, path, status: dependency.status, archived: dependency.archived, forecast: dependency.forecast, committed: dependency.committed, milestones: dependency.milestones });
			if (!dependency.archived && isDependencyRed(dependency)) {
				const forecast = dependency.forecast ? `, forecast ${shortDate(dependency.forecast)}` : '';
				evidence.redDependencies.push({ ref: dependency.ref, title: dependency.title, boardId: board.id, boardTitle: board.title, path, detail: `${ratingInfo(dependency.rating!).label}${forecast}` });
			}
		}
		for (const blocker of validRecords(records.blockers)) {
			const path = recordPath(board.id, blocker.ref);
			evidence.titles.set(`${board.id}:${blocker.id}`, blocker.title);
			evidence.blockers.push({ id: blocker.id, ref: blocker.ref, boardId: board.id, path, status: blocker.status, archived: blocker.archived, targetResolution: blocker.targetResolution, milestones: blocker.milestones, blocks: blocker.blocks.map((link) => link.id) });
			if (!blocker.archived && isBlockerOpen(blocker) && escalationReached(blocker) === 'missions_board') {
				const step = blocker.escalations.findLast((entry) => entry.level === 'missions_board')!;
				evidence.escalatedBlockers.push({ ref: blocker.ref, title: blocker.title, boardId: board.id, boardTitle: board.title, path, detail: `escalated ${shortDate(step.on)} (${step.forum}); ask of ${blocker.unblocker}` });
			}
		}
	});
	return evidence;
}
