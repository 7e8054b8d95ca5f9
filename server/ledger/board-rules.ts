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
import type { DocRules, DocRulesFor, StampSource } from '../hub/doc-rules.ts';
import { describeBoardTransaction } from './describe-changes.ts';
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
	stamp(doc, entries) {
		const stamps = doc.getMap<Stamp>(stampsRoot);
		const writes: Array<[string, Stamp]> = [];
		for (const entry of latestPerRecord(entries)) {
			const who = { name: entry.by.name.slice(0, 120), id: entry.by.id.slice(0, 64) };
			const current = stamps.get(entry.recordId);
			const created = entry.changes.some((change) => change.field === createdField);
			if (current && !created) {
				// A burst of edits by one person keeps its first time (as the model does for updatedAt).
				if (current.updatedBy.id === who.id && entry.at - current.updatedAt < updatedAtCoalesceMs) continue;
				writes.push([entry.recordId, { ...current, updatedBy: who, updatedAt: entry.at }]);
			} else {
				writes.push([
					entry.recordId,
					{ createdBy: current?.createdBy ?? who, createdAt: current?.createdAt ?? entry.at, updatedBy: who, updatedAt: entry.at }
				]);
			}
		}
		if (writes.length === 0) return undefined;
		return (target) => {
			const into = target.getMap<Stamp>(stampsRoot);
			for (const [recordId, stamp] of writes) into.set(recordId, stamp);
		};
	}
};

function latestPerRecord(entries: readonly StampSource[]): StampSource[] {
	const latest = new Map<string, StampSource>();
	for (const entry of entries) {
		const seen = latest.get(entry.recordId);
		const created = seen?.changes.some((change) => change.field === createdField);
		// Keep the creation if the batch has one, so the record's creator is the one stamped.
		latest.set(entry.recordId, created ? { ...entry, changes: [...entry.changes, ...seen!.changes] } : entry);
	}
	return [...latest.values()];
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
