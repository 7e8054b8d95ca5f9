/**
 * The sample mission: departments, a mission marked `sample: true` and two boards filled by the
 * board model's sample generator, so an empty workspace can be explored at once; and its removal
 * in one step (mission, boards, their documents, and the sample departments nothing else uses).
 *
 * A marker record (`settings/sample`) lists what the sample created. It is written first, with a
 * compare-and-set, so two leads pressing "load the sample" at once get one sample, and a load
 * cut short can still be removed.
 */
import type * as Y from 'yjs';
import { listRecords, updateRecord } from '#lib/board/board-doc.ts';
import { addDays, isoDateAt } from '#lib/board/dates.ts';
import { fillSampleBoard, sampleDepartments } from '#lib/board/sample.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import type { Person } from '#lib/protocol/record-fields.ts';
import { registerNames, type RegisterName } from '#lib/protocol/registers.ts';
import { collections, entityId, sampleState, type SampleState } from '#lib/protocol/workspace.ts';
import type { Principal } from '../auth/principal.ts';
import type { DocHub } from '../hub/doc-hub.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/store.ts';
import { actorOf } from './board-records.ts';
import { deleteBoardDocument } from './board-documents.ts';
import type { Catalogue } from './catalogue.ts';
import { ConflictError } from './errors.ts';
import { newEntityId } from './ids.ts';

export const sampleRecordId = 'sample';

export const sampleMission = {
	title: 'Sample mission: cross-government delivery',
	description:
		'A sample to explore Mission Control: two boards of realistic dependencies, blockers, actions and decisions between real departments and fictional people. Remove it in one step from the home page when you are ready to start your own.',
	boards: [
		{ title: 'Missions Board delivery', description: 'Sample board, up to date: some items late, some escalated, some overdue.', daysBehind: 0 },
		{ title: 'Regional programme board', description: 'Sample board that nobody has touched for six weeks: see how staleness and overdue items show.', daysBehind: 42 }
	]
} as const;

/**
 * The registry id of a sample department. Registry ids are 6–40 characters; a shorter model id
 * (`hmt`) gets a prefix, and the sample boards' records are rewritten to use it.
 */
export function sampleDepartmentId(modelId: string): string {
	return entityId.safeParse(modelId).success ? modelId : `dept-${modelId}`;
}

const departmentFields = {
	dependencies: ['departments', 'providerDepartment', 'receiverDepartment'],
	blockers: ['departments'],
	actions: ['departments'],
	decisions: ['departments'],
	risks: ['departments'],
	assumptions: ['departments']
} as const satisfies Record<RegisterName, readonly string[]>;

/** Rewrites department ids in every record, keeping each record's updatedAt (staleness is part of the sample). */
function remapDepartments(doc: Y.Doc, mapping: ReadonlyMap<string, string>, actor: Person): void {
	const map = (id: string) => mapping.get(id) ?? id;
	for (const register of registerNames) {
		for (const result of listRecords(doc, register, { includeArchived: true })) {
			if (!result.ok) continue;
			const record = result.record as Record<string, unknown>;
			const patch: Record<string, unknown> = {};
			for (const field of departmentFields[register]) {
				const value = record[field];
				if (typeof value === 'string' && map(value) !== value) patch[field] = map(value);
				if (Array.isArray(value) && value.some((id: string) => map(id) !== id)) patch[field] = value.map(map);
			}
			if (Object.keys(patch).length > 0) updateRecord(doc, register, result.id, patch as never, actor, { now: result.record.updatedAt });
		}
	}
}

export interface SampleMissionOptions {
	catalogue: Catalogue;
	hub: DocHub;
	store: Store;
	log: Logger;
	now?: () => number;
}

export class SampleMission {
	#catalogue: Catalogue;
	#hub: DocHub;
	#store: Store;
	#log: Logger;
	#now: () => number;

	constructor(options: SampleMissionOptions) {
		this.#catalogue = options.catalogue;
		this.#hub = options.hub;
		this.#store = options.store;
		this.#log = options.log;
		this.#now = options.now ?? Date.now;
	}

