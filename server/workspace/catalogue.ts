/**
 * The stored workspace registry: missions, boards, departments and settings in the record store,
 * and the one reader of them (the access layer and meeting mode read through it). No access checks
 * here (the `Workspace` facade does them); every write is attributed and announced to the
 * listeners (the workspace turns that into `workspace:changed`).
 */
import {
	board as boardSchema,
	collections,
	department as departmentSchema,
	mission as missionSchema,
	workspaceSettings,
	type Board,
	type CreateBoardInput,
	type CreateDepartmentInput,
	type CreateMissionInput,
	type Department,
	type Mission,
	type PatchBoardInput,
	type PatchDepartmentInput,
	type PatchMissionInput,
	type PatchWorkspaceSettingsInput,
	type WorkspaceSettings
} from '#lib/protocol/workspace.ts';
import type { WorkspaceChange } from '#lib/protocol/room-events.ts';
import type { Logger } from '../log.ts';
import type { RecordStore } from '../store/store.ts';
import type { WorkspaceReader } from '../access/workspace-reader.ts';
import { ConflictError, InvalidRequestError, NotFoundError } from './errors.ts';
import { newEntityId } from './ids.ts';
import { collectionDefaults, RecordCollection } from './record-collection.ts';

export const settingsRecordId = 'workspace';

/** Who made a change: a principal id (`admin`, `person:…`). */
export type Author = string;

type Audit = Pick<Mission, 'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy'>;

/** Applies a patch; undefined when nothing would change (so nothing is written or announced). */
function patched<T extends Audit>(current: T, patch: Partial<T>, by: Author, now: number): T | undefined {
	const changed = Object.entries(patch).some(([key, value]) => value !== undefined && JSON.stringify(current[key as keyof T]) !== JSON.stringify(value));
	if (!changed) return undefined;
	const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
	return { ...current, ...defined, updatedAt: now, updatedBy: by };
}

export interface CatalogueOptions {
	store: RecordStore;
	log: Logger;
	now?: () => number;
}

export type WorkspaceListener = (change: WorkspaceChange) => void;

export class Catalogue implements WorkspaceReader {
	readonly missions: RecordCollection<typeof missionSchema>;
	readonly boards: RecordCollection<typeof boardSchema>;
	readonly departments: RecordCollection<typeof departmentSchema>;
	#store: RecordStore;
	#log: Logger;
	#listeners = new Set<WorkspaceListener>();
	#now: () => number;

	constructor(options: CatalogueOptions) {
		this.#store = options.store;
		this.#log = options.log;
		this.#now = options.now ?? Date.now;
		this.missions = new RecordCollection(options.store, collections.missions, missionSchema, options.log);
		this.boards = new RecordCollection(options.store, collections.boards, boardSchema, options.log);
		this.departments = new RecordCollection(options.store, collections.departments, departmentSchema, options.log);
	}

	/** Called after every change (after it is stored); returns the unsubscribe function. */
	onChange(listener: WorkspaceListener): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/** Tells every listener that something changed. */
	announce(change: WorkspaceChange): void {
		for (const listener of this.#listeners) {
			try {
				listener(change);
			} catch (error) {
				this.#log.error({ err: error, change }, 'a workspace listener failed');
			}
		}
	}

