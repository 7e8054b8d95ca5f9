/**
 * What of a meeting a principal may see. A meeting is held on its board (`boardId`, where its
 * decisions and actions go): who cannot read that board does not see the meeting at all. Who can
 * sees it filtered to the boards they may read (the chair's focus, the records it captured and the
 * actions it reviewed) and only the participants the workspace's "online now" rule shows them
 * (leads see everyone, a department its own people and the leads, a wall display nobody).
 */
import type { MeetingRecord, MeetingState } from '#lib/protocol/meeting.ts';
import type { Board } from '#lib/protocol/workspace.ts';
import { boardAccess } from '../auth/policy.ts';
import type { Principal } from '../auth/principal.ts';
import { seesPerson } from '../access/presence.ts';

/** Whether the viewer may read a board (an unknown board: no). */
export type Readable = (boardId: string) => boolean;

export function readableFor(principal: Principal, boards: ReadonlyMap<string, Board>): Readable {
	return (boardId) => {
		const board = boards.get(boardId);
		return board !== undefined && boardAccess(principal, board) !== 'none';
	};
}

/** The meeting record as the viewer may see it; undefined when they cannot read its board. */
export function meetingRecordFor(record: MeetingRecord, readable: Readable): MeetingRecord | undefined {
	if (!readable(record.boardId)) return undefined;
	const focus = record.position.focus && readable(record.position.focus.boardId) ? record.position.focus : null;
	return {
		...record,
		captured: record.captured.filter((entry) => readable(entry.boardId)),
		reviews: record.reviews.filter((entry) => readable(entry.boardId)),
		position: { ...record.position, focus }
	};
}

/**
 * The live state as `viewer` may see it; null when they cannot read the meeting's board.
 * `people` are the principals connected to the mission (participants not among them are left out).
 */
export function meetingStateFor(state: MeetingState, viewer: Principal, readable: Readable, people: ReadonlyMap<string, Principal>): MeetingState | null {
	if (!readable(state.boardId)) return null;
	const focus = state.focus && readable(state.focus.boardId) ? state.focus : null;
	const participants = state.participants.filter((person) => {
		const who = people.get(person.id);
		return who !== undefined && seesPerson(viewer, who);
	});
	return { ...state, focus, participants };
}
