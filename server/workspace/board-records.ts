/**
 * Board records (dependencies, blockers, actions, decisions) read and written for the JSON API.
 * Writes go through the document hub as server transactions attributed to the caller, so every
 * browser on the board sees an API change live and the store records who made it.
 */
import type * as Y from 'yjs';
import {
	addComment,
	addLink,
	correctDecision,
	createRecord,
	deleteRecord,
	escalateBlocker,
	findByRef,
	listRecords,
	readRecord,
	removeLink,
	replanAction,
	restoreRecord,
	setRating,
	updateRecord
} from '#lib/board/board-doc.ts';
import { InvalidInputError } from '#lib/board/errors.ts';
import { mergeDuplicateFields } from '#lib/board/field-merge.ts';
import { recordInputIssues } from '#lib/board/input-rules.ts';
import { registerOf } from '#lib/board/layout.ts';
import type { CommentInput } from '#lib/protocol/record-fields.ts';
import type { LinkInput } from '#lib/protocol/record-actions.ts';
import type { CorrectDecisionInput, EscalationInput, ForDecisionRegister, RatingInput, ReplanInput } from '#lib/protocol/records.ts';
import { setForDecision } from '../ledger/board-rules.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import type { Person } from '#lib/protocol/record-fields.ts';
import type { CreateInput, PatchInput, ReadResult, RecordIssue, RecordOf, RegisterName } from '#lib/protocol/records.ts';
import { parseRef, registerNouns } from '#lib/protocol/registers.ts';
import { recordPath } from '#lib/protocol/workspace.ts';
import type { Principal } from '../auth/principal.ts';
import type { DocHub } from '../hub/doc-hub.ts';
import { ConflictError, InvalidRequestError, NotFoundError } from './errors.ts';

export type RecordView<R extends RegisterName = RegisterName> = RecordOf<R> & { path: string };

/** The rules beyond the schema (input-rules.ts: sane dates, two different departments), as a 400 with issues. */
function refuseBrokenRules(register: RegisterName, input: Record<string, unknown>, current?: Record<string, unknown>): void {
	const issues = recordInputIssues(register, input, current);
	if (issues.length > 0) throw new InvalidInputError(`invalid ${registerNouns[register]}: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`, issues);
}

/** A stored record that fails its schema (written by a buggy script): shown, never hidden. */
export interface InvalidRecordView {
	id: string;
	register: RegisterName;
	issues: RecordIssue[];
}

