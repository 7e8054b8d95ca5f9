/**
 * The workspace service (`backend.workspace`): missions, boards, departments, settings, board
 * summaries, board records through the document hub, and the sample mission. Every method that
 * takes a principal checks access with `server/auth/policy.ts`: boards the caller cannot see are
 * "not found"; changing missions, boards and departments is for leads.
 */
import type { CreateInput, PatchInput, RegisterName } from '#lib/protocol/records.ts';
import type { CommentInput } from '#lib/protocol/record-fields.ts';
import { roomNames, type WorkspaceChange } from '#lib/protocol/room-events.ts';
import {
	boardPath,
	createBoardInput,
	createDepartmentInput,
	createMissionInput,
	missionPath,
	type Board,
	type BoardCounts,
	type BoardView,
	type CreateBoardInput,
	type CreateDepartmentInput,
	type CreateMissionInput,
	type Department,
	type Mission,
	type MissionView,
	type PatchBoardInput,
	type PatchDepartmentInput,
	type PatchMissionInput,
	type PatchWorkspaceSettingsInput,
	type SampleState,
	type WorkspaceSettings
} from '#lib/protocol/workspace.ts';
import { boardAccess, canComment, isLead, type AccessLevel } from '../auth/policy.ts';
import type { Principal } from '../auth/principal.ts';
import type { DocHub } from '../hub/doc-hub.ts';
import type { Logger } from '../log.ts';
import type { RoomServer } from '../rooms/room-server.ts';
import type { Store } from '../store/store.ts';
import { deleteBoardDocument } from './board-documents.ts';
import { BoardRecords, type InvalidRecordView, type RecordView } from './board-records.ts';
import { BoardSummaries } from './board-summaries.ts';
import type { Catalogue, WorkspaceListener } from './catalogue.ts';
import { ConflictError, ForbiddenError, InvalidRequestError, NotFoundError } from './errors.ts';
import { SampleMission } from './sample-mission.ts';

export interface WorkspaceOptions {
	store: Store;
	/** The records (built first: the access layer reads them too). */
	catalogue: Catalogue;
	hub: DocHub;
	log: Logger;
	/** socket.io, where every signed-in socket hears what kind of thing changed. */
	io: RoomServer;
	now?: () => number;
}

export type { WorkspaceListener } from './catalogue.ts';

export interface ListOptions {
	includeArchived?: boolean;
	/** Compute each board's counts (reads every board document). */
	counts?: boolean;
}

const byCreation = <T extends { createdAt: number }>(a: T, b: T) => a.createdAt - b.createdAt;
const byName = (a: Department, b: Department) => a.name.localeCompare(b.name);

export class Workspace {
	readonly catalogue: Catalogue;
	readonly summaries: BoardSummaries;
	readonly records: BoardRecords;
	readonly sample: SampleMission;
	#hub: DocHub;
	#store: Store;
	#log: Logger;

	constructor(options: WorkspaceOptions) {
		this.#hub = options.hub;
		this.#store = options.store;
		this.#log = options.log;
		this.catalogue = options.catalogue;
		// Every signed-in socket hears what kind of thing changed and reloads what it may see; the id
		// stays on the server (listeners get it), so nobody learns ids of boards they cannot see.
		this.catalogue.onChange((change) => options.io.to(roomNames.workspace).emit('workspace:changed', { kind: change.kind }));
		this.summaries = new BoardSummaries(options.hub, options.now);
		this.records = new BoardRecords(options.hub);
		this.sample = new SampleMission({ catalogue: this.catalogue, hub: options.hub, store: options.store, log: options.log, now: options.now });
	}

	/** Called after every change (after it is stored); returns the unsubscribe function. */
	onChange(listener: WorkspaceListener): () => void {
		return this.catalogue.onChange(listener);
	}

	/** Tells every page showing the workspace that something changed (mission tracking uses it). */
	announce(change: WorkspaceChange): void {
		this.catalogue.announce(change);
	}

