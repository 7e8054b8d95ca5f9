/**
 * Changes that leave a trail: confidence ratings, escalations, re-plans and decision
 * corrections. Each appends to an append-only history in the same transaction as the
 * change it records, so concurrent entries are all kept (a counter would lose one).
 */
import type * as Y from 'yjs';
import { isoDate, type Person } from '../protocol/record-fields.ts';
import {
	correctDecisionInput,
	escalationInput,
	ratingInput,
	replanInput,
	type CorrectDecisionInput,
	type EscalationInput,
	type RatingInput,
	type ReplanInput
} from '../protocol/records.ts';
import { InvalidRecordError } from './errors.ts';
import { registerOf } from './layout.ts';
import { insertPrepared, prepareRecord, type NewRecord } from './insert.ts';
import { readRecord } from './read.ts';
import { reconcileRefs, refsOrigin } from './refs.ts';
import {
	appendEntry,
	parseActor,
	parseInput,
	replaceText,
	requireRecord,
	setIfChanged,
	titleFromText,
	touch,
	type WriteOptions
} from './write.ts';

/** Sets a dependency's confidence rating and narrative, and appends both to its rating history. */
export function setRating(
	doc: Y.Doc,
	id: string,
	input: RatingInput,
	actor: Person,
	options: WriteOptions = {}
): void {
	const by = parseActor(actor);
	const { rating, narrative } = parseInput(ratingInput, input, 'rating');
	const map = requireRecord(doc, 'dependencies', id);
	const now = options.now ?? Date.now();
	doc.transact(() => {
		setIfChanged(map, 'rating', rating);
		replaceText(map, 'narrative', narrative);
		appendEntry(map, 'ratingHistory', { rating, narrative, by, at: now });
		touch(map, by, now);
	}, options.origin);
}

/** Records a step up the escalation ladder and marks the blocker escalated. */
export function escalateBlocker(
	doc: Y.Doc,
	id: string,
	input: EscalationInput,
	actor: Person,
	options: WriteOptions = {}
): void {
	const by = parseActor(actor);
	const step = parseInput(escalationInput, input, 'escalation');
	const map = requireRecord(doc, 'blockers', id);
	const now = options.now ?? Date.now();
	doc.transact(() => {
		appendEntry(map, 'escalations', { ...step, by, at: now });
		setIfChanged(map, 'status', 'escalated');
		touch(map, by, now);
	}, options.origin);
}

/**
 * Moves an action's due date. Every re-plan is a slip: it is appended to `replans`
 * (the slip count is their number) and `originalDue` never changes. Returns false,
 * writing nothing, when the date is unchanged.
 */
export function replanAction(
	doc: Y.Doc,
	id: string,
	input: ReplanInput,
	actor: Person,
	options: WriteOptions = {}
): boolean {
	const by = parseActor(actor);
	const { due, reason } = parseInput(replanInput, input, 're-plan');
	const map = requireRecord(doc, 'actions', id);
	const from = isoDate.safeParse(map.get('due'));
	if (!from.success) throw new InvalidRecordError(id, [{ path: 'due', message: 'stored due date is not yyyy-mm-dd' }]);
	if (from.data === due) return false;
	const now = options.now ?? Date.now();
	doc.transact(() => {
		map.set('due', due);
		appendEntry(map, 'replans', { from: from.data, to: due, reason, by, at: now });
		touch(map, by, now);
	}, options.origin);
	return true;
}

/**
 * Corrects a decision by logging a new one that `supersedes` it; the original's text is
 * never rewritten (it is only marked `superseded`). Fields not given are copied from
 * the original, links and created actions included. Returns the new entry.
 */
export function correctDecision(
	doc: Y.Doc,
	id: string,
	input: CorrectDecisionInput,
	actor: Person,
	options: WriteOptions = {}
): NewRecord {
	const by = parseActor(actor);
	const correction = parseInput(correctDecisionInput, input, 'decision correction');
	const original = readRecord(doc, 'decisions', id);
	const map = requireRecord(doc, 'decisions', id);
	if (!original?.ok) throw new InvalidRecordError(id, original?.issues ?? []);
	const old = original.record;
	const now = options.now ?? Date.now();
	const prepared = prepareRecord(
		doc,
		'decisions',
		{
			text: correction.text,
			title: correction.title ?? titleFromText(correction.text),
			decidedOn: correction.decidedOn ?? old.decidedOn,
			forum: correction.forum ?? old.forum,
			decisionMakers: correction.decisionMakers ?? old.decisionMakers,
			rationale: correction.rationale ?? old.rationale,
			owner: old.owner,
			description: old.description,
			departments: old.departments,
			// Targets that vanished (a foreign program deleted them) are not carried over.
			links: old.links.map((l) => l.id).filter((target) => target !== id && registerOf(doc, target)),
			createdActions: old.createdActions.map((l) => l.id).filter((target) => registerOf(doc, target))
		},
		by,
		now,
		{ supersedes: id }
	);
	reconcileRefs(doc, refsOrigin, ['decisions']);
	let created: NewRecord | undefined;
	doc.transact(() => {
		created = insertPrepared(doc, 'decisions', [prepared])[0];
		setIfChanged(map, 'status', 'superseded');
		touch(map, by, now);
	}, options.origin);
	return created!;
}
