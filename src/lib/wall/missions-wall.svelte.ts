/**
 * The wall across missions, in the browser: its data (re-read every `refreshMs` and whenever the
 * workspace announces a change, keeping the last good answer when the server is away), its
 * freshness ("live", "reconnecting… · as at 09:41", and the full-screen banner after the stale
 * threshold), and its rotation through the screens (the Missions Board view, then each mission),
 * with pause, next and previous. Timers start in `start()` and stop in `destroy()`.
 *
 * Follow the chair: the wall joins the Missions Board meeting's room (`missionsBoardKey`). While
 * that meeting runs, the chair's screen is shown (the view across missions, or the mission the
 * chair moved to, with the record in focus) and the wall's own rotation waits; a laptop may stop
 * following and go back to its own rotation. When the meeting ends the rotation carries on.
 */
import { io, type Socket } from 'socket.io-client';
import { missionsBoardKey, missionsBoardScreen, type MeetingReply, type MeetingState, type RecordFocus } from '../protocol/meeting.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../protocol/room-events.ts';
import { clockTime } from './wall-data.ts';
import { wallDefaults } from './wall-defaults.ts';

export const missionsWallDefaults = { refreshMs: 15_000, joinTimeoutMs: 5_000 } as const;

export class MissionsWall<T extends { state: string }> {
	#data = $state.raw<T>() as T;
	#now = $state(Date.now());
	#lastContact = $state(Date.now());
	#socketUp = $state(false);
	#failing = $state(false);
	#index = $state(0);
	#paused = $state(false);
	#shownAt = Date.now();
	#url: string;
	#secondsPerScreen: number;
	#staleAfterMs: number;
	#screens: (data: T) => number;
	#timer: ReturnType<typeof setInterval> | undefined;
	#lastFetch = 0;
	#fetching = false;
	#socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;
	#missionIds: (data: T) => readonly string[];
	#meeting = $state.raw<MeetingState | null>(null);
	#following = $state(true);
	#announcement = $state('');

	constructor(options: { initial: T; url: string; secondsPerScreen: number; staleAfterMs: number; screens: (data: T) => number; missionIds: (data: T) => readonly string[] }) {
		this.#data = options.initial;
		this.#url = options.url;
		this.#secondsPerScreen = options.secondsPerScreen;
		this.#staleAfterMs = options.staleAfterMs;
		this.#screens = options.screens;
		this.#missionIds = options.missionIds;
	}

