/**
 * Meeting mode on the server: one live state per mission with a running meeting, kept in memory,
 * broadcast to the socket.io room `mission:<id>` on every change and saved to the meeting record
 * (so a restarted server resumes where the walls were). Only the chair moves the walls; the
 * rotation timer runs here, so every wall and follower shows the same view at the same time.
 *
 * Moves of one mission run one at a time (a per-mission queue), so two quick presses never
 * interleave. Presence (who can take the chair, how many walls follow) is tracked per socket.
 */
import { isoDateAt } from '#lib/board/dates.ts';
import {
	meetingRooms,
	type FocusInput,
	type HandoverInput,
	type MeetingPerson,
	type MeetingRecord,
	type MeetingState,
	type PauseInput,
	type Playlist,
	type StartMeetingInput
} from '#lib/protocol/meeting.ts';
import type { Logger } from '../log.ts';
import type { RoomServer } from '../rooms/room-server.ts';
import type { Store } from '../store/store.ts';
import { MeetingError } from './meeting-errors.ts';
import { MeetingRecords, newMeetingId, Playlists } from './meeting-records.ts';
import { focus, pause, positionOf, stateFromRecord, step, withPlaylist } from './meeting-state.ts';
import type { MissionScope } from './mission-scope.ts';

/** Who asks: their id and name, and whether they are a Missions Unit lead. */
export interface Actor extends MeetingPerson {
	lead: boolean;
}

/** One socket in a mission room, as meeting mode sees it. */
export interface Presence {
	person: MeetingPerson;
	wall: boolean;
	canChair: boolean;
}

interface LiveMeeting {
	state: MeetingState;
	timer: NodeJS.Timeout | undefined;
	/** A save is running; `dirty` asks for one more after it. */
	saving: Promise<void> | undefined;
	dirty: boolean;
}

export interface MeetingServiceOptions {
	store: Store;
	log: Logger;
	/** socket.io, once the backend is attached to an HTTP server. */
	io: () => RoomServer;
	now?: () => number;
}

export class MeetingService {
	readonly records: MeetingRecords;
	readonly playlists: Playlists;
	#log: Logger;
	#io: () => RoomServer;
	#now: () => number;
	#live = new Map<string, LiveMeeting>();
	/** Missions whose running meeting (if any) has been looked up in the store. */
	#resumed = new Map<string, Promise<void>>();
	#queues = new Map<string, Promise<unknown>>();
	#presence = new Map<string, Map<string, Presence>>();
	#lastSeq = 0;
	#closed = false;

	constructor(options: MeetingServiceOptions) {
		this.records = new MeetingRecords(options.store);
		this.playlists = new Playlists(options.store);
		this.#log = options.log;
		this.#io = options.io;
		this.#now = options.now ?? Date.now;
	}

	/** The running meeting of a mission (resumed from the store after a restart), or null. */
	async current(missionId: string): Promise<MeetingState | null> {
		await this.#resume(missionId);
		return this.#live.get(missionId)?.state ?? null;
	}

