/**
 * The wall across missions, in the browser: its data (re-read every `refreshMs` and whenever the
 * workspace announces a change, keeping the last good answer when the server is away), its
 * freshness ("live", "reconnecting… · as at 09:41", and the full-screen banner after the stale
 * threshold), and its rotation through the screens (the Missions Board view, then each mission),
 * with pause, next and previous. Timers start in `start()` and stop in `destroy()`.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../protocol/room-events.ts';
import { clockTime } from './wall-data.ts';
import { wallDefaults } from './wall-defaults.ts';

export const missionsWallDefaults = { refreshMs: 15_000 } as const;

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

	constructor(options: { initial: T; url: string; secondsPerScreen: number; staleAfterMs: number; screens: (data: T) => number }) {
		this.#data = options.initial;
		this.#url = options.url;
		this.#secondsPerScreen = options.secondsPerScreen;
		this.#staleAfterMs = options.staleAfterMs;
		this.#screens = options.screens;
	}

	get data(): T {
		return this.#data;
	}
	get index(): number {
		return this.#index % Math.max(1, this.#screens(this.#data));
	}
	get paused(): boolean {
		return this.#paused;
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
	}

	destroy(): void {
		clearInterval(this.#timer);
		this.#socket?.disconnect();
	}

	next(): void {
		this.#go(this.index + 1);
	}
	prev(): void {
		this.#go(this.index - 1 + this.#screens(this.#data));
	}
	togglePause(): void {
		this.#paused = !this.#paused;
		this.#shownAt = Date.now();
	}

	#go(index: number): void {
		this.#index = index % Math.max(1, this.#screens(this.#data));
		this.#shownAt = Date.now();
	}

	#tick(): void {
		this.#now = Date.now();
		if (!this.#paused && this.#now - this.#shownAt >= this.#secondsPerScreen * 1000) this.next();
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
