/**
 * What the access layer needs to know about the workspace: boards (who joined them) and
 * departments. Read from the record store's collections, the same ones the workspace service
 * writes; a department joining a board through a join link goes through the workspace service
 * when there is one (so home pages update live), otherwise it is a compare-and-set here.
 */
import { board as boardSchema, collections, department as departmentSchema, mission as missionSchema, type Board, type Department, type Mission } from '#lib/protocol/workspace.ts';
import type { Principal } from '../auth/principal.ts';
import type { Logger } from '../log.ts';
import type { RecordStore } from '../store/store.ts';

export interface WorkspaceReader {
	getBoard(id: string): Promise<Board | undefined>;
	listBoards(): Promise<Board[]>;
	getMission(id: string): Promise<Mission | undefined>;
	getDepartment(id: string): Promise<Department | undefined>;
	listDepartments(): Promise<Department[]>;
	/** Adds a department to a board; false when it had already joined. */
	joinBoard(boardId: string, departmentId: string, actor: Principal): Promise<boolean>;
}

/** The subset of the workspace service (`backend.workspace`) this layer uses when it is there. */
export interface WorkspaceService {
	addDepartment(boardId: string, departmentId: string, actor: Principal): Promise<unknown>;
}

const readerDefaults = { maxCasAttempts: 20 } as const;

export class StoreWorkspaceReader implements WorkspaceReader {
	#store: RecordStore;
	#log: Logger;
	/** Set once the workspace service exists, so joins are announced like every other board change. */
	service: WorkspaceService | undefined;

	constructor(store: RecordStore, log: Logger) {
		this.#store = store;
		this.#log = log;
	}

	async getBoard(id: string): Promise<Board | undefined> {
		return this.#parse(boardSchema, collections.boards, id, await this.#store.getRecord(collections.boards, id));
	}

	async listBoards(): Promise<Board[]> {
		return this.#list(boardSchema, collections.boards);
	}

	async getMission(id: string): Promise<Mission | undefined> {
		return this.#parse(missionSchema, collections.missions, id, await this.#store.getRecord(collections.missions, id));
	}

	async getDepartment(id: string): Promise<Department | undefined> {
		return this.#parse(departmentSchema, collections.departments, id, await this.#store.getRecord(collections.departments, id));
	}

	async listDepartments(): Promise<Department[]> {
		return this.#list(departmentSchema, collections.departments);
	}

	async joinBoard(boardId: string, departmentId: string, actor: Principal): Promise<boolean> {
		const current = await this.getBoard(boardId);
		if (!current) return false;
		if (current.departmentIds.includes(departmentId)) return false;
		if (this.service) {
			await this.service.addDepartment(boardId, departmentId, actor);
			return true;
		}
		const by = actor.id;
		for (let attempt = 0; attempt < readerDefaults.maxCasAttempts; attempt++) {
			const raw = await this.#store.getRecord(collections.boards, boardId);
			const parsed = boardSchema.safeParse(raw);
			if (!parsed.success) return false;
			if (parsed.data.departmentIds.includes(departmentId)) return false;
			const next = { ...parsed.data, departmentIds: [...parsed.data.departmentIds, departmentId], updatedAt: Date.now(), updatedBy: by };
			if (await this.#store.compareAndSetRecord(collections.boards, boardId, raw, next)) return true;
		}
		return false;
	}

	async #list<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }, collection: string): Promise<T[]> {
		const values: T[] = [];
		for (const { id, value } of await this.#store.listRecords(collection)) {
			const parsed = this.#parse(schema, collection, id, value);
			if (parsed) values.push(parsed);
		}
		return values;
	}

	#parse<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }, collection: string, id: string, raw: unknown): T | undefined {
		if (raw === undefined) return undefined;
		const parsed = schema.safeParse(raw);
		if (parsed.success) return parsed.data;
		this.#log.warn({ collection, id }, 'access: skipping a malformed record');
		return undefined;
	}
}
