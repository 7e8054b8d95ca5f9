/**
 * "What has changed since the last meeting?", for the meeting page and the walls. The meeting page
 * gets the changes themselves (each board of the mission the reader may see, diffed by the ledger's
 * `BoardHistory.changes`); a wall gets the boards as they stood when the last meeting ended, and
 * compares them with its live copy itself, so the view follows every edit without asking again.
 * Boards are always those of `missionScope`: a wall scoped to some boards never hears of the others;
 * and a meeting is only compared with (and named) when the reader may see it (`meeting-visibility.ts`).
 */
import * as Y from 'yjs';
import { toBase64 } from 'lib0/buffer';
import type { BoardChange } from '#lib/board/diff.ts';
import type { MeetingRecord, MissionAsAt, SinceBaseline, SinceMark } from '#lib/protocol/meeting.ts';
import type { Principal } from '../auth/principal.ts';
import { historyDefaults, type BoardHistory } from '../ledger/board-history.ts';
import type { Store } from '../store/store.ts';
import { ConflictError } from '../workspace/errors.ts';
import { MeetingError } from './meeting-errors.ts';
import type { MeetingRecords } from './meeting-records.ts';
import { readableFor } from './meeting-visibility.ts';
import { listBoards, missionScope, type MissionRecords } from './mission-scope.ts';

export const sinceDefaults = {
	/** Past board states kept for walls asking at once (a meeting ends: every wall asks). */
	cachedStates: 8
} as const;

export interface BoardSince {
	boardId: string;
	title: string;
	changes: Array<BoardChange & { path: string }>;
	/** Why the board's changes could not be worked out (its history at `from` is not kept). */
	note?: string;
}

export interface MeetingSince {
	since: SinceMark;
	from: number;
	to: number;
	boards: BoardSince[];
}

export class SinceLastMeeting {
	#store: Store;
	#workspace: MissionRecords;
	#records: MeetingRecords;
	#history: BoardHistory;
	#states = new Map<string, Promise<string>>();
	#now: () => number;

	constructor(options: { store: Store; workspace: MissionRecords; records: MeetingRecords; history: BoardHistory; now?: () => number }) {
		this.#store = options.store;
		this.#workspace = options.workspace;
		this.#records = options.records;
		this.#history = options.history;
		this.#now = options.now ?? Date.now;
	}

	/**
	 * The opening item of a meeting's agenda: what changed on each board since the previous meeting
	 * of the same forum ended (a week before this one started when there was none), up to now while
	 * the meeting runs, else up to its end.
	 */
	async forMeeting(principal: Principal, meeting: MeetingRecord): Promise<MeetingSince> {
		const scope = await missionScope(this.#workspace, principal, meeting.missionId);
		if (!scope) throw new MeetingError('not_found', 'no such mission, or you cannot see it');
		const readable = readableFor(principal, new Map((await listBoards(this.#workspace)).map((board) => [board.id, board])));
		const found = meeting.previousMeetingId ? await this.#records.get(meeting.previousMeetingId) : undefined;
		// A previous meeting held on a board the reader cannot read is not theirs to see: a week instead.
		const previous = found && readable(found.boardId) ? found : undefined;
		const ended = previous?.endedAt ?? null;
		const since: SinceMark = previous && ended !== null ? { kind: 'meeting', meetingId: previous.id, title: previous.title, forum: previous.forum, date: previous.date } : { kind: 'week' };
		const to = meeting.endedAt ?? this.#now();
		const from = Math.min(ended ?? meeting.startedAt - historyDefaults.defaultWindowMs, to);
		const boards = await Promise.all(
			scope.boards.map(async (board): Promise<BoardSince> => {
				try {
					const view = await this.#history.changes(principal, board.id, { from, to });
					return { boardId: board.id, title: board.title, changes: view.changes };
				} catch (error) {
					if (error instanceof ConflictError) return { boardId: board.id, title: board.title, changes: [], note: error.message };
					throw error;
				}
			})
		);
		return { since, from, to, boards };
	}

	/**
	 * The mission's boards as they stood when its last meeting the principal may see (of `forum`,
	 * when given) ended, or a week ago when none has: what a wall compares its live boards with.
	 */
	async baseline(principal: Principal, missionId: string, forum?: string): Promise<SinceBaseline> {
		const scope = await missionScope(this.#workspace, principal, missionId);
		if (!scope) throw new MeetingError('not_found', 'no such mission, or you cannot see it');
		const now = this.#now();
		const readable = readableFor(principal, new Map((await listBoards(this.#workspace)).map((board) => [board.id, board])));
		const last = (await this.#records.list(missionId))
			.filter((meeting) => meeting.endedAt !== null && meeting.endedAt <= now && (forum === undefined || meeting.forum === forum) && readable(meeting.boardId))
			.sort((a, b) => b.endedAt! - a.endedAt!)[0];
		const from = last?.endedAt ?? now - historyDefaults.defaultWindowMs;
		const since: SinceMark = last ? { kind: 'meeting', meetingId: last.id, title: last.title, forum: last.forum, date: last.date } : { kind: 'week' };
		const boards = await Promise.all(
			scope.boards.map(async (board) => {
				if (from < board.createdAt) return { boardId: board.id, state: toBase64(Y.encodeStateAsUpdate(new Y.Doc())) };
				try {
					return { boardId: board.id, state: await this.#stateAt(principal, board.id, from) };
				} catch (error) {
					if (error instanceof ConflictError) return { boardId: board.id, state: null, note: error.message };
					throw error;
				}
			})
		);
		return { missionId, since, from, boards };
	}

	/**
	 * The mission's boards the principal may see (as for `baseline`) as they stood at `at`: what a
	 * wall shows while the chair has set the meeting "as at" a moment.
	 */
	async asAt(principal: Principal, missionId: string, at: number): Promise<MissionAsAt> {
		if (at > this.#now()) throw new MeetingError('invalid_payload', 'as at: the moment must not be in the future');
		const scope = await missionScope(this.#workspace, principal, missionId);
		if (!scope) throw new MeetingError('not_found', 'no such mission, or you cannot see it');
		const boards = await Promise.all(
			scope.boards.map(async (board) => {
				if (at < board.createdAt) return { boardId: board.id, state: toBase64(Y.encodeStateAsUpdate(new Y.Doc())) };
				try {
					return { boardId: board.id, state: await this.#stateAt(principal, board.id, at) };
				} catch (error) {
					if (error instanceof ConflictError) return { boardId: board.id, state: null, note: error.message };
					throw error;
				}
			})
		);
		return { missionId, at, boards };
	}

	/** The board's state at `from` (a past moment: it never changes), shared by walls asking at once. */
	#stateAt(principal: Principal, boardId: string, from: number): Promise<string> {
		const key = `${boardId}@${from}`;
		const cached = this.#states.get(key);
		if (cached) return cached;
		// Merged off the event loop by BoardHistory (no document is built here).
		const state = this.#history.stateAsAt(principal, boardId, from).then(toBase64);
		this.#states.set(key, state);
		state.catch(() => this.#states.delete(key));
		while (this.#states.size > sinceDefaults.cachedStates) this.#states.delete(this.#states.keys().next().value!);
		return state;
	}
}
