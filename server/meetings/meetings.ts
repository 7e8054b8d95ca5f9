/**
 * Meeting mode and the wall screen's server side, as one part of the backend: the live meeting
 * service (socket.io), meeting capture (board documents), meetings and playlists in the store.
 * Its socket.io handlers are added to `io` here; pages and the JSON API use the rest.
 */
import type { Principal } from '../auth/principal.ts';
import type { DocHub } from '../hub/doc-hub.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { RoomServer } from '../rooms/room-server.ts';
import type { Store } from '../store/store.ts';
import { isLead } from '../auth/policy.ts';
import { MeetingCapture } from './meeting-capture.ts';
import { meetingHandlers } from './meeting-handlers.ts';
import { MeetingError } from './meeting-errors.ts';
import { MeetingService, type Actor } from './meeting-service.ts';
import { meetingRecordFor, readableFor } from './meeting-visibility.ts';
import { listBoards, missionScope, missionsBoardScope, type MissionRecords, type MissionScope, type MissionsBoardScope } from './mission-scope.ts';
import { wallContext, type WallContext } from './wall-context.ts';
import { missionsBoardForum, missionsBoardKey, type MeetingRecord, type MeetingState, type Playlist, type PlaylistInput, type StartMeetingInput, type StartMissionsBoardInput } from '#lib/protocol/meeting.ts';

export interface MeetingsOptions {
	store: Store;
	/** The workspace's records (its catalogue). */
	workspace: MissionRecords;
	hub: DocHub;
	log: Logger;
	metrics?: Metrics;
	io: RoomServer;
	now?: () => number;
	/** After a meeting started on this instance. */
	onStarted?: (meeting: MeetingRecord) => void;
	/** After a meeting ended on this instance (webhooks). */
	onEnded?: (meeting: MeetingRecord) => void;
}

export class Meetings {
	readonly service: MeetingService;
	readonly capture: MeetingCapture;
	#workspace: MissionRecords;

	constructor(options: MeetingsOptions) {
		this.#workspace = options.workspace;
		this.service = new MeetingService({ store: options.store, workspace: options.workspace, log: options.log, io: options.io, now: options.now, onStarted: options.onStarted, onEnded: options.onEnded });
		this.capture = new MeetingCapture({ store: options.store, workspace: options.workspace, hub: options.hub, records: this.service.records, now: options.now });
		options.io.on('connection', meetingHandlers({ service: this.service, workspace: options.workspace, log: options.log, metrics: options.metrics }));
	}

	get records() {
		return this.service.records;
	}

	get playlists() {
		return this.service.playlists;
	}

