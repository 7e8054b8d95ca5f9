/** What every wall view is given. */
import type { JudgedConfidence } from '../../board/confidence-reading.ts';
import type { RecordFocus } from '../../protocol/meeting.ts';
import type { RatingScaleId } from '../../protocol/ratings.ts';
import type { MeetingKey, MissionRecords } from '../../wall/wall-data.ts';
import type { MapDepartment } from '../map/map-layout.ts';

export type WallViewProps = {
	records: MissionRecords;
	/** yyyy-mm-dd, UK time. */
	today: string;
	/** Epoch ms of today's midnight, UK time. */
	dayStart: number;
	scale: RatingScaleId;
	departments: readonly MapDepartment[];
	boards: readonly { id: string; title: string }[];
	/** The record the chair has in focus. */
	focus: RecordFocus | null;
	/** The running or latest meeting: whose decisions to show. */
	meeting: MeetingKey | null;
	/** The mission's judged delivery confidence; null when there is none, undefined until the wall has heard. */
	judged?: JudgedConfidence | null;
};

/** "DfE" for a department id (the id itself when unknown). */
export function departmentCode(departments: readonly MapDepartment[], id: string): string {
	return departments.find((department) => department.id === id)?.code ?? id;
}

export function isFocused(focus: RecordFocus | null, record: { id: string; boardId: string }): boolean {
	return focus !== null && focus.recordId === record.id && focus.boardId === record.boardId;
}

export function plural(count: number, one: string, many = `${one}s`): string {
	return `${count} ${count === 1 ? one : many}`;
}

/** The board's title, for missions with more than one board (empty otherwise). */
export function boardLabel(boards: readonly { id: string; title: string }[], id: string): string {
	return boards.length > 1 ? (boards.find((board) => board.id === id)?.title ?? '') : '';
}

/** A board's initials ("Regional programme board" → "RPB"), to tell apart refs of several boards. */
export function boardInitials(title: string): string {
	const initials = title
		.split(/[\s-]+/)
		.filter((word) => /^[\p{L}\p{N}]/u.test(word))
		.map((word) => word[0]!.toUpperCase())
		.join('');
	return initials.slice(0, 4) || '?';
}

/** A board's code on the wall: its initials ("Regional programme board" → "RPB"). */
export function boardCode(boards: readonly { id: string; title: string }[], id: string): { code: string; title: string } {
	const title = boards.find((board) => board.id === id)?.title ?? '';
	return { code: boardInitials(title), title };
}
