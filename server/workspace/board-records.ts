/**
 * Board records (dependencies, blockers, actions, decisions) read and written for the JSON API.
 * Writes go through the document hub as server transactions attributed to the caller, so every
 * browser on the board sees an API change live and the store records who made it.
 */
import type * as Y from 'yjs';
import { createRecord, deleteRecord, findByRef, listRecords, readRecord, updateRecord } from '#lib/board/board-doc.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import type { Person } from '#lib/protocol/record-fields.ts';
import type { CreateInput, PatchInput, ReadResult, RecordIssue, RecordOf, RegisterName } from '#lib/protocol/records.ts';
import { parseRef, registerNouns } from '#lib/protocol/registers.ts';
import { recordPath } from '#lib/protocol/workspace.ts';
import type { Principal } from '../auth/principal.ts';
import type { DocHub } from '../hub/doc-hub.ts';
import { NotFoundError, WorkspaceError, workspaceErrorCodes } from './errors.ts';

export type RecordView<R extends RegisterName = RegisterName> = RecordOf<R> & { path: string };

/** A stored record that fails its schema (written by a buggy script): shown, never hidden. */
export interface InvalidRecordView {
	id: string;
	register: RegisterName;
	issues: RecordIssue[];
}

export class MalformedRecordError extends WorkspaceError {
	static [Symbol.hasInstance](value: unknown): boolean {
		return value instanceof WorkspaceError && value.name === 'MalformedRecordError';
	}
	readonly issues: RecordIssue[];
	constructor(ref: string, issues: RecordIssue[]) {
		super(workspaceErrorCodes.conflict, `${ref} is stored in a form that does not pass validation; fix it in the board first`);
		this.name = 'MalformedRecordError';
		this.issues = issues;
	}
}

export function actorOf(principal: Principal): Person {
	return { name: principal.name, id: principal.id };
}

function view<R extends RegisterName>(boardId: string, record: RecordOf<R>): RecordView<R> {
	return { ...record, path: recordPath(boardId, record.ref) };
}

/** A record by short ref (`DEP-12`, also a former ref) or by id, in the given register. */
function lookup<R extends RegisterName>(doc: Y.Doc, register: R, refOrId: string): ReadResult<R> | undefined {
	const parsed = parseRef(refOrId);
	if (parsed) {
		if (parsed.register !== register) return undefined;
		return findByRef(doc, refOrId) as ReadResult<R> | undefined;
	}
	return readRecord(doc, register, refOrId);
}

function requireValid<R extends RegisterName>(result: ReadResult<R> | undefined, register: R, refOrId: string): RecordOf<R> {
	if (!result) throw new NotFoundError(registerNouns[register], refOrId);
	if (!result.ok) throw new MalformedRecordError(refOrId, result.issues);
	return result.record;
}

/** A register's records as the API shows them, read from any board document (live or past). */
export function listIn<R extends RegisterName>(doc: Y.Doc, boardId: string, register: R, options: { includeArchived?: boolean } = {}): { records: RecordView<R>[]; invalid: InvalidRecordView[] } {
	const records: RecordView<R>[] = [];
	const invalid: InvalidRecordView[] = [];
	for (const result of listRecords(doc, register, options)) {
		if (result.ok) records.push(view(boardId, result.record));
		else invalid.push({ id: result.id, register, issues: result.issues });
	}
	return { records, invalid };
}

/** One record by ref or id, read from any board document (live or past). */
export function getIn<R extends RegisterName>(doc: Y.Doc, boardId: string, register: R, refOrId: string): RecordView<R> {
	return view(boardId, requireValid(lookup(doc, register, refOrId), register, refOrId));
}

export class BoardRecords {
	#hub: DocHub;

	constructor(hub: DocHub) {
		this.#hub = hub;
	}

	list<R extends RegisterName>(boardId: string, register: R, options: { includeArchived?: boolean } = {}): Promise<{ records: RecordView<R>[]; invalid: InvalidRecordView[] }> {
		return this.#hub.withDoc(boardDocName(boardId), (shared) => listIn(shared.doc, boardId, register, options));
	}

	get<R extends RegisterName>(boardId: string, register: R, refOrId: string): Promise<RecordView<R>> {
		return this.#hub.withDoc(boardDocName(boardId), (shared) => getIn(shared.doc, boardId, register, refOrId));
	}

	create<R extends RegisterName>(principal: Principal, boardId: string, register: R, input: CreateInput<R>): Promise<RecordView<R>> {
		return this.#hub.transact(boardDocName(boardId), principal, (doc) => {
			const { id } = createRecord(doc, register, input, actorOf(principal));
			return view(boardId, requireValid(readRecord(doc, register, id), register, id));
		});
	}

	update<R extends RegisterName>(principal: Principal, boardId: string, register: R, refOrId: string, patch: PatchInput<R>): Promise<RecordView<R>> {
		return this.#hub.transact(boardDocName(boardId), principal, (doc) => {
			const current = requireValid(lookup(doc, register, refOrId), register, refOrId);
			updateRecord(doc, register, current.id, patch, actorOf(principal));
			return view(boardId, requireValid(readRecord(doc, register, current.id), register, current.id));
		});
	}

	/** Soft delete: the record is archived and keeps its ref (the board can restore it). */
	remove<R extends RegisterName>(principal: Principal, boardId: string, register: R, refOrId: string): Promise<RecordView<R>> {
		return this.#hub.transact(boardDocName(boardId), principal, (doc) => {
			const result = lookup(doc, register, refOrId);
			if (!result) throw new NotFoundError(registerNouns[register], refOrId);
			deleteRecord(doc, register, result.id, actorOf(principal));
			return view(boardId, requireValid(readRecord(doc, register, result.id), register, result.id));
		});
	}
}
