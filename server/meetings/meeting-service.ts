/**
 * Meeting mode on the server: the live state of a mission's running meeting, sent to the socket.io
 * room `mission:<id>` on every change (each socket as its principal may see it: `MeetingFanout`)
 * and saved to the meeting record. Only the chair
 * moves the walls; the rotation timer runs here, so every wall and follower shows the same view.
 *
 * The meeting record in the store is the source of truth; each instance holds a copy. Every move
 * (and every rotation tick) first checks the copy against the store (one read) and adopts the
 * store's when another instance changed it. After saving a change, the instance tells the others
 * (`MeetingCluster`), which drop their copy and timer and reload it. So only the instance that made
 * the last change rotates; a copy merely loaded from the store waits a little longer than one
 * interval and takes over only when nobody rotated meanwhile (the rotating instance went away, or
 * the server restarted). Two moves at the same moment on two instances: the last write wins.
 *
 * Moves of one mission run one at a time on each instance (a per-mission queue), so two quick
 * presses never interleave. Presence (who can take the chair, how many walls follow) is tracked
 * per socket, for this instance's sockets.
 */
import { isoDateAt } from '#lib/board/dates.ts';
import {
	meetingRooms,
	type AsAtInput,
	type FocusInput,
	type HandoverInput,
	type MeetingPerson,
	type MeetingRecord,
	type MeetingState,
	type PauseInput,
	missionsBoardPlaylist,
	type Playlist,
	type PlaylistItem,
	type StartMeetingInput
} from '#lib/protocol/meeting.ts';
import type { Logger } from '../log.ts';
import type { RoomServer } from '../rooms/room-server.ts';
import type { Store } from '../store/store.ts';
import { MeetingError } from './meeting-errors.ts';
import { MeetingRecords, newMeetingId, Playlists } from './meeting-records.ts';
import { MeetingCluster } from './meeting-cluster.ts';
import { MeetingFanout } from './meeting-fanout.ts';
import { asAt, focus, pause, positionKey, positionOf, stateFromRecord, step, withPlaylist } from './meeting-state.ts';
import type { BoardScope, MissionRecords, MissionScope } from './mission-scope.ts';

/** Who asks: their id and name, and whether they are a Missions Unit lead. */
export interface Actor extends MeetingPerson {
	lead: boolean;
}

/** One socket in a mission room, as meeting mode sees it. */
export interface Presence {
	person: MeetingPerson;
	wall: boolean;
	canChair: boolean;
	/** The mission's boards this socket may read (a meeting's chair must be able to read its board). */
	boardIds: ReadonlySet<string>;
}

export const meetingServiceDefaults = {
	/** A copy loaded from the store waits one interval plus this before it rotates itself. */
	takeoverGraceMs: 2_000,
	/** Plus up to this much at random, so two such copies do not take over at the same moment. */
	takeoverJitterMs: 1_000
} as const;

interface LiveMeeting {
	state: MeetingState;
	timer: NodeJS.Timeout | undefined;
	/** This instance made the last change: it rotates. A copy loaded from the store only stands by. */
	owned: boolean;
	/** The chair and position as this instance last read or wrote them (`positionKey`). */
	stored: string;
	/** A save is running; `dirty` asks for one more after it. */
	saving: Promise<void> | undefined;
	dirty: boolean;
	/** People this instance has written into the record's attendees (so each is written once). */
	attended: Set<string>;
}

export interface MeetingServiceOptions {
	store: Store;
	workspace: MissionRecords;
	log: Logger;
	/** socket.io, once the backend is attached to an HTTP server. */
	io: RoomServer;
	now?: () => number;
	/** After a meeting started and its record was saved (the boards' readings as at its start). */
	onStarted?: (meeting: MeetingRecord) => void;
	/** After a meeting ended and its record was saved (webhooks, the boards' readings as at its end). */
	onEnded?: (meeting: MeetingRecord) => void;
	random?: () => number;
	takeoverGraceMs?: number;
	takeoverJitterMs?: number;
}