	#requireLead(principal: Principal, what: string): void {
		if (!isLead(principal)) throw new ForbiddenError(`only Missions Unit leads can ${what}`);
	}

	// ── Settings ────────────────────────────────────────────────────────────

	settings(): Promise<WorkspaceSettings> {
		return this.catalogue.settings();
	}

	async updateSettings(principal: Principal, patch: PatchWorkspaceSettingsInput): Promise<WorkspaceSettings> {
		this.#requireLead(principal, 'change the workspace settings');
		return this.catalogue.updateSettings(principal.id, patch);
	}

	// ── Departments ─────────────────────────────────────────────────────────

	/** Every signed-in person may read the registry (names and badges on boards). */
	async listDepartments(options: { includeArchived?: boolean } = {}): Promise<Department[]> {
		const all = await this.catalogue.departments.list();
		return all.filter((department) => options.includeArchived || !department.archived).sort(byName);
	}

	async getDepartment(id: string): Promise<Department> {
		const department = await this.catalogue.departments.get(id);
		if (!department) throw new NotFoundError('department', id);
		return department;
	}

	async createDepartment(principal: Principal, input: CreateDepartmentInput): Promise<Department> {
		this.#requireLead(principal, 'add departments');
		return this.catalogue.createDepartment(principal.id, createDepartmentInput.parse(input));
	}

	async updateDepartment(principal: Principal, id: string, patch: PatchDepartmentInput): Promise<Department> {
		this.#requireLead(principal, 'change departments');
		return this.catalogue.updateDepartment(principal.id, id, patch);
	}

	// ── Boards ──────────────────────────────────────────────────────────────

	/** A board without access checks (for the access layer), or undefined. */
	findBoard(id: string): Promise<Board | undefined> {
		return this.catalogue.boards.get(id);
	}

	/** The board and what the caller may do with it; NotFoundError when they cannot see it. */
	async resolveBoard(principal: Principal, id: string): Promise<{ board: Board; access: Exclude<AccessLevel, 'none'> }> {
		const board = await this.catalogue.boards.get(id);
		const access = board ? boardAccess(principal, board) : 'none';
		if (!board || access === 'none') throw new NotFoundError('board', id);
		return { board, access };
	}

	async #writableBoard(principal: Principal, id: string): Promise<Board> {
		const { board, access } = await this.resolveBoard(principal, id);
		if (access !== 'write') throw new ForbiddenError(board.archived ? 'this board is archived: it is read-only' : 'you can read this board but not change it');
		return board;
	}

	async #views(boards: Board[], counts: boolean): Promise<BoardView[]> {
		const summaries: Map<string, BoardCounts> = counts ? await this.summaries.summaries(boards.map((board) => board.id)) : new Map();
		return boards.map((board) => ({ ...board, path: boardPath(board.id), ...(counts ? { counts: summaries.get(board.id) } : {}) }));
	}

	/** Boards the caller can see (`boardAccess` is not 'none'), oldest first. */
	async listBoards(principal: Principal, options: ListOptions & { missionId?: string } = {}): Promise<BoardView[]> {
		const boards = (await this.catalogue.boards.list())
			.filter((board) => (options.missionId === undefined || board.missionId === options.missionId) && (options.includeArchived || !board.archived))
			.filter((board) => boardAccess(principal, board) !== 'none')
			.sort(byCreation);
		return this.#views(boards, options.counts ?? false);
	}

	async getBoard(principal: Principal, id: string, options: { counts?: boolean } = {}): Promise<BoardView & { access: Exclude<AccessLevel, 'none'> }> {
		const { board, access } = await this.resolveBoard(principal, id);
		const [view] = await this.#views([board], options.counts ?? false);
		return { ...view!, access };
	}

	async createBoard(principal: Principal, missionId: string, input: CreateBoardInput): Promise<BoardView> {
		this.#requireLead(principal, 'create boards');
		const mission = await this.catalogue.missions.get(missionId);
		if (!mission) throw new NotFoundError('mission', missionId);
		if (mission.archived) throw new ConflictError('this mission is archived: unarchive it before adding boards');
		const data = createBoardInput.parse(input);
		await this.#requireDepartments(data.departmentIds);
		const board = await this.catalogue.createBoard(principal.id, missionId, data);
		return { ...board, path: boardPath(board.id) };
	}

	async updateBoard(principal: Principal, id: string, patch: PatchBoardInput): Promise<BoardView> {
		this.#requireLead(principal, 'change boards');
		if (patch.departmentIds) await this.#requireDepartments(patch.departmentIds);
		const { after } = await this.catalogue.updateBoard(principal.id, id, patch);
		return { ...after, path: boardPath(after.id) };
	}

	/**
	 * A department joins a board: every member of it sees the board from now on. No role check:
	 * leads do this through the API and pages (which check), the access layer through board join links.
	 */
	async addDepartment(boardId: string, departmentId: string, actor: Principal): Promise<Board> {
		await this.#requireDepartments([departmentId]);
		const { after } = await this.catalogue.updateBoard(actor.id, boardId, (current) =>
			current.departmentIds.includes(departmentId) ? undefined : { departmentIds: [...current.departmentIds, departmentId] }
		);
		return after;
	}

	/**
	 * A department leaves a board. Its members' open connections to the board are closed (4403) by
	 * the access layer, which hears the change (`LiveAccess.enforceBoard`).
	 */
	async removeDepartment(boardId: string, departmentId: string, actor: Principal): Promise<Board> {
		const { after } = await this.catalogue.updateBoard(actor.id, boardId, (current) =>
			current.departmentIds.includes(departmentId) ? { departmentIds: current.departmentIds.filter((id) => id !== departmentId) } : undefined
		);
		return after;
	}

	/** `addDepartment` for leads (the API and pages). */
	async addBoardDepartment(principal: Principal, boardId: string, departmentId: string): Promise<BoardView> {
		await this.resolveBoard(principal, boardId);
		this.#requireLead(principal, 'add departments to boards');
		const board = await this.addDepartment(boardId, departmentId, principal);
		return { ...board, path: boardPath(board.id) };
	}

	/** `removeDepartment` for leads (the API and pages). */
	async removeBoardDepartment(principal: Principal, boardId: string, departmentId: string): Promise<BoardView> {
		await this.resolveBoard(principal, boardId);
		this.#requireLead(principal, 'remove departments from boards');
		const board = await this.removeDepartment(boardId, departmentId, principal);
		return { ...board, path: boardPath(board.id) };
	}

	/** Hard delete of an archived board and its document; `confirm` must be true. */
	async deleteBoard(principal: Principal, id: string, options: { confirm: boolean }): Promise<void> {
		this.#requireLead(principal, 'delete boards');
		const board = await this.catalogue.boards.get(id);
		if (!board) throw new NotFoundError('board', id);
		if (!options.confirm) throw new InvalidRequestError('deleting a board is permanent: confirm it explicitly');
		if (!board.archived) throw new ConflictError('only an archived board can be deleted: archive it first');
		await deleteBoardDocument(this.#hub, this.#store, id);
		await this.catalogue.deleteBoard(id);
	}

	async #requireDepartments(ids: readonly string[]): Promise<void> {
		if (ids.length === 0) return;
		const known = new Set((await this.catalogue.departments.list()).map((department) => department.id));
		const unknown = ids.filter((id) => !known.has(id));
		if (unknown.length > 0) throw new InvalidRequestError(`unknown department${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
	}

	// ── Missions ────────────────────────────────────────────────────────────

	findMission(id: string): Promise<Mission | undefined> {
		return this.catalogue.missions.get(id);
	}

	/** Missions with their visible boards: leads see every mission, others those with a board they can see. */
	async listMissions(principal: Principal, options: ListOptions = {}): Promise<MissionView[]> {
		const [missions, boards] = await Promise.all([this.catalogue.missions.list(), this.listBoards(principal, { includeArchived: options.includeArchived, counts: options.counts })]);
		const lead = isLead(principal);
		return missions
			.filter((mission) => options.includeArchived || !mission.archived)
			.map((mission) => ({ ...mission, path: missionPath(mission.id), boards: boards.filter((board) => board.missionId === mission.id) }))
			.filter((mission) => lead || mission.boards.length > 0)
			.sort(byCreation);
	}

	async getMission(principal: Principal, id: string, options: ListOptions = {}): Promise<MissionView> {
		const mission = await this.catalogue.missions.get(id);
		if (!mission) throw new NotFoundError('mission', id);
		const boards = await this.listBoards(principal, { ...options, missionId: id });
		if (!isLead(principal) && boards.length === 0) throw new NotFoundError('mission', id);
		return { ...mission, path: missionPath(id), boards };
	}

	async createMission(principal: Principal, input: CreateMissionInput): Promise<MissionView> {
		this.#requireLead(principal, 'create missions');
		const mission = await this.catalogue.createMission(principal.id, createMissionInput.parse(input));
		return { ...mission, path: missionPath(mission.id), boards: [] };
	}

	async updateMission(principal: Principal, id: string, patch: PatchMissionInput): Promise<MissionView> {
		this.#requireLead(principal, 'change missions');
		await this.catalogue.updateMission(principal.id, id, patch);
		return this.getMission(principal, id, { includeArchived: true });
	}

	/** Hard delete of an archived mission with its boards and their documents; `confirm` must be true. */
	async deleteMission(principal: Principal, id: string, options: { confirm: boolean }): Promise<void> {
		this.#requireLead(principal, 'delete missions');
		const mission = await this.catalogue.missions.get(id);
		if (!mission) throw new NotFoundError('mission', id);
		if (!options.confirm) throw new InvalidRequestError('deleting a mission is permanent: confirm it explicitly');
		if (!mission.archived) throw new ConflictError('only an archived mission can be deleted: archive it first');
		for (const board of await this.catalogue.boardsOf(id)) {
			await deleteBoardDocument(this.#hub, this.#store, board.id);
			await this.catalogue.deleteBoard(board.id);
		}
		await this.catalogue.deleteMission(id);
	}

	// ── Board records (through the board document) ──────────────────────────

	async listRecords<R extends RegisterName>(principal: Principal, boardId: string, register: R, options: { includeArchived?: boolean } = {}): Promise<{ records: RecordView<R>[]; invalid: InvalidRecordView[] }> {
		await this.resolveBoard(principal, boardId);
		return this.records.list(boardId, register, options);
	}

	async getRecord<R extends RegisterName>(principal: Principal, boardId: string, register: R, refOrId: string): Promise<RecordView<R>> {
		await this.resolveBoard(principal, boardId);
		return this.records.get(boardId, register, refOrId);
	}

	async createRecord<R extends RegisterName>(principal: Principal, boardId: string, register: R, input: CreateInput<R>): Promise<RecordView<R>> {
		await this.#writableBoard(principal, boardId);
		return this.records.create(principal, boardId, register, input);
	}

	async updateRecord<R extends RegisterName>(principal: Principal, boardId: string, register: R, refOrId: string, patch: PatchInput<R>): Promise<RecordView<R>> {
		await this.#writableBoard(principal, boardId);
		return this.records.update(principal, boardId, register, refOrId, patch);
	}

	async deleteRecord<R extends RegisterName>(principal: Principal, boardId: string, register: R, refOrId: string): Promise<RecordView<R>> {
		await this.#writableBoard(principal, boardId);
		return this.records.remove(principal, boardId, register, refOrId);
	}

	/**
	 * The one-field-per-idea migration on every board (leads): a dependency's owner becomes its
	 * provider's owner, a title the first line of its text (src/lib/board/field-merge.ts). Safe to
	 * run again; each board's change is attributed to the caller.
	 */
	async mergeDuplicateFields(principal: Principal): Promise<{ boards: number; written: number }> {
		this.#requireLead(principal, 'run the field migration');
		let written = 0;
		const boards = (await this.listBoards(principal)).filter((board) => !board.archived);
		for (const board of boards) written += await this.records.mergeDuplicateFields(principal, board.id);
		return { boards: boards.length, written };
	}

	/** The board, when the caller may write to it (ForbiddenError or NotFoundError otherwise). */
	requireWritableBoard(principal: Principal, boardId: string): Promise<Board> {
		return this.#writableBoard(principal, boardId);
	}

	/** Whether the caller may add to this board's comment threads (`canComment`: writers, and advisers who read it). */
	mayComment(principal: Principal, board: Board): boolean {
		return canComment(principal, board);
	}

	/** Adds to a record's comment thread: writers of the board, and advisers on a board they read (`canComment`). */
	async commentOnRecord<R extends RegisterName>(principal: Principal, boardId: string, register: R, refOrId: string, input: CommentInput): Promise<RecordView<R>> {
		const { board } = await this.resolveBoard(principal, boardId);
		if (!canComment(principal, board)) throw new ForbiddenError(board.archived ? 'this board is archived: it is read-only' : 'you can read this board but not comment on it');
		return this.records.comment(principal, boardId, register, refOrId, input);
	}

	/** Any other write through the board model (comments, links, ratings, escalations, re-plans, corrections, restore), after the write check. */
	async writeRecords<T>(principal: Principal, boardId: string, write: (records: BoardRecords) => Promise<T>): Promise<T> {
		await this.#writableBoard(principal, boardId);
		return write(this.records);
	}

	// ── The sample mission ──────────────────────────────────────────────────

	sampleState(): Promise<SampleState | undefined> {
		return this.sample.state();
	}

	async loadSample(principal: Principal): Promise<SampleState> {
		this.#requireLead(principal, 'load the sample mission');
		return this.sample.load(principal);
	}

	/** Removes the sample mission, its boards and documents, and unused sample departments. */
	async removeSample(principal: Principal): Promise<boolean> {
		this.#requireLead(principal, 'remove the sample mission');
		return this.sample.remove(principal);
	}
}
