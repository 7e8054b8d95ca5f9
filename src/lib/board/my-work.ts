/**
 * What one person owes and is owed on one board (`GET /api/me/work` sums every board they can read):
 * records they own (any owner field carries their id), open dependencies their department provides
 * or receives, open blockers whose unblocker is them or their department, their open actions due
 * within a week or overdue, and records whose comments mention them. Pure: records and today in.
 */
import type { DirectoryEntry } from '../protocol/identity.ts';
import type { Person } from '../protocol/record-fields.ts';
import type { BoardRecord, RecordOf } from '../protocol/records.ts';
import type { WorkItem, WorkReason } from '../protocol/my-work.ts';
import { recordPath } from '../protocol/workspace.ts';
import type { IsoDate } from '../protocol/record-fields.ts';
import { addDays } from './dates.ts';
import { isActionOverdue, isBlockerOpen, isDependencyOpen } from './derived.ts';
import { mentionedPeople } from './mentions.ts';

export interface WorkPerson {
	/** Principal id (`person:<id>`): what owner fields carry. */
	id: string;
	name: string;
	department?: { id: string; name: string; code: string } | undefined;
}

export const myWorkDefaults = { dueWithinDays: 7 } as const;

function ownerFields(record: BoardRecord): Person[] {
	switch (record.register) {
		case 'dependencies':
			return [record.owner, record.providerOwner, record.receiverOwner];
		case 'decisions':
			return [record.owner, ...record.decisionMakers];
		default:
			return [record.owner];
	}
}

function isOpen(record: BoardRecord): boolean {
	switch (record.register) {
		case 'dependencies':
			return isDependencyOpen(record);
		case 'blockers':
			return isBlockerOpen(record);
		case 'actions':
			return record.status === 'open';
		case 'decisions':
			return record.status === 'current';
		default:
			return true;
	}
}

function dateOf(record: BoardRecord): string | null {
	switch (record.register) {
		case 'dependencies':
			return record.neededBy;
		case 'blockers':
			return record.targetResolution;
		case 'actions':
			return record.due;
		case 'decisions':
			return record.decidedOn;
		default:
			return null;
	}
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Whether a blocker's unblocker (free text: a person, role or forum) is this person or their department. */
export function waitsOn(blocker: RecordOf<'blockers'>, person: WorkPerson): boolean {
	const unblocker = blocker.unblocker;
	return same(unblocker, person.name) || (person.department !== undefined && (same(unblocker, person.department.name) || same(unblocker, person.department.code)));
}

export function workOnBoard(board: { id: string; title: string }, records: readonly BoardRecord[], person: WorkPerson, today: IsoDate, directory: readonly DirectoryEntry[] = []): WorkItem[] {
	const items: WorkItem[] = [];
	const add = (record: BoardRecord, reason: WorkReason) =>
		items.push({ boardId: board.id, boardTitle: board.title, register: record.register, recordId: record.id, ref: record.ref, title: record.title, status: record.status, reason, date: dateOf(record), path: recordPath(board.id, record.ref) });
	const me = directory.filter((entry) => entry.id === person.id);
	const dueBy = addDays(today, myWorkDefaults.dueWithinDays);
	for (const record of records) {
		if (record.archived) continue;
		const open = isOpen(record);
		const owns = ownerFields(record).some((field) => field.id === person.id);
		if (open && owns) add(record, 'owner');
		if (open && record.register === 'dependencies' && person.department) {
			if (record.providerDepartment === person.department.id) add(record, 'provides');
			else if (record.receiverDepartment === person.department.id) add(record, 'receives');
		}
		if (record.register === 'blockers' && isBlockerOpen(record) && waitsOn(record, person)) add(record, 'waiting_on_you');
		if (record.register === 'actions' && owns && record.status === 'open') {
			if (isActionOverdue(record, today)) add(record, 'overdue');
			else if (record.due <= dueBy) add(record, 'due');
		}
		if (me.length > 0 && record.comments.some((comment) => comment.author.id !== person.id && mentionedPeople(comment.text, me).length > 0)) add(record, 'mentioned');
	}
	return items;
}

export function workCountsOf(items: readonly WorkItem[]): { owned: number; department: number; waitingOnYou: number; due: number; overdue: number; mentioned: number } {
	const count = (...reasons: WorkReason[]) => new Set(items.filter((item) => reasons.includes(item.reason)).map((item) => `${item.boardId}/${item.recordId}`)).size;
	return { owned: count('owner'), department: count('provides', 'receives'), waitingOnYou: count('waiting_on_you'), due: count('due'), overdue: count('overdue'), mentioned: count('mentioned') };
}
