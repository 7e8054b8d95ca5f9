/**
 * Comment threads and links between records.
 * Comments are append-only (a Y.Array of plain objects). Links live in a
 * Y.Map<targetId, register> per link field, so concurrent add/remove of different
 * links commute and the same link added twice is stored once.
 */
import type * as Y from 'yjs';
import { commentInput, type CommentInput, type Person } from '../protocol/record-fields.ts';
import type { RegisterName } from '../protocol/registers.ts';
import { invalidInput } from './errors.ts';
import { linkFields, newRecordId, type LinkField } from './layout.ts';
import {
	appendEntry,
	linkMap,
	parseActor,
	parseInput,
	requireRecord,
	resolveTargets,
	touch,
	type WriteOptions
} from './write.ts';

/** Appends a comment; returns its id. */
export function addComment(
	doc: Y.Doc,
	register: RegisterName,
	id: string,
	input: CommentInput,
	actor: Person,
	options: WriteOptions = {}
): string {
	const author = parseActor(actor);
	const { text } = parseInput(commentInput, input, 'comment');
	const map = requireRecord(doc, register, id);
	const now = options.now ?? Date.now();
	const commentId = newRecordId();
	doc.transact(() => {
		appendEntry(map, 'comments', { id: commentId, author, at: now, text });
		touch(map, author, now);
	}, options.origin);
	return commentId;
}

export type LinkOptions<R extends RegisterName> = WriteOptions & {
	/** Which link field: `links` (default), a blocker's `blocks`, a decision's `createdActions`. */
	field?: LinkField<R>;
};

function checkField(register: RegisterName, field: string): void {
	if (!(linkFields[register] as readonly string[]).includes(field)) {
		throw invalidInput('link', 'field', `${register} have no ${field} links`);
	}
}

/** Links a record to another record on the board. Returns false if the link was already there. */
export function addLink<R extends RegisterName>(
	doc: Y.Doc,
	register: R,
	id: string,
	targetId: string,
	actor: Person,
	options: LinkOptions<R> = {}
): boolean {
	const by = parseActor(actor);
	const field: string = options.field ?? 'links';
	checkField(register, field);
	if (targetId === id) throw invalidInput('link', 'targetId', 'a record cannot link to itself');
	const map = requireRecord(doc, register, id);
	const targetRegister = resolveTargets(doc, [targetId]).get(targetId)!;
	if (field === 'createdActions' && targetRegister !== 'actions') {
		throw invalidInput('link', 'targetId', `${targetId} is not an action`);
	}
	let added = false;
	doc.transact(() => {
		const links = linkMap(map, field);
		if (links.get(targetId) === targetRegister) return;
		links.set(targetId, targetRegister);
		touch(map, by, options.now ?? Date.now());
		added = true;
	}, options.origin);
	return added;
}

/** Removes a link. Returns false if there was no such link. */
export function removeLink<R extends RegisterName>(
	doc: Y.Doc,
	register: R,
	id: string,
	targetId: string,
	actor: Person,
	options: LinkOptions<R> = {}
): boolean {
	const by = parseActor(actor);
	const field: string = options.field ?? 'links';
	checkField(register, field);
	const map = requireRecord(doc, register, id);
	let removed = false;
	doc.transact(() => {
		const links = linkMap(map, field);
		if (!links.has(targetId)) return;
		links.delete(targetId);
		touch(map, by, options.now ?? Date.now());
		removed = true;
	}, options.origin);
	return removed;
}