	/** The running Missions Board meeting (as this wall may see it), or null. */
	get meeting(): MeetingState | null {
		return this.#meeting;
	}
	/** The chair drives this screen now. */
	get followingChair(): boolean {
		return this.#meeting !== null && this.#following;
	}
	get following(): boolean {
		return this.#following;
	}
	/** The record the chair has in focus, while following. */
	get focus(): RecordFocus | null {
		return this.followingChair ? (this.#meeting?.focus ?? null) : null;
	}
	/** The meeting's missions, in the chair's order, while following (the view across missions shows only these). */
	get meetingMissionIds(): readonly string[] | null {
		return this.followingChair ? (this.#meeting?.missionIds ?? null) : null;
	}
	/** Said politely when the chair takes over or lets go. */
	get announcement(): string {
		return this.#announcement;
	}

	get data(): T {
		return this.#data;
	}
	get index(): number {
		const meeting = this.#meeting;
		if (meeting && this.#following) {
			const screen = missionsBoardScreen(meeting.missionIds, meeting.index);
			return screen.kind === 'board' ? 0 : this.#missionIds(this.#data).indexOf(screen.missionId) + 1;
		}
		return this.#index % Math.max(1, this.#screens(this.#data));
	}
	get paused(): boolean {
		return this.followingChair ? (this.#meeting?.paused ?? false) : this.#paused;
	}
	get secondsLeft(): number {
		return Math.max(0, Math.ceil((this.#shownAt + this.#secondsPerScreen * 1000 - this.#now) / 1000));
	}
	get live(): boolean {
		return this.#socketUp && !this.#failing && this.#now - this.#lastContact < wallDefaults.liveWithinMs;
	}
	get stale(): boolean {
		return this.#now - this.#lastContact > this.#staleAfterMs;
	}
	get label(): string {
		return this.live ? 'Live' : `Reconnecting… · as at ${clockTime(this.#lastContact)}`;
	}
	get since(): string {
		return clockTime(this.#lastContact);
	}

	start(): void {
		this.#timer = setInterval(() => this.#tick(), wallDefaults.tickMs);
		const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ path: '/socket.io/', transports: ['websocket'], withCredentials: true });
		this.#socket = socket;
		socket.on('connect', () => {
			this.#socketUp = true;
			void this.refresh();
		});
		socket.on('disconnect', () => (this.#socketUp = false));
		socket.on('connect_error', () => (this.#socketUp = false));
		socket.on('workspace:changed', () => void this.refresh());
		socket.on('connect', () => void this.#join());
		socket.on('meeting:state', (update) => {
			if (update.missionId !== missionsBoardKey) return;
			this.#lastContact = Date.now();
			this.#setMeeting(update.meeting, false);
		});
	}

	/** Follow the chair again, or go back to this screen's own rotation (a laptop; a wall always follows). */
	toggleFollow(): void {
		this.#following = !this.#following;
		this.#shownAt = Date.now();
		this.#announcement = this.#following ? 'Following the chair' : 'Not following the chair: this screen rotates by itself';
	}

	async #join(): Promise<void> {
		try {
			const reply: MeetingReply = await this.#socket!.timeout(missionsWallDefaults.joinTimeoutMs).emitWithAck('meeting:join', { missionId: missionsBoardKey });
			if (reply.ok) this.#setMeeting(reply.meeting, true);
		} catch {
			// No answer: the next connection joins again; the wall keeps its own rotation meanwhile.
		}
	}

	#setMeeting(next: MeetingState | null, fromJoin: boolean): void {
		const previous = this.#meeting;
		if (!fromJoin && next && previous && next.meetingId === previous.meetingId && next.seq < previous.seq) return;
		this.#meeting = next;
		if (next && !previous) this.#announcement = `The Missions Board meeting has started: following ${next.chair.name}`;
		else if (!next && previous) {
			this.#announcement = 'The Missions Board meeting has ended';
			this.#shownAt = Date.now();
		} else if (next && previous && next.chair.id !== previous.chair.id) this.#announcement = `${next.chair.name} is now in the chair`;
	}

	destroy(): void {
		clearInterval(this.#timer);
		this.#socket?.disconnect();
	}

	next(): void {
		if (this.#chairDrives()) return;
		this.#go(this.index + 1);
	}
	prev(): void {
		if (this.#chairDrives()) return;
		this.#go(this.index - 1 + this.#screens(this.#data));
	}
	togglePause(): void {
		if (this.#chairDrives()) return;
		this.#paused = !this.#paused;
		this.#shownAt = Date.now();
	}

	/** While the chair drives, this screen's own keys do nothing but say so. */
	#chairDrives(): boolean {
		if (!this.followingChair) return false;
		this.#announcement = `${this.#meeting!.chair.name} is in the chair: the screens follow them`;
		return true;
	}

	#go(index: number): void {
		this.#index = index % Math.max(1, this.#screens(this.#data));
		this.#shownAt = Date.now();
	}

	#tick(): void {
		this.#now = Date.now();
		if (!this.followingChair && !this.#paused && this.#now - this.#shownAt >= this.#secondsPerScreen * 1000) this.next();
		if (this.#now - this.#lastFetch >= missionsWallDefaults.refreshMs) void this.refresh();
	}

	/** Re-reads the data; a failure keeps what is shown and lets freshness say so. One at a time. */
	async refresh(): Promise<void> {
		if (this.#fetching) return;
		this.#fetching = true;
		this.#lastFetch = Date.now();
		try {
			const response = await fetch(this.#url, { headers: { accept: 'application/json' }, cache: 'no-store' });
			if (!response.ok && response.status !== 404) throw new Error(`HTTP ${response.status}`);
			this.#data = (await response.json()) as T;
			this.#lastContact = Date.now();
			this.#failing = false;
		} catch {
			this.#failing = true;
		} finally {
			this.#fetching = false;
		}
	}
}
