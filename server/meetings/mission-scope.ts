/**
 * What a principal may see and do in a mission, for the wall and meeting mode: the mission, the
 * boards of it they can see (archived boards are left out), the departments and the workspace's
 * rating scale. Read through the workspace's catalogue (`MissionRecords`, a narrow interface it
 * gives): the one reader of workspace records, which validates them and logs a malformed one.
 */
import type { RatingScaleId } from '#lib/protocol/ratings.ts';
import type { Board, Department, Mission, WorkspaceSettings } from '#lib/protocol/workspace.ts';
import type { Principal } from '../auth/principal.ts';
import { boardAccess, isLead } from '../auth/policy.ts';
import type { Catalogue } from '../workspace/catalogue.ts';

/** What meeting mode reads of the workspace. */
export type MissionRecords = Pick<Catalogue, 'getMission' | 'listMissions' | 'listBoards' | 'listDepartments' | 'settings'>;

/** The boards a meeting covers as a principal may see them, and what they may do there. */
export interface BoardScope {
	/** Boards the principal can see, in title order (a Missions Board meeting: mission by mission). */
	boards: Board[];
	/** Board ids the principal may write to. */
	writable: Set<string>;
	/** May start a meeting, take the chair and capture decisions and actions. */
	canChair: boolean;
}

export interface MissionScope extends BoardScope {
	mission: Mission;
}

/** The scope of a Missions Board meeting: the missions it spans, and what of them the principal may see. */
export interface MissionsBoardScope extends BoardScope {
	/** The missions, in the order asked for, that the principal can see. */
	missions: Mission[];
}

export function readMission(records: MissionRecords, missionId: string): Promise<Mission | undefined> {
	return records.getMission(missionId);
}

/** Missions not archived, in title order. */
export async function listMissions(records: MissionRecords): Promise<Mission[]> {
	return (await records.listMissions()).filter((mission) => !mission.archived).sort((a, b) => a.title.localeCompare(b.title));
}

export function listBoards(records: MissionRecords): Promise<Board[]> {
	return records.listBoards();
}

/** Departments in code order. */
export async function listDepartments(records: MissionRecords): Promise<Department[]> {
	return (await records.listDepartments()).sort((a, b) => a.code.localeCompare(b.code));
}

export function readSettings(records: MissionRecords): Promise<WorkspaceSettings> {
	return records.settings();
}

/** The workspace's confidence scale in the board model's terms. */
export function ratingScaleOf(settings: WorkspaceSettings): RatingScaleId {
	return settings.confidenceScale;
}

/**
 * The mission as `principal` may see it; undefined when the mission does not exist or nothing
 * of it is visible to them (the two are not told apart).
 */
export async function missionScope(records: MissionRecords, principal: Principal, missionId: string): Promise<MissionScope | undefined> {
	const mission = await readMission(records, missionId);
	if (!mission) return undefined;
	const boards = (await listBoards(records))
		.filter((board) => board.missionId === missionId && !board.archived && boardAccess(principal, board) !== 'none')
		.sort((a, b) => a.title.localeCompare(b.title));
	const scopedWall = principal.kind === 'wall' && Boolean(principal.scope?.missionIds?.includes(missionId));
	if (boards.length === 0 && !isLead(principal) && !scopedWall) return undefined;
	const writable = new Set(boards.filter((board) => boardAccess(principal, board) === 'write').map((board) => board.id));
	return { mission, boards, writable, canChair: principal.kind !== 'wall' && (isLead(principal) || writable.size > 0) };
}

/**
 * The mission a wall shows when its URL names none: the first mission of its scope, else the
 * mission of its first board, else (for a person) the first mission they can see.
 */
export async function defaultMissionId(records: MissionRecords, principal: Principal): Promise<string | undefined> {
	const scoped = principal.scope?.missionIds?.[0];
	if (scoped) return scoped;
	const boards = await listBoards(records);
	const scopedBoard = principal.scope?.boardIds?.[0];
	if (scopedBoard) return boards.find((board) => board.id === scopedBoard)?.missionId;
	for (const mission of await listMissions(records)) {
		if (isLead(principal) || boards.some((board) => board.missionId === mission.id && !board.archived && boardAccess(principal, board) !== 'none')) return mission.id;
	}
	return undefined;
}

/**
 * What `principal` may see of a Missions Board meeting across `missionIds` (every mission they can
 * see when absent): the missions they can see, their boards mission by mission, and whether they may
 * chair (Missions Unit leads only). Undefined when they can see none of them. A mission named but
 * not visible is left out, never told apart from one that does not exist.
 */
export async function missionsBoardScope(records: MissionRecords, principal: Principal, missionIds?: readonly string[]): Promise<MissionsBoardScope | undefined> {
	const all = await listMissions(records);
	const wanted = missionIds ? missionIds.flatMap((id) => all.find((mission) => mission.id === id) ?? []) : all;
	const scopes = (await Promise.all(wanted.map((mission) => missionScope(records, principal, mission.id)))).filter((scope) => scope !== undefined);
	if (scopes.length === 0) return undefined;
	return {
		missions: scopes.map((scope) => scope.mission),
		boards: scopes.flatMap((scope) => scope.boards),
		writable: new Set(scopes.flatMap((scope) => [...scope.writable])),
		canChair: principal.kind !== 'wall' && isLead(principal)
	};
}
