/**
 * The socket.io side of a wall or a follower: joins the mission's room, keeps its running
 * meeting and playlist current, proves contact with a heartbeat (the server answers with its
 * clock; an unanswered one reopens the socket), and comes back by itself with jittered back-off
 * (socket.io's own, capped at `backoffMaxMs`; and ours after the server dropped us on a restart).
 *
 * A refused handshake is only called "revoked" once a plain HTTP request with the same
 * credential confirms it (401): a server whose store is briefly down must not blank the wall.
 * The chair's commands go through here too (`next`, `focus`, …), each answered by the server.
 */
import { io, type Socket } from 'socket.io-client';
import type { FocusInput, HandoverInput, MeetingReply, MeetingState, Playlist, StartMeetingInput } from '../protocol/meeting.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../protocol/room-events.ts';
import { backoffDelay } from './backoff.ts';
import type { Freshness } from './freshness.svelte.ts';
import { wallDefaults } from './wall-defaults.ts';

export type MeetingLinkOptions = {
	missionId: string;
	/** A wall-display token; without one the browser's session cookie is used. */
	token?: string;
	freshness: Freshness;
	/** The credential no longer works (confirmed): the wall says so and stops. */
	onRevoked: () => void;
	/** The meeting changed (started, moved, ended), with the state before. */
	onMeeting?: (next: MeetingState | null, previous: MeetingState | null) => void;
	onPlaylist?: (playlist: Playlist) => void;
	/** The socket (re)connected, or a mission of the workspace changed (a new judgement): what the wall reads over HTTP may have moved. */
	onMissionsChanged?: () => void;
};

const source = 'socket';
export const commandTimeoutMs = 5_000;

export class MeetingLink {
	#socket: Socket<ServerToClientEvents, ClientToServerEvents>;
	#options: MeetingLinkOptions;
	#meeting = $state.raw<MeetingState | null>(null);
	#connected = $state(false);
	#heartbeat: ReturnType<typeof setInterval>;
	#retry: ReturnType<typeof setTimeout> | undefined;
	#kicks = 0;
	#destroyed = false;

