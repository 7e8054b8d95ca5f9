import { describe, expect, it } from 'vitest';
import type { MeetingRecord } from '#lib/protocol/meeting.ts';
import { missionsBoardKey, missionsBoardPlaylist, missionsBoardScreen } from '#lib/protocol/meeting.ts';
import { asAt, focus, pause, stateFromRecord, step, withPlaylist } from './meeting-state.ts';

const playlist = [
	{ view: 'summary', seconds: 20 },
	{ view: 'dependencies', seconds: 15 },
	{ view: 'map', seconds: 30 }
] as const;

const record: MeetingRecord = {
	id: 'mtg_abcdef',
	missionId: 'mission1',
	missionIds: [],
	forum: 'Missions Board',
	title: 'Missions Board — 2026-06-10',
	date: '2026-06-10',
	boardId: 'board1',
	chair: { id: 'admin', name: 'Administrator' },
	startedBy: { id: 'admin', name: 'Administrator' },
	startedAt: 1,
	endedAt: null,
	previousMeetingId: null,
	reviews: [],
	captured: [],
	attendees: [],
	position: { index: 0, view: 'summary', focus: null, paused: false }
};

const stamp = (seq: number) => ({ seq, now: seq * 10 });

describe('meeting state moves', () => {
	const start = stateFromRecord(record, playlist, 1, 10);

	it('steps along the playlist both ways, wrapping, and clears the focus', () => {
		const focused = focus(start, 'dependencies', { boardId: 'board1', register: 'dependencies', recordId: 'd1' }, stamp(2));
		const next = step(focused, 1, stamp(3));
		expect(next).toMatchObject({ index: 2, view: 'map', focus: null, dwellMs: 30_000, seq: 3, changedAt: 30 });
		expect(step(next, 1, stamp(4))).toMatchObject({ index: 0, view: 'summary' });
		expect(step(start, -1, stamp(5))).toMatchObject({ index: 2, view: 'map' });
	});

	it('focusing a record pauses the rotation; focusing a view keeps the pause state and follows the playlist', () => {
		const focused = focus(start, 'dependencies', { boardId: 'board1', register: 'dependencies', recordId: 'd1' }, stamp(2));
		expect(focused).toMatchObject({ view: 'dependencies', index: 1, paused: true, dwellMs: 15_000 });
		expect(focus(start, 'map', null, stamp(2))).toMatchObject({ view: 'map', index: 2, paused: false, focus: null });
		// A view the playlist does not have: shown, position kept.
		expect(focus(start, 'blockers', null, stamp(2))).toMatchObject({ view: 'blockers', index: 0 });
		expect(pause(start, true, stamp(3))).toMatchObject({ paused: true, seq: 3 });
	});

	it('keeps the view when the playlist changes under a running meeting', () => {
		const onMap = focus(start, 'map', null, stamp(2));
		const changed = withPlaylist(onMap, [{ view: 'map', seconds: 10 }, { view: 'summary', seconds: 10 }], stamp(3));
		expect(changed).toMatchObject({ index: 0, view: 'map', dwellMs: 10_000 });
		expect(withPlaylist(onMap, [{ view: 'summary', seconds: 10 }], stamp(4))).toMatchObject({ index: 0, playlist: [{ view: 'summary', seconds: 10 }] });
	});

	it('resumes from a stored position, clamped to the playlist', () => {
		const stored = stateFromRecord({ ...record, position: { index: 7, view: 'actions', focus: null, paused: true } }, playlist, 9, 90);
		expect(stored).toMatchObject({ index: 2, view: 'actions', paused: true, seq: 9, participants: [], walls: 0 });
	});

	it('a Missions Board meeting moves screen by screen: the view across missions, then each mission in the chair\'s order', () => {
		const missionIds = ['missionA', 'missionB', 'missionC'];
		const across = stateFromRecord({ ...record, missionId: missionsBoardKey, missionIds }, missionsBoardPlaylist(missionIds), 1, 10);
		expect(across.playlist).toHaveLength(4);
		expect(missionsBoardScreen(missionIds, across.index)).toEqual({ kind: 'board' });
		const onB = focus(across, 'summary', null, stamp(2), 2);
		expect(missionsBoardScreen(missionIds, onB.index)).toEqual({ kind: 'mission', missionId: 'missionB' });
		const focused = focus(across, 'summary', { boardId: 'boardC1', register: 'blockers', recordId: 'b1' }, stamp(3), 3);
		expect(focused).toMatchObject({ index: 3, paused: true, focus: { recordId: 'b1' } });
		expect(missionsBoardScreen(missionIds, step(focused, 1, stamp(4)).index)).toEqual({ kind: 'board' });
		// Past the last screen, or on a mission's own meeting, the screen number is ignored.
		expect(focus(across, 'summary', null, stamp(5), 9).index).toBe(0);
		expect(focus(start, 'map', null, stamp(5), 1)).toMatchObject({ index: 2, view: 'map' });
	});
});

describe('as at a moment', () => {
	it('starts live, keeps the view while set, and goes back to live', () => {
		const state = stateFromRecord(record, playlist, 1, 10);
		expect(state.asAt).toBeNull();
		const past = asAt(state, 5, { seq: 2, now: 20 });
		expect(past).toMatchObject({ asAt: 5, view: state.view, index: state.index, seq: 2, changedAt: 20 });
		expect(asAt(past, null, { seq: 3, now: 30 }).asAt).toBeNull();
	});
});