	async state(): Promise<SampleState | undefined> {
		const raw = await this.#store.getRecord(collections.settings, sampleRecordId);
		if (raw === undefined) return undefined;
		const parsed = sampleState.safeParse(raw);
		return parsed.success ? parsed.data : undefined;
	}

	async load(principal: Principal): Promise<SampleState> {
		const existing = new Set((await this.#catalogue.departments.list()).map((department) => department.id));
		const mapping = new Map(sampleDepartments.map((department) => [department.id, sampleDepartmentId(department.id)]));
		const plan: SampleState = {
			missionId: newEntityId(),
			boardIds: sampleMission.boards.map(() => newEntityId()),
			departmentIds: [...mapping.values()].filter((id) => !existing.has(id)),
			loadedAt: this.#now(),
			loadedBy: principal.id
		};
		if (!(await this.#store.compareAndSetRecord(collections.settings, sampleRecordId, undefined, plan))) {
			throw new ConflictError('the sample mission is already loaded; remove it first to load it again');
		}
		const created: string[] = [];
		for (const department of sampleDepartments) {
			const id = mapping.get(department.id)!;
			if (!plan.departmentIds.includes(id)) continue;
			try {
				await this.#catalogue.createDepartment(principal.id, { id, name: department.name, code: department.code, colour: department.colour });
				created.push(id);
			} catch (error) {
				if (!(error instanceof ConflictError)) throw error;
			}
		}
		const state = { ...plan, departmentIds: created };
		await this.#store.putRecord(collections.settings, sampleRecordId, state);
		await this.#catalogue.createMission(principal.id, { title: sampleMission.title, description: sampleMission.description }, { sample: true, id: plan.missionId });
		const today = isoDateAt(this.#now());
		const actor = actorOf(principal);
		for (const [index, spec] of sampleMission.boards.entries()) {
			const boardId = plan.boardIds[index]!;
			await this.#hub.transact(boardDocName(boardId), principal, (doc) => {
				fillSampleBoard(doc, { today: addDays(today, -spec.daysBehind), actor });
				remapDepartments(doc, mapping, actor);
			});
			await this.#catalogue.createBoard(
				principal.id,
				plan.missionId,
				{ title: spec.title, description: spec.description, departmentIds: [...mapping.values()] },
				{ sample: true, id: boardId }
			);
		}
		this.#log.info({ mission: plan.missionId, by: principal.id }, 'sample mission loaded');
		return state;
	}

	/** Removes the sample in one step; false when there is none. */
	async remove(principal: Principal): Promise<boolean> {
		const state = await this.state();
		if (!state) return false;
		const boardIds = new Set(state.boardIds);
		for (const board of await this.#catalogue.boardsOf(state.missionId)) boardIds.add(board.id);
		for (const boardId of boardIds) {
			await deleteBoardDocument(this.#hub, this.#store, boardId);
			await this.#catalogue.deleteBoard(boardId);
		}
		await this.#catalogue.deleteMission(state.missionId);
		const used = await this.#departmentsInUse();
		for (const id of state.departmentIds) {
			if (!used.has(id)) await this.#catalogue.deleteDepartment(id);
		}
		await this.#store.deleteRecord(collections.settings, sampleRecordId);
		this.#log.info({ mission: state.missionId, by: principal.id }, 'sample mission removed');
		return true;
	}

	/** Departments that boards, people or invites still refer to. */
	async #departmentsInUse(): Promise<Set<string>> {
		const used = new Set<string>();
		for (const board of await this.#catalogue.boards.list()) for (const id of board.departmentIds) used.add(id);
		for (const collection of [collections.people, collections.invites]) {
			for (const { value } of await this.#store.listRecords(collection)) {
				const departmentId = (value as { departmentId?: unknown } | null)?.departmentId;
				if (typeof departmentId === 'string') used.add(departmentId);
			}
		}
		return used;
	}
}
