/**
 * The rules of board documents (`board:<id>`): refuse writes to protected paths, describe accepted
 * changes for the ledger, and stamp who created and last changed each record into the `stamps` root,
 * which only the server writes. Pages, the wall and the API read attribution from there (and from the
 * ledger), never from `createdBy`/`updatedBy` values a client wrote.
 */
import * as Y from 'yjs';
import { boardIdOfDoc } from '#lib/protocol/doc-names.ts';
import { createdField } from '#lib/protocol/ledger.ts';
import { forDecisionKey, stampsRoot } from '#lib/board/protected.ts';
import { registerMap } from '#lib/board/layout.ts';
import type { ForDecisionMark, RegisterName } from '#lib/protocol/records.ts';
import { updatedAtCoalesceMs } from '#lib/board/write.ts';
import type { DocRules, DocRulesFor } from '../hub/doc-rules.ts';
import { describeBoardTransaction, type RecordChanges } from './describe-changes.ts';
import { checkBoardUpdate } from './update-check.ts';

/** A record's stamp, as the server keeps it (persons as `{ name, id }`, times in epoch ms). */
export interface Stamp {
	createdBy: { name: string; id: string };
	createdAt: number;
	updatedBy: { name: string; id: string };
	updatedAt: number;
	/** Put to the Missions Board for a decision: by whom, when, and the question (absent when not). */
	forDecision?: ForDecisionMark;
}

export const boardRules: DocRules = {
	check: checkBoardUpdate,
	describe: describeBoardTransaction,
	stamp(doc, records, at, by) {
		const stamps = doc.getMap<Stamp>(stampsRoot);
		const who = { name: by.name.slice(0, 120), id: by.id.slice(0, 64) };
		let writes: Array<[string, Stamp]> | undefined;
		for (const [recordId, created] of creationByRecord(records)) {
			const current = stamps.get(recordId);
			if (current && !created) {
				// A burst of edits by one person keeps its first time (as the model does for updatedAt).
				if (current.updatedBy.id === who.id && at - current.updatedAt < updatedAtCoalesceMs) continue;
				(writes ??= []).push([recordId, { ...current, updatedBy: who, updatedAt: at }]);
			} else {
				(writes ??= []).push([recordId, { createdBy: current?.createdBy ?? who, createdAt: current?.createdAt ?? at, updatedBy: who, updatedAt: at }]);
			}
		}
		if (!writes) return undefined;
		const stamped = writes;
		return (target) => {
			const into = target.getMap<Stamp>(stampsRoot);
			for (const [recordId, stamp] of stamped) into.set(recordId, stamp);
		};
	}
};

/**
 * Each record the change touched, once, and whether the change created it (so the record's creator
 * is the one stamped). One record is the usual case: no map for it.
 */
function creationByRecord(records: readonly RecordChanges[]): Iterable<[string, boolean]> {
	const creates = (record: RecordChanges) => record.changes.some((change) => change.field === createdField);
	const [only] = records;
	if (records.length === 1 && only) return [[only.recordId, creates(only)]];
	const created = new Map<string, boolean>();
	for (const record of records) created.set(record.recordId, (created.get(record.recordId) ?? false) || creates(record));
	return created;
}

/** Board documents get the board rules; every other document is synced as it is. */
export const rulesFor: DocRulesFor = (docName) => (boardIdOfDoc(docName) === undefined ? undefined : boardRules);

/** Reads a record's stamp from a board document (undefined until the server stamped it). */
export function stampOf(doc: Y.Doc, recordId: string): Stamp | undefined {
	return doc.getMap<Stamp>(stampsRoot).get(recordId);
}

/**
 * Puts a record to the Missions Board for a decision (`mark`), or takes it off (`undefined`). Only
 * the server runs this, in a transaction attributed to `mark.by`: the mark lives in the record's
 * stamp, which no client may write. The record's own `updatedBy`/`updatedAt` are touched too, so
 * every page showing the record redraws it.
 */
export function setForDecision(doc: Y.Doc, register: RegisterName, recordId: string, mark: ForDecisionMark | undefined, by: { name: string; id?: string }, at: number): void {
	const record = registerMap(doc, register).get(recordId);
	if (!(record instanceof Y.Map)) return;
	const stamps = doc.getMap<Stamp>(stampsRoot);
	const person = (value: unknown) => {
		const candidate = value as { name?: unknown; id?: unknown } | undefined;
		return { name: String(candidate?.name ?? 'unknown').slice(0, 120), id: String(candidate?.id ?? 'unknown').slice(0, 64) };
	};
	const current: Stamp = stamps.get(recordId) ?? {
		createdBy: person(record.get('createdBy')),
		createdAt: Number(record.get('createdAt') ?? at),
		updatedBy: person(record.get('updatedBy')),
		updatedAt: Number(record.get('updatedAt') ?? at)
	};
	const { [forDecisionKey]: _previous, ...rest } = current;
	stamps.set(recordId, mark ? { ...rest, [forDecisionKey]: mark } : rest);
	record.set('updatedBy', by);
	record.set('updatedAt', at);
}
