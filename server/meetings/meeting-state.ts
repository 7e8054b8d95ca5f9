/**
 * Pure moves of a meeting's live state: next, previous, focus, pause, and the playlist changing
 * under a running meeting. No clocks or sockets here: `now` and `seq` are arguments.
 */
import type { MeetingPerson, MeetingPosition, MeetingRecord, MeetingState, PlaylistItem, RecordFocus, WallView } from '#lib/protocol/meeting.ts';

export function dwellOf(playlist: readonly PlaylistItem[], index: number): number {
	return (playlist[index] ?? playlist[0]!).seconds * 1000;
}

export function positionOf(state: MeetingState): MeetingPosition {
	return { index: state.index, view: state.view, focus: state.focus, paused: state.paused };
}

/**
 * The chair and position as one comparable string: what an instance last read or wrote, checked
 * against the store to see whether another instance changed the meeting since.
 */
export function positionKey(chair: MeetingPerson, position: MeetingPosition): string {
	const target = position.focus;
	return JSON.stringify([chair.id, chair.name, position.index, position.view, target ? [target.boardId, target.register, target.recordId] : null, position.paused]);
}

/** The state of a meeting from its record, at the position it was saved at. */
export function stateFromRecord(record: MeetingRecord, playlist: readonly PlaylistItem[], seq: number, now: number): MeetingState {
	const index = Math.min(record.position.index, playlist.length - 1);
	return {
		meetingId: record.id,
		missionId: record.missionId,
		missionIds: [...record.missionIds],
		forum: record.forum,
		title: record.title,
		date: record.date,
		boardId: record.boardId,
		chair: record.chair,
		playlist: [...playlist],
		index,
		view: record.position.view,
		focus: record.position.focus,
		paused: record.position.paused,
		dwellMs: dwellOf(playlist, index),
		seq,
		changedAt: now,
		participants: [],
		walls: 0,
		asAt: null
	};
}

type Stamp = { seq: number; now: number };

const stamped = (state: MeetingState, change: Partial<MeetingState>, { seq, now }: Stamp): MeetingState => ({ ...state, ...change, seq, changedAt: now });

/** Moves `delta` places along the playlist (wrapping) and clears the focus. */
export function step(state: MeetingState, delta: number, stamp: Stamp): MeetingState {
	const count = state.playlist.length;
	const index = (((state.index + delta) % count) + count) % count;
	return stamped(state, { index, view: state.playlist[index]!.view, focus: null, dwellMs: dwellOf(state.playlist, index) }, stamp);
}

/**
 * Shows a view, optionally with one record in focus. The playlist position follows the view when
 * the playlist has it; focusing a record pauses the rotation (the room is discussing it).
 */
export function focus(state: MeetingState, view: WallView, target: RecordFocus | null, stamp: Stamp, screen?: number): MeetingState {
	// A Missions Board meeting names its screen (the view across missions, or one mission's).
	const found = screen !== undefined && state.missionIds.length > 0 && screen < state.playlist.length ? screen : state.playlist.findIndex((item) => item.view === view);
	const index = found >= 0 ? found : state.index;
	return stamped(state, { view, focus: target, index, dwellMs: dwellOf(state.playlist, index), paused: target ? true : state.paused }, stamp);
}

export function pause(state: MeetingState, paused: boolean, stamp: Stamp): MeetingState {
	return stamped(state, { paused }, stamp);
}

/** A new playlist under a running meeting: keep the view if the new playlist has it. */
export function withPlaylist(state: MeetingState, playlist: readonly PlaylistItem[], stamp: Stamp): MeetingState {
	const found = playlist.findIndex((item) => item.view === state.view);
	const index = found >= 0 ? found : Math.min(state.index, playlist.length - 1);
	return stamped(state, { playlist: [...playlist], index, dwellMs: dwellOf(playlist, index) }, stamp);
}

/** Shows the boards as they stood at `asAt` on every wall (null: back to live). */
export function asAt(state: MeetingState, at: number | null, stamp: Stamp): MeetingState {
	return stamped(state, { asAt: at }, stamp);
}