export class MalformedRecordError extends ConflictError {
	constructor(ref: string, issues: RecordIssue[]) {
		super(`${ref} is stored in a form that does not pass validation; fix it in the board first`, { issues });
		this.name = 'MalformedRecordError';
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
		refuseBrokenRules(register, input as Record<string, unknown>);
		return this.#hub.transact(boardDocName(boardId), principal, (doc) => {
			const { id } = createRecord(doc, register, input, actorOf(principal));
			return view(boardId, requireValid(readRecord(doc, register, id), register, id));
		});
	}

	update<R extends RegisterName>(principal: Principal, boardId: string, register: R, refOrId: string, patch: PatchInput<R>): Promise<RecordView<R>> {
		return this.#hub.transact(boardDocName(boardId), principal, (doc) => {
			const current = requireValid(lookup(doc, register, refOrId), register, refOrId);
			refuseBrokenRules(register, patch as Record<string, unknown>, current as Record<string, unknown>);
			updateRecord(doc, register, current.id, patch, actorOf(principal));
			return view(boardId, requireValid(readRecord(doc, register, current.id), register, current.id));
		});
	}

	/** The one-field-per-idea migration on one board (src/lib/board/field-merge.ts); returns the values written. */
	mergeDuplicateFields(principal: Principal, boardId: string): Promise<number> {
		return this.#hub.transact(boardDocName(boardId), principal, (doc) => mergeDuplicateFields(doc));
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

	/** A change through the board model on one record (found by ref or id), answered with the record after it. */
	#change<R extends RegisterName, T = void>(principal: Principal, boardId: string, register: R, refOrId: string, change: (doc: Y.Doc, id: string, actor: Person) => T): Promise<RecordView<R>> {
		return this.#hub.transact(boardDocName(boardId), principal, (doc) => {
			const result = lookup(doc, register, refOrId);
			if (!result) throw new NotFoundError(registerNouns[register], refOrId);
			change(doc, result.id, actorOf(principal));
			return view(boardId, requireValid(readRecord(doc, register, result.id), register, result.id));
		});
	}

	restore<R extends RegisterName>(principal: Principal, boardId: string, register: R, refOrId: string): Promise<RecordView<R>> {
		return this.#change(principal, boardId, register, refOrId, (doc, id, actor) => restoreRecord(doc, register, id, actor));
	}

	archive<R extends RegisterName>(principal: Principal, boardId: string, register: R, refOrId: string): Promise<RecordView<R>> {
		return this.remove(principal, boardId, register, refOrId);
	}

	comment<R extends RegisterName>(principal: Principal, boardId: string, register: R, refOrId: string, input: CommentInput): Promise<RecordView<R>> {
		return this.#change(principal, boardId, register, refOrId, (doc, id, actor) => addComment(doc, register, id, input, actor));
	}

	link<R extends RegisterName>(principal: Principal, boardId: string, register: R, refOrId: string, input: Required<LinkInput>): Promise<RecordView<R>> {
		return this.#change(principal, boardId, register, refOrId, (doc, id, actor) => addLink(doc, register, id, targetId(doc, input.target), actor, { field: input.field as never }));
	}

	unlink<R extends RegisterName>(principal: Principal, boardId: string, register: R, refOrId: string, target: string, field: string): Promise<RecordView<R>> {
		return this.#change(principal, boardId, register, refOrId, (doc, id, actor) => {
			if (!removeLink(doc, register, id, targetId(doc, target), actor, { field: field as never })) throw new NotFoundError('link', target);
		});
	}

	rate(principal: Principal, boardId: string, refOrId: string, input: RatingInput): Promise<RecordView<'dependencies'>> {
		return this.#change(principal, boardId, 'dependencies', refOrId, (doc, id, actor) => setRating(doc, id, input, actor));
	}

	escalate(principal: Principal, boardId: string, refOrId: string, input: EscalationInput): Promise<RecordView<'blockers'>> {
		return this.#change(principal, boardId, 'blockers', refOrId, (doc, id, actor) => escalateBlocker(doc, id, input, actor));
	}

	/**
	 * Puts a dependency or blocker to the Missions Board for a decision (`note`: the question), or
	 * with `null` takes it off. The mark is stamped by the server: the caller and the time.
	 */
	forDecision<R extends ForDecisionRegister>(principal: Principal, boardId: string, register: R, refOrId: string, note: string | null): Promise<RecordView<R>> {
		return this.#change(principal, boardId, register, refOrId, (doc, id, actor) => {
			const at = Date.now();
			setForDecision(doc, register, id, note === null ? undefined : { by: actor, at, note }, actor, at);
		});
	}

	replan(principal: Principal, boardId: string, refOrId: string, input: ReplanInput): Promise<RecordView<'actions'>> {
		return this.#change(principal, boardId, 'actions', refOrId, (doc, id, actor) => {
			if (!replanAction(doc, id, input, actor)) throw new InvalidRequestError(`the action is already due on ${input.due}: a re-plan must move the date`);
		});
	}

	/** Logs a correcting decision that supersedes this one; answers the new decision. */
	correct(principal: Principal, boardId: string, refOrId: string, input: CorrectDecisionInput): Promise<RecordView<'decisions'>> {
		return this.#hub.transact(boardDocName(boardId), principal, (doc) => {
			const current = requireValid(lookup(doc, 'decisions', refOrId), 'decisions', refOrId);
			if (current.status === 'superseded') throw new ConflictError(`${current.ref} is already superseded: correct the decision that supersedes it`);
			const { id } = correctDecision(doc, current.id, input, actorOf(principal));
			return view(boardId, requireValid(readRecord(doc, 'decisions', id), 'decisions', id));
		});
	}
}

/** A link target on the same board, by short ref (any register) or by id. */
function targetId(doc: Y.Doc, target: string): string {
	if (parseRef(target)) {
		const found = findByRef(doc, target);
		if (!found) throw new NotFoundError('record', target);
		return found.id;
	}
	if (!registerOf(doc, target)) throw new NotFoundError('record', target);
	return target;
}
