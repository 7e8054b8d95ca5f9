/**
 * Sends a mission's meeting state to each socket of the mission room (on every instance) as that
 * socket's principal may see it (`meeting-visibility.ts`). The room's sockets are fetched once per
 * change (through the Redis adapter when there are several instances); sockets that see the same
 * thing get it in one emit. Changes of one mission go out in order, one at a time.
 */
import { meetingRooms, type MeetingState } from '#lib/protocol/meeting.ts';
import type { Board } from '#lib/protocol/workspace.ts';
import type { Principal } from '../auth/principal.ts';
import type { Logger } from '../log.ts';
import type { RoomServer } from '../rooms/room-server.ts';
import { meetingStateFor, readableFor } from './meeting-visibility.ts';
import { listBoards, type MissionRecords } from './mission-scope.ts';

export interface MeetingFanoutOptions {
	workspace: MissionRecords;
	io: RoomServer;
	log: Logger;
}

export class MeetingFanout {
	#options: MeetingFanoutOptions;
	#queues = new Map<string, Promise<void>>();

	constructor(options: MeetingFanoutOptions) {
		this.#options = options;
	}

	/** Sends the state (or `null`: no meeting) to the mission's room, each socket its own view. Never throws. */
	send(missionId: string, state: MeetingState | null): Promise<void> {
		const previous = this.#queues.get(missionId) ?? Promise.resolve();
		const next = previous
			.then(() => this.#send(missionId, state))
			.catch((error: unknown) => this.#options.log.warn({ err: error, mission: missionId }, 'could not send the meeting state'))
			.finally(() => {
				if (this.#queues.get(missionId) === next) this.#queues.delete(missionId);
			});
		this.#queues.set(missionId, next);
		return next;
	}

	/** The state as one principal may see it (for acknowledgements and the JSON API). */
	async viewFor(principal: Principal, state: MeetingState | null): Promise<MeetingState | null> {
		if (!state) return null;
		const [boards, people] = await Promise.all([this.#boards(), this.#people(state.missionId)]);
		return meetingStateFor(state, principal, readableFor(principal, boards), people);
	}

	async #send(missionId: string, state: MeetingState | null): Promise<void> {
		const { io } = this.#options;
		const room = meetingRooms.mission(missionId);
		if (!state) {
			io.to(room).emit('meeting:state', { missionId, meeting: null });
			return;
		}
		const [boards, sockets] = await Promise.all([this.#boards(), io.in(room).fetchSockets()]);
		const people = new Map<string, Principal>();
		for (const socket of sockets) if (socket.data.principal) people.set(socket.data.principal.id, socket.data.principal);
		const groups = new Map<string, { meeting: MeetingState | null; socketIds: string[] }>();
		for (const socket of sockets) {
			const principal = socket.data.principal;
			if (!principal) continue;
			const meeting = meetingStateFor(state, principal, readableFor(principal, boards), people);
			const key = JSON.stringify(meeting);
			const group = groups.get(key);
			if (group) group.socketIds.push(socket.id);
			else groups.set(key, { meeting, socketIds: [socket.id] });
		}
		for (const { meeting, socketIds } of groups.values()) io.to(socketIds).emit('meeting:state', { missionId, meeting });
	}

	async #boards(): Promise<Map<string, Board>> {
		return new Map((await listBoards(this.#options.workspace)).map((board) => [board.id, board]));
	}

	async #people(missionId: string): Promise<Map<string, Principal>> {
		const sockets = await this.#options.io.in(meetingRooms.mission(missionId)).fetchSockets();
		const people = new Map<string, Principal>();
		for (const socket of sockets) if (socket.data.principal) people.set(socket.data.principal.id, socket.data.principal);
		return people;
	}
}
