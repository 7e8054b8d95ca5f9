/**
 * What of a meeting a principal may see. A meeting is held on its board (`boardId`, where its
 * decisions and actions go): who cannot read that board does not see the meeting at all. Who can
 * sees it filtered to the boards they may read (the chair's focus, the records it captured and the
 * actions it reviewed) and only the participants the workspace's "online now" rule shows them
 * (leads see everyone, a department its own people and the leads, a wall display nobody).
 */
import type { MeetingRecord, MeetingState } from '#lib/protocol/meeting.ts';
import type { Board } from '#lib/protocol/workspace.ts';
import { boardAccess, isLead } from '../auth/policy.ts';
import type { Principal } from '../auth/principal.ts';
import { seesPerson } from '../access/presence.ts';

/**
 * Whether the viewer may read a board (an unknown board: no); `mission` says whether they may read
 * any board of a mission (a lead: every mission).
 */
export type Readable = ((boardId: string) => boolean) & { mission?: (missionId: string) => boolean };

export function readableFor(principal: Principal, boards: ReadonlyMap<string, Board>): Readable {
	const readable = (boardId: string) => {
		const board = boards.get(boardId);
		return board !== undefined && boardAccess(principal, board) !== 'none';
	};
	const missions = new Set([...boards.values()].filter((board) => !board.archived && boardAccess(principal, board) !== 'none').map((board) => board.missionId));
	return Object.assign(readable, { mission: (missionId: string) => isLead(principal) || missions.has(missionId) });
}

/**
 * Whether the viewer sees the meeting at all: a mission's meeting when they can read the board it is
 * held on; a Missions Board meeting when they can read a board of one of its missions.
 */
export function holdsMeeting(meeting: Pick<MeetingRecord, 'boardId' | 'missionIds'>, readable: Readable): boolean {
	if (meeting.missionIds.length === 0) return readable(meeting.boardId);
	return meeting.missionIds.some((missionId) => readable.mission?.(missionId) ?? false);
}

/** The meeting record as the viewer may see it; undefined when they cannot (`holdsMeeting`). */
export function meetingRecordFor(record: MeetingRecord, readable: Readable): MeetingRecord | undefined {
	if (!holdsMeeting(record, readable)) return undefined;
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
	if (!holdsMeeting(state, readable)) return null;
	const focus = state.focus && readable(state.focus.boardId) ? state.focus : null;
	const participants = state.participants.filter((person) => {
		const who = people.get(person.id);
		return who !== undefined && seesPerson(viewer, who);
	});
	return { ...state, focus, participants };
}
