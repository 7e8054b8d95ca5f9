/**
 * What the page's `load` said about the board (fixed while the page is open), shared with every
 * board component through context.
 */
import { getContext, setContext } from 'svelte';
import type { DirectoryEntry } from '../../protocol/identity.ts';
import type { MilestoneRecord } from '../../protocol/missions.ts';
import type { RatingScaleId } from '../../protocol/ratings.ts';
import type { IsoDate } from '../../protocol/record-fields.ts';

export type DepartmentInfo = { id: string; name: string; code: string; colour: string; archived: boolean };

export type BoardInfo = {
	board: { id: string; title: string; description: string; archived: boolean; departmentIds: string[] };
	mission: { id: string; title: string } | undefined;
	departments: DepartmentInfo[];
	ratingScale: RatingScaleId;
	staleAfterDays: number;
	access: 'read' | 'write';
	readOnlyReason: string | undefined;
	/**
	 * Whether the caller may add to comment threads: the board's writers (through the live document)
	 * and a mission's advisers on a board they read (through the API's comment route: their
	 * document connection is read-only).
	 */
	canComment: boolean;
	actor: { id: string; name: string; departmentId?: string | undefined };
	/** The workspace's people, for owner pickers (empty for a wall display). */
	directory: DirectoryEntry[];
	/** The mission's milestones by date, which a dependency or blocker can be linked to. */
	milestones: BoardMilestone[];
};

export type BoardMilestone = { id: string; title: string; date: IsoDate; status: MilestoneRecord['status'] };

export type BoardInfoContext = BoardInfo & {
	department(id: string): DepartmentInfo | undefined;
	/** Departments to offer in pickers: the board's own first, then the rest (archived left out). */
	departmentChoices: DepartmentInfo[];
};

const key = Symbol('board-info');

export function setBoardInfo(info: BoardInfo): BoardInfoContext {
	const byId = new Map(info.departments.map((department) => [department.id, department]));
	const joined = new Set(info.board.departmentIds);
	const active = info.departments.filter((department) => !department.archived);
	const context: BoardInfoContext = {
		...info,
		department: (id) => byId.get(id),
		departmentChoices: [...active.filter((d) => joined.has(d.id)), ...active.filter((d) => !joined.has(d.id))]
	};
	return setContext(key, context);
}

export function getBoardInfo(): BoardInfoContext {
	const info = getContext<BoardInfoContext | undefined>(key);
	if (!info) throw new Error('getBoardInfo() needs setBoardInfo() in the board page');
	return info;
}