	start(actor: Actor, scope: MissionScope, input: StartMeetingInput): Promise<MeetingState> {
		return this.#serial(input.missionId, async () => {
			if (!scope.canChair) throw new MeetingError('forbidden', 'only a lead or an editor of this mission can chair a meeting');
			await this.#resume(input.missionId);
			if (this.#live.has(input.missionId)) throw new MeetingError('meeting_running', 'a meeting of this mission is already running: join it, or ask its chair to end it');
			const boardId = input.boardId ?? scope.boards.find((board) => scope.writable.has(board.id))?.id ?? scope.boards[0]?.id;
			if (!boardId || !scope.boards.some((board) => board.id === boardId)) throw new MeetingError('not_found', 'the mission has no board to record decisions and actions on');
			const now = this.#now();
			const previous = await this.records.previous(input.missionId, input.forum);
			const playlist = await this.playlists.get(input.missionId);
			const person = { id: actor.id, name: actor.name };
			const date = input.date ?? isoDateAt(now);
			const first = playlist.items[0]!;
			const record: MeetingRecord = {
				id: newMeetingId(),
				missionId: input.missionId,
				forum: input.forum,
				title: input.title ?? `${input.forum} — ${date}`,
				date,
				boardId,
				chair: person,
				startedBy: person,
				startedAt: now,
				endedAt: null,
				previousMeetingId: previous?.id ?? null,
				reviews: [],
				captured: [],
				position: { index: 0, view: first.view, focus: null, paused: false }
			};
			await this.records.create(record);
			const live = this.#install(stateFromRecord(record, playlist.items, this.#seq(), now));
			this.#withPresence(live);
			this.#broadcast(live.state);
			this.#log.info({ meeting: record.id, mission: record.missionId, chair: actor.id }, 'meeting started');
			return live.state;
		});
	}

	end(actor: Actor, missionId: string): Promise<null> {
		return this.#serial(missionId, async () => {
			const live = await this.#require(missionId);
			if (live.state.chair.id !== actor.id && !actor.lead) throw new MeetingError('not_chair', 'only the chair or a lead can end the meeting');
			clearTimeout(live.timer);
			this.#live.delete(missionId);
			await live.saving;
			await this.records.update(live.state.meetingId, (current) => ({ ...current, endedAt: this.#now(), chair: live.state.chair, position: positionOf(live.state) }));
			this.#io().to(meetingRooms.mission(missionId)).emit('meeting:state', { missionId, meeting: null });
			this.#log.info({ meeting: live.state.meetingId, by: actor.id }, 'meeting ended');
			return null;
		});
	}

	focus(actor: Actor, input: FocusInput): Promise<MeetingState> {
		return this.#chairMove(actor, input.missionId, (state, stamp) => focus(state, input.view, input.focus ?? null, stamp));
	}

	next(actor: Actor, missionId: string): Promise<MeetingState> {
		return this.#chairMove(actor, missionId, (state, stamp) => step(state, 1, stamp));
	}

	prev(actor: Actor, missionId: string): Promise<MeetingState> {
		return this.#chairMove(actor, missionId, (state, stamp) => step(state, -1, stamp));
	}

	pause(actor: Actor, input: PauseInput): Promise<MeetingState> {
		return this.#chairMove(actor, input.missionId, (state, stamp) => pause(state, input.paused, stamp));
	}

	/**
	 * Hands the chair to another connected person who may chair. The chair can always hand over; a
	 * lead can take or give the chair when the chair is no longer connected (a meeting never gets stuck).
	 */
	handover(actor: Actor, input: HandoverInput): Promise<MeetingState> {
		return this.#serial(input.missionId, async () => {
			const live = await this.#require(input.missionId);
			const present = [...(this.#presence.get(input.missionId)?.values() ?? [])];
			const chairPresent = present.some((entry) => entry.person.id === live.state.chair.id);
			if (live.state.chair.id !== actor.id && !(actor.lead && !chairPresent)) {
				throw new MeetingError('not_chair', 'only the chair can hand over control');
			}
			const target = present.find((entry) => entry.person.id === input.to && !entry.wall);
			if (!target) throw new MeetingError('not_connected', 'that person is not connected to this meeting');
			if (!target.canChair) throw new MeetingError('forbidden', `${target.person.name} cannot chair: only leads and editors of this mission can`);
			return this.#apply(live, { ...live.state, chair: target.person, seq: this.#seq(), changedAt: this.#now() });
		});
	}

	/** A lead changed the playlist: a running meeting carries on with the new one. */
	playlistChanged(playlist: Playlist): Promise<void> {
		this.#io().to(meetingRooms.mission(playlist.missionId)).emit('playlist:changed', playlist);
		return this.#serial(playlist.missionId, async () => {
			const live = this.#live.get(playlist.missionId);
			if (live) this.#apply(live, withPlaylist(live.state, playlist.items, this.#stamp()));
		});
	}

	/** A socket joined a mission room (or left it: `presence` undefined). Updates the meeting's presence. */
	setPresence(missionId: string, socketId: string, presence: Presence | undefined): void {
		let sockets = this.#presence.get(missionId);
		if (presence) {
			if (!sockets) this.#presence.set(missionId, (sockets = new Map()));
			sockets.set(socketId, presence);
		} else if (sockets) {
			sockets.delete(socketId);
			if (sockets.size === 0) this.#presence.delete(missionId);
		}
		const live = this.#live.get(missionId);
		if (!live) return;
		const before = JSON.stringify([live.state.participants, live.state.walls]);
		this.#withPresence(live);
		if (JSON.stringify([live.state.participants, live.state.walls]) !== before) this.#broadcast(live.state);
	}

	/** Stops every rotation timer and waits for pending saves (the backend is closing). Idempotent. */
	async close(): Promise<void> {
		this.#closed = true;
		for (const live of this.#live.values()) clearTimeout(live.timer);
		await Promise.allSettled([...this.#live.values()].map((live) => live.saving));
	}

	// ── internals ───────────────────────────────────────────────────────────

	#seq(): number {
		this.#lastSeq = Math.max(this.#lastSeq + 1, this.#now());
		return this.#lastSeq;
	}

	#stamp(): { seq: number; now: number } {
		return { seq: this.#seq(), now: this.#now() };
	}

	#serial<T>(missionId: string, fn: () => Promise<T>): Promise<T> {
		const previous = this.#queues.get(missionId) ?? Promise.resolve();
		const run = previous.then(fn, fn);
		const settled = run.then(
			() => undefined,
			() => undefined
		);
		this.#queues.set(missionId, settled);
		void settled.then(() => {
			if (this.#queues.get(missionId) === settled) this.#queues.delete(missionId);
		});
		return run;
	}

	#resume(missionId: string): Promise<void> {
		let resuming = this.#resumed.get(missionId);
		if (!resuming) {
			resuming = (async () => {
				const record = await this.records.running(missionId);
				if (!record || this.#live.has(missionId)) return;
				const playlist = await this.playlists.get(missionId);
				const live = this.#install(stateFromRecord(record, playlist.items, this.#seq(), this.#now()));
				this.#withPresence(live);
				this.#log.info({ meeting: record.id, mission: missionId }, 'meeting resumed from the store');
			})();
			this.#resumed.set(missionId, resuming);
			// A failed lookup (store down) is tried again next time.
			resuming.catch(() => this.#resumed.delete(missionId));
		}
		return resuming;
	}

	async #require(missionId: string): Promise<LiveMeeting> {
		await this.#resume(missionId);
		const live = this.#live.get(missionId);
		if (!live) throw new MeetingError('no_meeting', 'no meeting of this mission is running');
		return live;
	}

	#chairMove(actor: Actor, missionId: string, move: (state: MeetingState, stamp: { seq: number; now: number }) => MeetingState): Promise<MeetingState> {
		return this.#serial(missionId, async () => {
			const live = await this.#require(missionId);
			if (live.state.chair.id !== actor.id) throw new MeetingError('not_chair', `only the chair (${live.state.chair.name}) can move the walls`);
			return this.#apply(live, move(live.state, this.#stamp()));
		});
	}

	#install(state: MeetingState): LiveMeeting {
		const live: LiveMeeting = { state, timer: undefined, saving: undefined, dirty: false };
		this.#live.set(state.missionId, live);
		this.#schedule(live);
		return live;
	}

	/** Sets the new state: broadcast first (walls move now), then the timer, then a coalesced save. */
	#apply(live: LiveMeeting, next: MeetingState): MeetingState {
		live.state = next;
		this.#broadcast(next);
		this.#schedule(live);
		this.#save(live);
		return next;
	}

	#schedule(live: LiveMeeting): void {
		clearTimeout(live.timer);
		live.timer = undefined;
		if (live.state.paused || this.#closed) return;
		const { missionId, meetingId } = live.state;
		live.timer = setTimeout(() => {
			void this.#serial(missionId, async () => {
				const current = this.#live.get(missionId);
				if (current !== live || current.state.meetingId !== meetingId || current.state.paused) return;
				this.#apply(live, step(live.state, 1, this.#stamp()));
			});
		}, live.state.dwellMs);
		live.timer.unref();
	}

	#save(live: LiveMeeting): void {
		if (live.saving) {
			live.dirty = true;
			return;
		}
		const { meetingId } = live.state;
		live.saving = (async () => {
			do {
				live.dirty = false;
				const { chair } = live.state;
				const position = positionOf(live.state);
				try {
					await this.records.update(meetingId, (current) => (current.endedAt === null ? { ...current, chair, position } : undefined));
				} catch (error) {
					this.#log.warn({ err: error, meeting: meetingId }, 'could not save the meeting position; the walls are unaffected');
				}
			} while (live.dirty);
			live.saving = undefined;
		})();
	}

	#withPresence(live: LiveMeeting): void {
		const entries = [...(this.#presence.get(live.state.missionId)?.values() ?? [])];
		const people = new Map<string, MeetingPerson>();
		for (const entry of entries) if (!entry.wall) people.set(entry.person.id, entry.person);
		live.state = { ...live.state, participants: [...people.values()], walls: entries.filter((entry) => entry.wall).length };
	}

	#broadcast(state: MeetingState): void {
		this.#io().to(meetingRooms.mission(state.missionId)).emit('meeting:state', { missionId: state.missionId, meeting: state });
	}
}