	#notify(change: WorkspaceChange): void {
		this.announce(change);
	}

	// ── Reading (validated by each collection; a malformed record is logged and skipped) ──

	getBoard(id: string): Promise<Board | undefined> {
		return this.boards.get(id);
	}

	listBoards(): Promise<Board[]> {
		return this.boards.list();
	}

	getMission(id: string): Promise<Mission | undefined> {
		return this.missions.get(id);
	}

	listMissions(): Promise<Mission[]> {
		return this.missions.list();
	}

	getDepartment(id: string): Promise<Department | undefined> {
		return this.departments.get(id);
	}

	listDepartments(): Promise<Department[]> {
		return this.departments.list();
	}

	#audit(by: Author): Audit {
		const now = this.#now();
		return { createdAt: now, createdBy: by, updatedAt: now, updatedBy: by };
	}

	// ── Settings ────────────────────────────────────────────────────────────

	async settings(): Promise<WorkspaceSettings> {
		const parsed = workspaceSettings.safeParse((await this.#store.getRecord(collections.settings, settingsRecordId)) ?? {});
		return parsed.success ? parsed.data : workspaceSettings.parse({});
	}

	async updateSettings(by: Author, patch: PatchWorkspaceSettingsInput): Promise<WorkspaceSettings> {
		for (let attempt = 0; attempt < collectionDefaults.maxCasAttempts; attempt++) {
			const raw = await this.#store.getRecord(collections.settings, settingsRecordId);
			const current = workspaceSettings.safeParse(raw ?? {});
			const base = current.success ? current.data : workspaceSettings.parse({});
			const next = { ...base, ...Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) };
			if (JSON.stringify(next) === JSON.stringify(base)) return base;
			if (await this.#store.compareAndSetRecord(collections.settings, settingsRecordId, raw, { ...next, updatedAt: this.#now(), updatedBy: by })) {
				this.#notify({ kind: 'settings' });
				return workspaceSettings.parse(next);
			}
		}
		throw new ConflictError('the settings are being changed by others; try again');
	}

	// ── Departments ─────────────────────────────────────────────────────────

	async createDepartment(by: Author, input: Omit<CreateDepartmentInput, 'id'> & { id?: string | undefined }): Promise<Department> {
		const value = departmentSchema.parse({ ...input, id: input.id ?? newEntityId(), archived: false, ...this.#audit(by) });
		if (!(await this.departments.create(value.id, value))) throw new ConflictError(`a department with id ${JSON.stringify(value.id)} already exists`);
		this.#notify({ kind: 'departments', id: value.id });
		return value;
	}

	async updateDepartment(by: Author, id: string, patch: PatchDepartmentInput): Promise<Department> {
		const result = await this.departments.update(id, (current) => patched(current, patch, by, this.#now()));
		if (!result) throw new NotFoundError('department', id);
		if (result.changed) this.#notify({ kind: 'departments', id });
		return result.value;
	}

	async deleteDepartment(id: string): Promise<boolean> {
		const deleted = await this.departments.delete(id);
		if (deleted) this.#notify({ kind: 'departments', id });
		return deleted;
	}

	// ── Missions ────────────────────────────────────────────────────────────

	async createMission(by: Author, input: CreateMissionInput, extra: { sample?: boolean; id?: string } = {}): Promise<Mission> {
		const value = missionSchema.parse({ ...input, id: extra.id ?? newEntityId(), archived: false, sample: extra.sample ?? false, ...this.#audit(by) });
		if (!(await this.missions.create(value.id, value))) throw new ConflictError('id collision; try again');
		this.#notify({ kind: 'missions', id: value.id });
		return value;
	}

	async updateMission(by: Author, id: string, patch: PatchMissionInput): Promise<Mission> {
		const result = await this.missions.update(id, (current) => patched(current, patch, by, this.#now()));
		if (!result) throw new NotFoundError('mission', id);
		if (result.changed) this.#notify({ kind: 'missions', id });
		return result.value;
	}

	async deleteMission(id: string): Promise<boolean> {
		const deleted = await this.missions.delete(id);
		if (deleted) this.#notify({ kind: 'missions', id });
		return deleted;
	}

	// ── Boards ──────────────────────────────────────────────────────────────

	async createBoard(by: Author, missionId: string, input: CreateBoardInput, extra: { sample?: boolean; id?: string } = {}): Promise<Board> {
		const value = boardSchema.parse({ ...input, id: extra.id ?? newEntityId(), missionId, archived: false, sample: extra.sample ?? false, ...this.#audit(by) });
		if (!(await this.boards.create(value.id, value))) throw new ConflictError('id collision; try again');
		this.#notify({ kind: 'boards', id: value.id });
		return value;
	}

	/** Returns the board before and after, so callers can see whose access changed. */
	async updateBoard(by: Author, id: string, patch: PatchBoardInput | ((current: Board) => PatchBoardInput | undefined)): Promise<{ before: Board; after: Board }> {
		let before: Board | undefined;
		const result = await this.boards.update(id, (current) => {
			before = current;
			const changes = typeof patch === 'function' ? patch(current) : patch;
			return changes ? patched(current, changes, by, this.#now()) : undefined;
		});
		if (!result || !before) throw new NotFoundError('board', id);
		if (result.changed) this.#notify({ kind: 'boards', id });
		return { before, after: result.value };
	}

	/** A department joins a board (a board join link); false when it had already joined or the board is gone. */
	async joinBoard(boardId: string, departmentId: string, by: Author): Promise<boolean> {
		const board = await this.boards.get(boardId);
		if (!board || board.departmentIds.includes(departmentId)) return false;
		if (!(await this.departments.get(departmentId))) throw new InvalidRequestError(`unknown department: ${departmentId}`);
		const { before, after } = await this.updateBoard(by, boardId, (current) => (current.departmentIds.includes(departmentId) ? undefined : { departmentIds: [...current.departmentIds, departmentId] }));
		return !before.departmentIds.includes(departmentId) && after.departmentIds.includes(departmentId);
	}

	async deleteBoard(id: string): Promise<boolean> {
		const deleted = await this.boards.delete(id);
		if (deleted) this.#notify({ kind: 'boards', id });
		return deleted;
	}

	async boardsOf(missionId: string): Promise<Board[]> {
		return (await this.boards.list()).filter((board) => board.missionId === missionId);
	}
}