export class MeetingService {
	readonly records: MeetingRecords;
	readonly playlists: Playlists;
	/** Each socket of a mission room gets the meeting as its principal may see it. */
	readonly fanout: MeetingFanout;
	#log: Logger;
	#io: RoomServer;
	#now: () => number;
	#random: () => number;
	#onStarted: ((meeting: MeetingRecord) => void) | undefined;
	#onEnded: ((meeting: MeetingRecord) => void) | undefined;
	#takeoverMs: { grace: number; jitter: number };
	#cluster: MeetingCluster;
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
		this.fanout = new MeetingFanout({ workspace: options.workspace, io: options.io, log: options.log });
		this.#log = options.log;
		this.#io = options.io;
		this.#now = options.now ?? Date.now;
		this.#onStarted = options.onStarted;
		this.#onEnded = options.onEnded;
		this.#random = options.random ?? Math.random;
		this.#takeoverMs = {
			grace: options.takeoverGraceMs ?? meetingServiceDefaults.takeoverGraceMs,
			jitter: options.takeoverJitterMs ?? meetingServiceDefaults.takeoverJitterMs
		};
		this.#cluster = new MeetingCluster({ io: options.io, log: options.log, onInvalidate: (missionId) => this.#invalidated(missionId) });
	}

	/** The running meeting of a mission as the store has it (resumed after a restart), or null. */
	current(missionId: string): Promise<MeetingState | null> {
		return this.#serial(missionId, async () => (await this.#sync(missionId))?.state ?? null);
	}

	/**
	 * Starts a meeting. A Missions Board meeting runs under `missionsBoardKey` with `missionIds`,
	 * the missions it spans: its screens are the view across missions and one per mission.
	 */
	start(actor: Actor, scope: BoardScope, input: StartMeetingInput, missionIds: readonly string[] = []): Promise<MeetingState> {
		return this.#serial(input.missionId, async () => {
			if (!scope.canChair) throw new MeetingError('forbidden', missionIds.length > 0 ? 'only a Missions Unit lead can chair the Missions Board' : 'only a lead or an editor of this mission can chair a meeting');
			// Look again: another instance may have started one since this one last looked.
			if (!this.#live.has(input.missionId)) this.#resumed.delete(input.missionId);
			if (await this.#sync(input.missionId)) throw new MeetingError('meeting_running', 'a meeting of this mission is already running: join it, or ask its chair to end it');
			const boardId = input.boardId ?? scope.boards.find((board) => scope.writable.has(board.id))?.id ?? scope.boards[0]?.id;
			if (!boardId || !scope.boards.some((board) => board.id === boardId)) throw new MeetingError('not_found', 'the mission has no board to record decisions and actions on');
			const now = this.#now();
			const previous = await this.records.previous(input.missionId, input.forum);
			const playlist = await this.#playlistOf({ missionId: input.missionId, missionIds: [...missionIds] });
			const person = { id: actor.id, name: actor.name };
			const date = input.date ?? isoDateAt(now);
			const first = playlist.items[0]!;
			const record: MeetingRecord = {
				id: newMeetingId(),
				missionId: input.missionId,
				missionIds: [...missionIds],
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
				attendees: [],
				position: { index: 0, view: first.view, focus: null, paused: false }
			};
			await this.records.create(record);
			this.#onStarted?.(record);
			const live = this.#install(stateFromRecord(record, playlist.items, this.#seq(), now), record, true);
			this.#broadcast(live.state);
			this.#cluster.invalidate(record.missionId);
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
			const ended = await this.records.update(live.state.meetingId, (current) => ({ ...current, endedAt: this.#now(), chair: live.state.chair, position: positionOf(live.state) }));
			this.#onEnded?.(ended);
			void this.fanout.send(missionId, null);
			this.#cluster.invalidate(missionId);
			this.#log.info({ meeting: live.state.meetingId, by: actor.id }, 'meeting ended');
			return null;
		});
	}

	focus(actor: Actor, input: FocusInput): Promise<MeetingState> {
		return this.#chairMove(actor, input.missionId, (state, stamp) => focus(state, input.view, input.focus ?? null, stamp, input.screen));
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

	/** The chair shows the boards as they stood at a past moment on every wall, or (null) live again. */
	asAt(actor: Actor, input: AsAtInput): Promise<MeetingState> {
		const at = input.at === null ? null : Date.parse(input.at);
		if (at !== null && at > this.#now()) return Promise.reject(new MeetingError('invalid_payload', 'as at: the moment must not be in the future'));
		return this.#chairMove(actor, input.missionId, (state, stamp) => asAt(state, at, stamp));
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
			if (!target.boardIds.has(live.state.boardId)) throw new MeetingError('not_connected', 'that person is not connected to this meeting');
			return this.#apply(live, { ...live.state, chair: target.person, seq: this.#seq(), changedAt: this.#now() });
		});
	}

	/** A lead changed the playlist: a running meeting carries on with the new one. */
	playlistChanged(playlist: Playlist): Promise<void> {
		this.#io.to(meetingRooms.mission(playlist.missionId)).emit('playlist:changed', playlist);
		return this.#serial(playlist.missionId, async () => {
			const live = await this.#sync(playlist.missionId);
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
		this.#resumed.clear();
		for (const live of this.#live.values()) clearTimeout(live.timer);
		await Promise.allSettled([...this.#live.values()].map((live) => live.saving));
	}

	// ── internals ───────────────────────────────────────────────────────────

	/** A mission's playlist, or a Missions Board meeting's screens (one per mission it spans). */
	async #playlistOf(record: Pick<MeetingRecord, 'missionId' | 'missionIds'>): Promise<{ items: PlaylistItem[] }> {
		if (record.missionIds.length > 0) return { items: missionsBoardPlaylist(record.missionIds) };
		return this.playlists.get(record.missionId);
	}

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

	/** Loads the mission's running meeting from the store, once (until dropped). Runs inside `#serial`. */
	#resume(missionId: string, reloading?: { meetingId: string }): Promise<void> {
		let resuming = this.#resumed.get(missionId);
		if (!resuming) {
			resuming = (async () => {
				// A reload reads the one meeting it held; a first use looks through the mission's meetings.
				const held = reloading ? await this.records.get(reloading.meetingId) : undefined;
				const record = held?.endedAt === null ? held : await this.records.running(missionId);
				if (!record || this.#live.has(missionId) || this.#closed) return;
				const playlist = await this.#playlistOf(record);
				this.#install(stateFromRecord(record, playlist.items, this.#seq(), this.#now()), record, false);
				if (!reloading) this.#log.info({ meeting: record.id, mission: missionId }, 'meeting resumed from the store');
				else this.#log.debug({ meeting: record.id, mission: missionId }, 'meeting reloaded: another instance changed it');
			})();
			this.#resumed.set(missionId, resuming);
			// A failed lookup (store down) is tried again next time.
			resuming.catch(() => this.#resumed.delete(missionId));
		}
		return resuming;
	}

	/**
	 * This instance's copy of the mission's running meeting, checked against the store: a meeting
	 * ended elsewhere is dropped, one changed elsewhere is adopted (as a copy that stands by).
	 * Runs inside `#serial`.
	 */
	async #sync(missionId: string): Promise<LiveMeeting | undefined> {
		await this.#resume(missionId);
		const live = this.#live.get(missionId);
		if (!live) return undefined;
		await live.saving;
		const record = await this.records.get(live.state.meetingId);
		if (this.#live.get(missionId) !== live) return this.#live.get(missionId);
		if (!record || record.endedAt !== null) {
			this.#drop(missionId);
			return undefined;
		}
		if (positionKey(record.chair, record.position) === live.stored) return live;
		const playlist = await this.#playlistOf(record);
		return this.#install(stateFromRecord(record, playlist.items, this.#seq(), this.#now()), record, false);
	}

	async #require(missionId: string): Promise<LiveMeeting> {
		const live = await this.#sync(missionId);
		if (!live) throw new MeetingError('no_meeting', 'no meeting of this mission is running');
		return live;
	}

	/** Forgets the mission's copy and stops its timer; the next use loads it from the store. */
	#drop(missionId: string): void {
		const live = this.#live.get(missionId);
		if (live) clearTimeout(live.timer);
		this.#live.delete(missionId);
		this.#resumed.delete(missionId);
	}

	/** Another instance changed the meeting: drop the copy; reload it at once when sockets here follow it. */
	#invalidated(missionId: string): void {
		if (this.#closed) return;
		this.#serial(missionId, async () => {
			const meetingId = this.#live.get(missionId)?.state.meetingId;
			this.#drop(missionId);
			if (this.#presence.has(missionId) && !this.#closed) await this.#resume(missionId, meetingId ? { meetingId } : undefined);
		}).catch((error: unknown) => this.#log.warn({ err: error, mission: missionId }, 'could not reload the meeting changed by another instance; the next move will'));
	}

	#chairMove(actor: Actor, missionId: string, move: (state: MeetingState, stamp: { seq: number; now: number }) => MeetingState): Promise<MeetingState> {
		return this.#serial(missionId, async () => {
			const live = await this.#require(missionId);
			if (live.state.chair.id !== actor.id) throw new MeetingError('not_chair', `only the chair (${live.state.chair.name}) can move the walls`);
			return this.#apply(live, move(live.state, this.#stamp()));
		});
	}

	/** Holds `state` (read from or just written as `record`) as this instance's copy. */
	#install(state: MeetingState, record: MeetingRecord, owned: boolean): LiveMeeting {
		clearTimeout(this.#live.get(state.missionId)?.timer);
		const live: LiveMeeting = { state, timer: undefined, owned, stored: positionKey(record.chair, record.position), saving: undefined, dirty: false, attended: new Set(record.attendees.map((person) => person.id)) };
		this.#live.set(state.missionId, live);
		this.#withPresence(live);
		this.#schedule(live);
		return live;
	}

	/** Sets the new state: broadcast first (walls move now), then the timer, then a coalesced save. */
	#apply(live: LiveMeeting, next: MeetingState): MeetingState {
		live.state = next;
		live.owned = true;
		this.#broadcast(next);
		this.#schedule(live);
		this.#save(live);
		return next;
	}

	#schedule(live: LiveMeeting): void {
		clearTimeout(live.timer);
		live.timer = undefined;
		if (live.state.paused || this.#closed) return;
		const { missionId } = live.state;
		const delay = live.owned ? live.state.dwellMs : live.state.dwellMs + this.#takeoverMs.grace + Math.floor(this.#random() * this.#takeoverMs.jitter);
		live.timer = setTimeout(() => {
			this.#serial(missionId, () => this.#tick(live)).catch((error: unknown) => {
				this.#log.warn({ err: error, mission: missionId }, 'rotation tick failed; trying again after the interval');
				if (this.#live.get(missionId) === live) this.#schedule(live);
			});
		}, delay);
		live.timer.unref();
	}

	/** One rotation step, unless the copy is gone, paused, or another instance changed the meeting meanwhile. */
	async #tick(live: LiveMeeting): Promise<void> {
		const { missionId } = live.state;
		if (this.#closed || this.#live.get(missionId) !== live || live.state.paused) return;
		if ((await this.#sync(missionId)) !== live || live.state.paused) return;
		this.#apply(live, step(live.state, 1, this.#stamp()));
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
					const saved = await this.records.update(meetingId, (current) => (current.endedAt === null ? { ...current, chair, position } : undefined));
					live.stored = positionKey(saved.chair, saved.position);
					if (saved.endedAt === null) this.#cluster.invalidate(live.state.missionId);
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
		this.#recordAttendees(live);
	}

	/**
	 * Adds whoever is connected and not yet in the meeting's attendees to its record: the past
	 * meeting's page lists who was there. Each instance adds its own sockets' people (a
	 * compare-and-set merge, so instances never overwrite each other); walls are not people.
	 */
	#recordAttendees(live: LiveMeeting): void {
		const arrived = live.state.participants.filter((person) => !live.attended.has(person.id));
		if (arrived.length === 0) return;
		for (const person of arrived) live.attended.add(person.id);
		const { meetingId } = live.state;
		this.records
			.update(meetingId, (current) => {
				if (current.endedAt !== null) return undefined;
				const known = new Set(current.attendees.map((person) => person.id));
				const added = arrived.filter((person) => !known.has(person.id));
				return added.length === 0 ? undefined : { ...current, attendees: [...current.attendees, ...added] };
			})
			.catch((error: unknown) => {
				for (const person of arrived) live.attended.delete(person.id);
				this.#log.warn({ err: error, meeting: meetingId }, 'could not record who attended; will try again on the next arrival');
			});
	}

	#broadcast(state: MeetingState): void {
		void this.fanout.send(state.missionId, state);
	}
}
