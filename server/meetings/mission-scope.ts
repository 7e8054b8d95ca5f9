/**
 * What a principal may see and do in a mission, for the wall and meeting mode: the mission, the
 * boards of it they can see (archived boards are left out), the departments and the workspace's
 * rating scale. Reads the workspace records from the record store, validated with the same
 * schemas the workspace service writes them with.
 */
import type { RatingScaleId } from '#lib/protocol/ratings.ts';
import {
	board as boardSchema,
	collections,
	department as departmentSchema,
	mission as missionSchema,
	workspaceSettings,
	type Board,
	type Department,
	type Mission,
	type WorkspaceSettings
} from '#lib/protocol/workspace.ts';
import type { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import { boardAccess, isLead } from '../auth/policy.ts';
import type { RecordStore } from '../store/store.ts';

export const settingsRecordId = 'workspace';

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

async function listValid<S extends z.ZodType>(store: RecordStore, collection: string, schema: S): Promise<z.output<S>[]> {
	const values: z.output<S>[] = [];
	for (const { value } of await store.listRecords(collection)) {
		const parsed = schema.safeParse(value);
		if (parsed.success) values.push(parsed.data);
	}
	return values;
}

export async function readMission(store: RecordStore, missionId: string): Promise<Mission | undefined> {
	const parsed = missionSchema.safeParse(await store.getRecord(collections.missions, missionId));
	return parsed.success ? parsed.data : undefined;
}

export async function listMissions(store: RecordStore): Promise<Mission[]> {
	const missions = await listValid(store, collections.missions, missionSchema);
	return missions.filter((mission) => !mission.archived).sort((a, b) => a.title.localeCompare(b.title));
}

export async function listBoards(store: RecordStore): Promise<Board[]> {
	return listValid(store, collections.boards, boardSchema);
}

export async function listDepartments(store: RecordStore): Promise<Department[]> {
	const departments = await listValid(store, collections.departments, departmentSchema);
	return departments.sort((a, b) => a.code.localeCompare(b.code));
}

export async function readSettings(store: RecordStore): Promise<WorkspaceSettings> {
	const parsed = workspaceSettings.safeParse((await store.getRecord(collections.settings, settingsRecordId)) ?? {});
	return parsed.success ? parsed.data : workspaceSettings.parse({});
}

/** The workspace's confidence scale in the board model's terms. */
export function ratingScaleOf(settings: WorkspaceSettings): RatingScaleId {
	return settings.confidenceScale;
}

/**
 * The mission as `principal` may see it; undefined when the mission does not exist or nothing
 * of it is visible to them (the two are not told apart).
 */
export async function missionScope(store: RecordStore, principal: Principal, missionId: string): Promise<MissionScope | undefined> {
	const mission = await readMission(store, missionId);
	if (!mission) return undefined;
	const boards = (await listBoards(store))
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
export async function defaultMissionId(store: RecordStore, principal: Principal): Promise<string | undefined> {
	const scoped = principal.scope?.missionIds?.[0];
	if (scoped) return scoped;
	const boards = await listBoards(store);
	const scopedBoard = principal.scope?.boardIds?.[0];
	if (scopedBoard) return boards.find((board) => board.id === scopedBoard)?.missionId;
	for (const mission of await listMissions(store)) {
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
export async function missionsBoardScope(store: RecordStore, principal: Principal, missionIds?: readonly string[]): Promise<MissionsBoardScope | undefined> {
	const all = await listMissions(store);
	const wanted = missionIds ? missionIds.flatMap((id) => all.find((mission) => mission.id === id) ?? []) : all;
	const scopes = (await Promise.all(wanted.map((mission) => missionScope(store, principal, mission.id)))).filter((scope) => scope !== undefined);
	if (scopes.length === 0) return undefined;
	return {
		missions: scopes.map((scope) => scope.mission),
		boards: scopes.flatMap((scope) => scope.boards),
		writable: new Set(scopes.flatMap((scope) => [...scope.writable])),
		canChair: principal.kind !== 'wall' && isLead(principal)
	};
}
