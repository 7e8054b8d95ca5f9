import { describe, expect, it } from 'vitest';
import type { MeetingRecord, MeetingState } from '#lib/protocol/meeting.ts';
import type { Board } from '#lib/protocol/workspace.ts';
import type { Principal } from '../auth/principal.ts';
import { meetingRecordFor, meetingStateFor, readableFor } from './meeting-visibility.ts';

const board = (id: string, departmentIds: string[]): Board => ({ id, missionId: 'mission01', title: id, description: '', archived: false, sample: false, departmentIds, createdAt: 0, createdBy: 'x', updatedAt: 0, updatedBy: 'x' });
const boards = new Map([board('boardXXX', ['alpha']), board('boardYYY', ['beta']), board('boardWWW', ['alpha', 'beta'])].map((b) => [b.id, b]));
const alpha: Principal = { id: 'person:a', kind: 'person', name: 'Ann', role: 'editor', departmentId: 'alpha' };
const beta: Principal = { id: 'person:b', kind: 'person', name: 'Bob', role: 'editor', departmentId: 'beta' };
const lead: Principal = { id: 'person:l', kind: 'person', name: 'Lena', role: 'lead', departmentId: 'unit' };
const people = new Map([alpha, beta, lead].map((p) => [p.id, p]));

const state = (boardId: string, focusBoard: string | null): MeetingState => ({
	meetingId: 'meeting01',
	missionId: 'mission01',
	missionIds: [],
	forum: 'Board',
	title: 'Board',
	date: '2030-01-01',
	boardId,
	chair: { id: lead.id, name: lead.name },
	playlist: [{ view: 'summary', seconds: 20 }],
	index: 0,
	view: 'summary',
	focus: focusBoard ? { boardId: focusBoard, register: 'actions', recordId: 'r1' } : null,
	paused: false,
	dwellMs: 20_000,
	seq: 1,
	changedAt: 0,
	participants: [alpha, beta, lead].map(({ id, name }) => ({ id, name })),
	walls: 0,
	asAt: null
});

describe('meeting visibility', () => {
	it('hides a meeting from who cannot read its board', () => {
		expect(meetingStateFor(state('boardXXX', null), beta, readableFor(beta, boards), people)).toBeNull();
		expect(meetingStateFor(state('boardXXX', null), lead, readableFor(lead, boards), people)).not.toBeNull();
	});

	it('filters the focus and the participants per recipient', () => {
		const seen = meetingStateFor(state('boardWWW', 'boardXXX'), beta, readableFor(beta, boards), people);
		expect(seen?.focus).toBeNull();
		expect(seen?.participants.map((p) => p.id)).toEqual([beta.id, lead.id]);
		expect(meetingStateFor(state('boardWWW', 'boardXXX'), alpha, readableFor(alpha, boards), people)?.focus).toMatchObject({ boardId: 'boardXXX' });
	});

	it('filters a record to the boards the viewer may read', () => {
		const record = {
			boardId: 'boardWWW',
			missionIds: [],
			captured: [{ boardId: 'boardXXX', register: 'actions', id: 'a1', ref: 'ACT-1' }, { boardId: 'boardWWW', register: 'decisions', id: 'd1', ref: 'DEC-1' }],
			reviews: [],
			position: { index: 0, view: 'summary', focus: { boardId: 'boardXXX', register: 'actions', recordId: 'a1' }, paused: false }
		} as unknown as MeetingRecord;
		const seen = meetingRecordFor(record, readableFor(beta, boards));
		expect(seen?.captured.map((entry) => entry.id)).toEqual(['d1']);
		expect(seen?.position.focus).toBeNull();
		expect(meetingRecordFor({ ...record, boardId: 'boardXXX' }, readableFor(beta, boards))).toBeUndefined();
	});

	it('shows a Missions Board meeting to who can read a board of one of its missions, filtered to what they can read', () => {
		const other = board('boardZZZ', ['alpha']);
		const across = new Map([...boards, [other.id, { ...other, missionId: 'mission02' }]]);
		const meeting = { ...state('boardZZZ', 'boardZZZ'), missionId: 'missions-board', missionIds: ['mission02'] };
		expect(meetingStateFor(meeting, beta, readableFor(beta, across), people)).toBeNull();
		expect(meetingStateFor(meeting, alpha, readableFor(alpha, across), people)?.focus).toMatchObject({ boardId: 'boardZZZ' });
		const both = { ...meeting, missionIds: ['mission02', 'mission01'] };
		const seenByBeta = meetingStateFor(both, beta, readableFor(beta, across), people);
		expect(seenByBeta?.focus).toBeNull();
		expect(seenByBeta?.missionIds).toEqual(['mission02', 'mission01']);
		expect(meetingStateFor(both, lead, readableFor(lead, new Map()), people)).not.toBeNull();
	});
});
