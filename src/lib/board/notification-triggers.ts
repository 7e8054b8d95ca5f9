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
import { createdField, type FieldChange, type LedgerEntry } from '../protocol/ledger.ts';
import type { NotificationKind } from '../protocol/notifications.ts';
import { person as personSchema, type Person } from '../protocol/record-fields.ts';
import { isRedRating, ratingLevel } from '../protocol/ratings.ts';
import type { BoardRecord } from '../protocol/records.ts';
import type { RegisterName } from '../protocol/registers.ts';
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

/**
 * What the triggers read of a record (any `BoardRecord` is one): the server reads just these fields
 * out of the document (`server/notifications/notified-records.ts`).
 */
export type NotifiedRecord = Pick<BoardRecord, 'id' | 'register' | 'ref' | 'title' | 'owner'> & { providerOwner?: Person; receiverOwner?: Person; unblocker?: string };

function ownersOf(record: NotifiedRecord): Person[] {
	const fields = record as unknown as Record<string, Person | undefined>;
	return ownerFieldsOf(record.register).flatMap((field) => fields[field] ?? []);
}

/** The one person of the workspace an unblocker (free text) names, if exactly one has that name. */
export function unblockerPerson(unblocker: string, directory: readonly DirectoryEntry[]): DirectoryEntry | undefined {
	const matches = directory.filter((entry) => normaliseName(entry.name) === normaliseName(unblocker));
	return matches.length === 1 ? matches[0] : undefined;
}

type Trigger = 'created' | 'owner' | 'mention' | 'dependency_red' | 'dependency_late' | 'escalated';

const mayMention = (value: unknown): boolean => typeof value === 'object' && value !== null && typeof (value as { text?: unknown }).text === 'string' && (value as { text: string }).text.includes('@');

/**
 * What one change can make someone hear about, judged from the change alone. Who is told also needs
 * the record (its owners, its unblocker) and, for mentions and escalations, the directory; a change
 * that triggers nothing needs neither (a comment without "@" mentions nobody).
 */
function triggerOf(register: RegisterName, change: FieldChange): Trigger | undefined {
	if (change.field === createdField) return 'created';
	if (personFields[register].includes(change.field)) {
		const after = personId(change.after);
		return after !== undefined && after !== personId(change.before) ? 'owner' : undefined;
	}
	if (change.field === 'comments' && Array.isArray(change.after)) return change.after.some(mayMention) ? 'mention' : undefined;
	if (register === 'dependencies') {
		if (change.field === 'rating' && isRedRating(ratingLevel.safeParse(change.after).data) && !isRedRating(ratingLevel.safeParse(change.before).data)) return 'dependency_red';
		if (change.field === 'status' && change.after === 'late' && change.before !== 'late') return 'dependency_late';
		return undefined;
	}
	if (register === 'blockers') {
		const escalated = (change.field === 'escalations' && Array.isArray(change.after) && change.after.length > 0) || (change.field === 'status' && change.after === 'escalated' && change.before !== 'escalated');
		return escalated ? 'escalated' : undefined;
	}
	return undefined;
}

/**
 * Which records a batch of ledger entries can notify about, and whether the directory is needed:
 * the hook reads only these records (most edits, such as a status change or a comment without a
 * mention, notify nobody and read nothing). `notificationTriggers` on these records gives exactly
 * what it gives on every touched record.
 */
export function notificationCandidates(entries: readonly LedgerEntry[]): { recordIds: Set<string>; needsDirectory: boolean } {
	const recordIds = new Set<string>();
	let needsDirectory = false;
	for (const entry of entries) {
		for (const change of entry.changes) {
			const trigger = triggerOf(entry.register, change);
			if (!trigger) continue;
			recordIds.add(entry.recordId);
			if (trigger === 'mention' || trigger === 'escalated') needsDirectory = true;
		}
	}
	return { recordIds, needsDirectory };
}

/** The triggers that tell a record's owners and nobody else. */
const ownerTriggers: ReadonlySet<Trigger> = new Set(['created', 'dependency_red', 'dependency_late']);

/**
 * When everything `entries` (one record's) can trigger tells only the record's owners, and one
 * person wrote them all: that person. An owner who is that person is not told about their own
 * change, so a record all of whose owners are the writer tells nobody, and the reader need not
 * validate its fields to know it (a writer moving their own dependency to late, the usual case).
 */
export function soleOwnerWriter(register: RegisterName, entries: readonly LedgerEntry[]): string | undefined {
	let writer: string | undefined;
	for (const entry of entries) {
		for (const change of entry.changes) {
			const trigger = triggerOf(register, change);
			if (trigger === undefined) continue;
			if (!ownerTriggers.has(trigger) || (writer !== undefined && writer !== entry.by.id)) return undefined;
			writer = entry.by.id;
		}
	}
	return writer;
}

/** The fields of a record of `register` that name its owners (whom `ownersOf` tells). */
export function ownerFieldsOf(register: RegisterName): readonly string[] {
	return register === 'dependencies' ? ['owner', 'providerOwner', 'receiverOwner'] : ['owner'];
}

export function notificationTriggers(boardId: string, entries: readonly LedgerEntry[], recordsAfter: ReadonlyMap<string, NotifiedRecord>, directory: readonly DirectoryEntry[]): NotificationDraft[] {
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
			const trigger = triggerOf(record.register, change);
			if (trigger === 'created') {
				for (const owner of ownersOf(record)) tell(owner.id, 'owner');
			} else if (trigger === 'owner') {
				tell(personId(change.after), 'owner');
			} else if (trigger === 'mention') {
				for (const comment of change.after as Array<{ id?: unknown; text?: unknown; author?: unknown }>) {
					if (typeof comment?.text !== 'string') continue;
					const author = personId(comment.author);
					for (const mentioned of mentionedPeople(comment.text, directory)) {
						if (mentioned.id !== author) tell(mentioned.id, 'mention', typeof comment.id === 'string' ? comment.id : undefined);
					}
				}
			} else if (trigger === 'dependency_red' || trigger === 'dependency_late') {
				for (const owner of ownersOf(record)) tell(owner.id, trigger);
			} else if (trigger === 'escalated' && record.register === 'blockers' && record.unblocker !== undefined) {
				tell(unblockerPerson(record.unblocker, directory)?.id, 'escalated');
			}
		}
	}
	return drafts;
}
