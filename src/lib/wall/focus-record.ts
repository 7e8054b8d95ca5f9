/**
 * The record the chair has in focus, found among the wall's records, and the records it links to
 * (its links, a blocker's `blocks`, a decision's actions), in the wall's registers. Pure.
 */
import type { RecordFocus } from '../protocol/meeting.ts';
import type { ActionRecord, AssumptionRecord, BlockerRecord, DecisionRecord, DependencyRecord, Link, RiskRecord } from '../protocol/records.ts';
import type { MissionRecords, OnBoard } from './wall-data.ts';

export type FocusedRecord =
	| OnBoard<DependencyRecord>
	| OnBoard<BlockerRecord>
	| OnBoard<ActionRecord>
	| OnBoard<DecisionRecord>
	| OnBoard<RiskRecord>
	| OnBoard<AssumptionRecord>;

const wallRegisters = ['dependencies', 'blockers', 'actions', 'decisions', 'risks', 'assumptions'] as const;
type WallRegister = (typeof wallRegisters)[number];
const isWallRegister = (register: string): register is WallRegister => (wallRegisters as readonly string[]).includes(register);

export function focusedRecord(records: MissionRecords, focus: RecordFocus): FocusedRecord | null {
	if (!isWallRegister(focus.register)) return null;
	const list: readonly FocusedRecord[] = records[focus.register];
	return list.find((record) => record.id === focus.recordId && record.boardId === focus.boardId) ?? null;
}

/** Linked records on the same board, in link order, each once; links to registers the wall does not hold are left out. */
export function linkedRecords(records: MissionRecords, record: FocusedRecord): FocusedRecord[] {
	const links: Link[] = [...record.links];
	if (record.register === 'blockers') links.push(...record.blocks);
	if (record.register === 'decisions') links.push(...record.createdActions);
	const seen = new Set<string>();
	const found: FocusedRecord[] = [];
	for (const link of links) {
		if (seen.has(link.id) || link.id === record.id) continue;
		seen.add(link.id);
		const target = focusedRecord(records, { boardId: record.boardId, register: link.register, recordId: link.id });
		if (target && !target.archived) found.push(target);
	}
	return found;
}
