/**
 * Who should hear about an accepted change to a board: a pure function from the ledger entries the
 * hub reports (`onLedger`) and the records as they are after the change, to notifications. It
 * decides *who* and *why*; the server checks that each recipient may read the board, stores each
 * notification once and delivers it.
 *
 * - made owner: a person field (owner, provider or receiver owner) now names someone else than
 *   before, or a new record names them;
 * - @mentioned in a comment (the comment's author is not told about themselves);
 * - a dependency turned red (rating into the red band) or late (status `late`): its owners;
 * - a blocker escalated: the person its unblocker names (one person of the workspace by that name).
 * Nobody is told about their own change.
 */
import type { DirectoryEntry } from '../protocol/identity.ts';
import { createdField, type LedgerEntry } from '../protocol/ledger.ts';
import type { NotificationKind } from '../protocol/notifications.ts';
import { person as personSchema, type Person } from '../protocol/record-fields.ts';
import { isRedRating, ratingLevel } from '../protocol/ratings.ts';
import type { BoardRecord } from '../protocol/records.ts';
import { mentionedPeople } from './mentions.ts';
import { normaliseName, personFields } from './owner-matching.ts';

export interface NotificationDraft {
	/** Principal id of who is told. */
	recipient: string;
	kind: NotificationKind;
	boardId: string;
	register: BoardRecord['register'];
	recordId: string;
	ref: string;
	title: string;
	/** Who made the change (ledger actor). */
	by: { id: string; name: string };
	at: number;
	/** The update's sequence number: with the record, kind and recipient, what makes a notification unique. */
	seq: number;
	/** For mentions: the comment's id (several comments in one update each notify). */
	detail?: string;
}

const personId = (value: unknown): string | undefined => {
	const parsed = personSchema.safeParse(value);
	return parsed.success ? parsed.data.id : undefined;
};

function ownersOf(record: BoardRecord): Person[] {
	return record.register === 'dependencies' ? [record.owner, record.providerOwner, record.receiverOwner] : [record.owner];
}

/** The one person of the workspace an unblocker (free text) names, if exactly one has that name. */
export function unblockerPerson(unblocker: string, directory: readonly DirectoryEntry[]): DirectoryEntry | undefined {
	const matches = directory.filter((entry) => normaliseName(entry.name) === normaliseName(unblocker));
	return matches.length === 1 ? matches[0] : undefined;
}

export function notificationTriggers(boardId: string, entries: readonly LedgerEntry[], recordsAfter: ReadonlyMap<string, BoardRecord>, directory: readonly DirectoryEntry[]): NotificationDraft[] {
	const drafts: NotificationDraft[] = [];
	const seen = new Set<string>();
	for (const entry of entries) {
		const record = recordsAfter.get(entry.recordId);
		if (!record) continue;
		const tell = (recipient: string | undefined, kind: NotificationKind, detail?: string) => {
			if (!recipient || recipient === entry.by.id) return;
			const key = `${entry.seq}|${record.id}|${kind}|${recipient}|${detail ?? ''}`;
			if (seen.has(key)) return;
			seen.add(key);
			drafts.push({ recipient, kind, boardId, register: record.register, recordId: record.id, ref: record.ref, title: record.title, by: { id: entry.by.id, name: entry.by.name }, at: entry.at, seq: entry.seq, ...(detail ? { detail } : {}) });
		};
		for (const change of entry.changes) {
			if (change.field === createdField) {
				for (const owner of ownersOf(record)) tell(owner.id, 'owner');
				continue;
			}
			if (personFields[record.register].includes(change.field)) {
				const before = personId(change.before);
				const after = personId(change.after);
				if (after !== before) tell(after, 'owner');
				continue;
			}
			if (change.field === 'comments' && Array.isArray(change.after)) {
				for (const comment of change.after as Array<{ id?: unknown; text?: unknown; author?: unknown }>) {
					if (typeof comment.text !== 'string') continue;
					const author = personId(comment.author);
					for (const mentioned of mentionedPeople(comment.text, directory)) {
						if (mentioned.id !== author) tell(mentioned.id, 'mention', typeof comment.id === 'string' ? comment.id : undefined);
					}
				}
				continue;
			}
			if (record.register === 'dependencies') {
				const turnedRed = change.field === 'rating' && isRedRating(ratingLevel.safeParse(change.after).data) && !isRedRating(ratingLevel.safeParse(change.before).data);
				const turnedLate = change.field === 'status' && change.after === 'late' && change.before !== 'late';
				if (turnedRed || turnedLate) for (const owner of ownersOf(record)) tell(owner.id, turnedRed ? 'dependency_red' : 'dependency_late');
				continue;
			}
			if (record.register === 'blockers') {
				const escalated = (change.field === 'escalations' && Array.isArray(change.after) && change.after.length > 0) || (change.field === 'status' && change.after === 'escalated' && change.before !== 'escalated');
				if (escalated) tell(unblockerPerson(record.unblocker, directory)?.id, 'escalated');
			}
		}
	}
	return drafts;
}