	constructor(options: MeetingLinkOptions) {
		this.#options = options;
		const { freshness } = options;
		freshness.setConnected(source, false);
		this.#socket = io({
			path: '/socket.io/',
			transports: ['websocket'],
			auth: options.token ? { token: options.token } : {},
			reconnectionDelay: wallDefaults.backoffBaseMs,
			reconnectionDelayMax: wallDefaults.backoffMaxMs,
			randomizationFactor: 0.5
		});
		const socket = this.#socket;
		socket.on('connect', () => {
			this.#connected = true;
			this.#kicks = 0;
			freshness.setConnected(source, true);
			freshness.contact(source);
			void this.#join();
			options.onMissionsChanged?.();
		});
		socket.on('workspace:changed', (change) => {
			if (change.kind === 'missions') options.onMissionsChanged?.();
		});
		socket.on('disconnect', (reason) => {
			this.#connected = false;
			freshness.setConnected(source, false);
			// The server dropped us (a restart, or our access ended): socket.io will not retry by itself.
			if (reason === 'io server disconnect') this.#retryLater();
		});
		socket.on('connect_error', (error) => {
			const code = (error as Error & { data?: { code?: string } }).data?.code;
			if (code === 'unauthenticated' || code === 'revoked' || error.message === 'unauthenticated') void this.#confirmRevoked();
		});
		socket.on('session:ended', (ended) => {
			if (ended.reason === 'revoked' || ended.reason === 'removed') void this.#confirmRevoked();
		});
		socket.on('meeting:state', (state) => {
			freshness.contact(source);
			if (state.missionId !== options.missionId) return;
			this.#setMeeting(state.meeting);
		});
		socket.on('playlist:changed', (playlist) => {
			freshness.contact(source);
			if (playlist.missionId === options.missionId) options.onPlaylist?.(playlist);
		});
		socket.io.on('ping', () => freshness.contact(source));
		this.#heartbeat = setInterval(() => this.#beat(), wallDefaults.heartbeatMs);
	}

	get meeting(): MeetingState | null {
		return this.#meeting;
	}

	get connected(): boolean {
		return this.#connected;
	}

	/** Reopens the socket now (after a sleep, or when the network returns). */
	reconnect(): void {
		clearTimeout(this.#retry);
		this.#socket.disconnect();
		this.#socket.connect();
	}

	// ── the chair's commands ────────────────────────────────────────────────

	start(input: Omit<StartMeetingInput, 'missionId'>): Promise<MeetingReply> {
		return this.#command('meeting:start', { ...input, missionId: this.#options.missionId });
	}

	end(): Promise<MeetingReply> {
		return this.#command('meeting:end', { missionId: this.#options.missionId });
	}

	next(): Promise<MeetingReply> {
		return this.#command('meeting:next', { missionId: this.#options.missionId });
	}

	prev(): Promise<MeetingReply> {
		return this.#command('meeting:prev', { missionId: this.#options.missionId });
	}

	focus(input: Omit<FocusInput, 'missionId'>): Promise<MeetingReply> {
		return this.#command('meeting:focus', { ...input, missionId: this.#options.missionId });
	}

	pause(paused: boolean): Promise<MeetingReply> {
		return this.#command('meeting:pause', { missionId: this.#options.missionId, paused });
	}

	/** Shows the boards as they stood at `at` (ISO date-time) on every wall; null: back to live. */
	asAt(at: string | null): Promise<MeetingReply> {
		return this.#command('meeting:as-at', { missionId: this.#options.missionId, at });
	}

	handover(to: HandoverInput['to']): Promise<MeetingReply> {
		return this.#command('meeting:handover', { missionId: this.#options.missionId, to });
	}

	destroy(): void {
		this.#destroyed = true;
		clearInterval(this.#heartbeat);
		clearTimeout(this.#retry);
		this.#options.freshness.remove(source);
		this.#socket.disconnect();
	}

	// ── internals ───────────────────────────────────────────────────────────

	async #command(event: 'meeting:start' | 'meeting:end' | 'meeting:next' | 'meeting:prev' | 'meeting:focus' | 'meeting:pause' | 'meeting:handover' | 'meeting:as-at', payload: unknown): Promise<MeetingReply> {
		if (!this.#socket.connected) return { ok: false, error: { code: 'offline', message: 'not connected to the server; trying again by itself' } };
		try {
			const socket = this.#socket.timeout(commandTimeoutMs) as unknown as { emitWithAck(event: string, payload: unknown): Promise<MeetingReply> };
			const reply = await socket.emitWithAck(event, payload);
			if (reply.ok) this.#setMeeting(reply.meeting);
			return reply;
		} catch {
			return { ok: false, error: { code: 'timeout', message: 'the server did not answer in time' } };
		}
	}

	async #join(): Promise<void> {
		try {
			const reply = await this.#socket.timeout(commandTimeoutMs).emitWithAck('meeting:join', { missionId: this.#options.missionId });
			this.#options.freshness.contact(source);
			if (reply.ok) this.#setMeeting(reply.meeting, true);
		} catch {
			// No answer: the heartbeat will notice and reopen the socket.
		}
	}

	#setMeeting(next: MeetingState | null, fromJoin = false): void {
		const previous = this.#meeting;
		// Ignore a late, older state of the same meeting (a join reply always wins: it is the server's current view).
		if (!fromJoin && next && previous && next.meetingId === previous.meetingId && next.seq < previous.seq) return;
		if (next === previous || (next && previous && next.seq === previous.seq && next.meetingId === previous.meetingId)) return;
		this.#meeting = next;
		this.#options.onMeeting?.(next, previous);
	}

	#beat(): void {
		if (!this.#socket.connected) return;
		this.#socket.timeout(wallDefaults.heartbeatTimeoutMs).emit('wall:heartbeat', (error: Error | null) => {
			if (this.#destroyed) return;
			if (!error) return this.#options.freshness.contact(source);
			// No answer: the connection is dead without knowing it (a sleep, a dropped network). Reopen it.
			if (this.#socket.connected) this.reconnect();
		});
	}

	#retryLater(): void {
		clearTimeout(this.#retry);
		this.#retry = setTimeout(() => {
			if (!this.#destroyed && !this.#socket.connected) this.#socket.connect();
		}, backoffDelay(this.#kicks++));
	}

	/** Asks over plain HTTP whether the credential still works: only a 401 means revoked. */
	async #confirmRevoked(): Promise<void> {
		const headers: Record<string, string> = this.#options.token ? { authorization: `Bearer ${this.#options.token}` } : {};
		try {
			const response = await fetch(`/api/playlists/${encodeURIComponent(this.#options.missionId)}`, { headers, cache: 'no-store' });
			if (response.status === 401 || response.status === 404) {
				this.#options.onRevoked();
				return;
			}
		} catch {
			// The server is unreachable: that is not a revocation.
		}
		this.#retryLater();
	}
}