	/** What `principal` may see and do in a mission; undefined when they cannot see it. */
	scope(principal: Principal, missionId: string): Promise<MissionScope | undefined> {
		return missionScope(this.#workspace, principal, missionId);
	}

	/** What a wall of the mission needs besides the board documents (the principal's default mission when none is named). */
	wallContext(principal: Principal, missionId?: string): Promise<WallContext | undefined> {
		return wallContext({ workspace: this.#workspace, records: this.records, playlists: this.playlists }, principal, missionId);
	}

	/** Starts a meeting of the mission with `principal` in the chair (as `meeting:start` does). */
	async start(principal: Principal, input: StartMeetingInput): Promise<MeetingState> {
		const scope = await this.scope(principal, input.missionId);
		if (!scope) throw new MeetingError('not_found', 'no such mission, or you cannot see it');
		return this.service.start(actorOf(principal), scope, input);
	}

	/**
	 * Starts the Missions Board meeting across `input.missionIds` (every mission the chair can see
	 * when absent), a lead in the chair. Its decisions and actions go to the board each capture
	 * names (or the first board of the mission it names).
	 */
	async startMissionsBoard(principal: Principal, input: StartMissionsBoardInput): Promise<MeetingState> {
		const scope = await missionsBoardScope(this.#workspace, principal, input.missionIds);
		if (!scope) throw new MeetingError('not_found', 'no such missions, or you cannot see them');
		if (!scope.canChair) throw new MeetingError('forbidden', 'only a Missions Unit lead can chair the Missions Board');
		if (input.missionIds && scope.missions.length !== new Set(input.missionIds).size) throw new MeetingError('not_found', 'no such mission, or you cannot see it: check the missions picked');
		const missionIds = scope.missions.map((mission) => mission.id);
		return this.service.start(actorOf(principal), scope, { missionId: missionsBoardKey, forum: missionsBoardForum, title: input.title, date: input.date }, missionIds);
	}

	/** What `principal` may see of a Missions Board meeting's missions (all they can see when none are named). */
	missionsBoardScope(principal: Principal, missionIds?: readonly string[]): Promise<MissionsBoardScope | undefined> {
		return missionsBoardScope(this.#workspace, principal, missionIds);
	}

	/** The running Missions Board meeting as `principal` may see it, or null. */
	async runningMissionsBoard(principal: Principal): Promise<MeetingState | null> {
		return this.service.fanout.viewFor(principal, await this.service.current(missionsBoardKey));
	}

	/** The Missions Board meetings `principal` may see, newest first. */
	async listMissionsBoard(principal: Principal): Promise<MeetingRecord[]> {
		const readable = readableFor(principal, new Map((await listBoards(this.#workspace)).map((board) => [board.id, board])));
		return (await this.records.list(missionsBoardKey)).flatMap((record) => meetingRecordFor(record, readable) ?? []);
	}

	/** A meeting and, while it runs, its live state, as `principal` may see them (not found when they cannot read its board). */
	async get(principal: Principal, meetingId: string): Promise<{ meeting: MeetingRecord; live: MeetingState | null }> {
		const { meeting } = await this.capture.meeting(principal, meetingId);
		const live = await this.service.current(meeting.missionId);
		return { meeting, live: live?.meetingId === meeting.id ? await this.service.fanout.viewFor(principal, live) : null };
	}

	/** Ends a running meeting: its chair or a lead. */
	async end(principal: Principal, meetingId: string): Promise<MeetingRecord> {
		const { meeting, live } = await this.get(principal, meetingId);
		if (!live) throw new MeetingError('no_meeting', 'this meeting has already ended');
		await this.service.end(actorOf(principal), meeting.missionId);
		return (await this.records.get(meetingId)) ?? meeting;
	}

	/** The meetings of a mission `principal` may see (those held on a board they can read), newest first, filtered to their boards. */
	async list(principal: Principal, missionId: string): Promise<MeetingRecord[]> {
		if (!(await this.scope(principal, missionId))) throw new MeetingError('not_found', 'no such mission, or you cannot see it');
		const readable = readableFor(principal, new Map((await listBoards(this.#workspace)).map((board) => [board.id, board])));
		return (await this.records.list(missionId)).flatMap((record) => meetingRecordFor(record, readable) ?? []);
	}

	/** One meeting record as `principal` may see it (e.g. a previous meeting); undefined when they cannot. */
	async recordFor(principal: Principal, meetingId: string): Promise<MeetingRecord | undefined> {
		const record = await this.records.get(meetingId);
		if (!record) return undefined;
		return meetingRecordFor(record, readableFor(principal, new Map((await listBoards(this.#workspace)).map((board) => [board.id, board]))));
	}

	async playlist(principal: Principal, missionId: string): Promise<Playlist> {
		if (!(await this.scope(principal, missionId))) throw new MeetingError('not_found', 'no such mission, or you cannot see it');
		return this.playlists.get(missionId);
	}

	/** Sets (or with `null`, resets) a mission's playlist: leads only. Walls and a running meeting follow at once. */
	async setPlaylist(principal: Principal, missionId: string, input: PlaylistInput | null): Promise<Playlist> {
		if (!(await this.scope(principal, missionId))) throw new MeetingError('not_found', 'no such mission, or you cannot see it');
		if (!isLead(principal)) throw new MeetingError('forbidden', 'only a Missions Unit lead can change a wall playlist');
		const playlist = input ? await this.playlists.put(missionId, input, principal.id) : await this.playlists.reset(missionId);
		await this.service.playlistChanged(playlist);
		return playlist;
	}

	close(): Promise<void> {
		return this.service.close();
	}
}

export function actorOf(principal: Principal): Actor {
	return { id: principal.id, name: principal.name, lead: isLead(principal) };
}

export { MeetingError } from './meeting-errors.ts';
export type { MissionScope, MissionsBoardScope, BoardScope } from './mission-scope.ts';
export type { WallContext } from './wall-context.ts';
export type { AgendaItem } from './meeting-capture.ts';
