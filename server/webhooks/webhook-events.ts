/**
 * Which webhook events an accepted change to a board makes: a pure function from the ledger
 * entries the hub reports (`onLedger`) and the records as they are after the change. Each event's id
 * is derived from the document's update sequence number, the record and the event type, so the same
 * change seen twice (a replay, another instance) makes the same event, which is delivered once.
 */
import { createHash } from 'node:crypto';
import { closedDependencyStatuses, closedRiskStatuses } from '#lib/protocol/registers.ts';
import { createdField, type FieldChange, type LedgerEntry } from '#lib/protocol/ledger.ts';
import type { BoardRecord } from '#lib/protocol/records.ts';
import type { WebhookEventType } from '#lib/protocol/webhooks.ts';

export interface RecordEvent {
	id: string;
	type: Exclude<WebhookEventType, 'meeting.ended'>;
	at: number;
	boardId: string;
	record: BoardRecord;
	changes: FieldChange[];
	by: LedgerEntry['by'];
}

const closedStatuses: Record<BoardRecord['register'], readonly string[]> = {
	dependencies: closedDependencyStatuses,
	blockers: ['resolved'],
	actions: ['done', 'dropped'],
	decisions: [],
	risks: closedRiskStatuses,
	assumptions: ['validated', 'invalid']
};

/** A stable id for an event (the same inputs on any instance give the same id). */
export function eventId(...parts: Array<string | number>): string {
	return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 24);
}

function closes(register: BoardRecord['register'], change: FieldChange): boolean {
	if (change.field === 'archived') return change.after === true && change.before !== true;
	if (change.field !== 'status') return false;
	const closed = closedStatuses[register];
	return closed.includes(String(change.after)) && !closed.includes(String(change.before));
}

function escalates(change: FieldChange): boolean {
	return (change.field === 'escalations' && Array.isArray(change.after) && change.after.length > 0) || (change.field === 'status' && change.after === 'escalated' && change.before !== 'escalated');
}

export function recordEvents(boardId: string, entries: readonly LedgerEntry[], recordsAfter: ReadonlyMap<string, BoardRecord>): RecordEvent[] {
	const events: RecordEvent[] = [];
	for (const entry of entries) {
		const record = recordsAfter.get(entry.recordId);
		if (!record) continue;
		const changes = entry.changes.filter((change) => change.field !== createdField);
		const add = (type: RecordEvent['type'], picked: FieldChange[]) =>
			events.push({ id: eventId(boardId, entry.seq, entry.recordId, type), type, at: entry.at, boardId, record, changes: picked, by: entry.by });
		const created = entry.changes.some((change) => change.field === createdField);
		if (created) {
			add('record.created', changes);
			if (record.register === 'decisions') add('decision.recorded', changes);
			continue;
		}
		if (changes.length === 0) continue;
		add('record.changed', changes);
		const closing = changes.filter((change) => closes(record.register, change));
		if (closing.length > 0) add('record.closed', closing);
		const rating = changes.filter((change) => change.field === 'rating');
		if (rating.length > 0) add('rating.changed', changes.filter((change) => change.field === 'rating' || change.field === 'ratingHistory'));
		if (record.register === 'blockers') {
			const escalation = changes.filter(escalates);
			if (escalation.length > 0) add('blocker.escalated', escalation);
		}
	}
	return events;
}
