/**
 * Meeting mode across instances: after an instance saves a change of a mission's meeting it tells
 * the others (`io.serverSideEmit('meeting:invalidate', missionId)`, relayed by the socket.io Redis
 * adapter), and an instance that hears it drops its copy of that meeting and its rotation timer.
 *
 * With the in-memory adapter (one instance) there is nobody to tell: socket.io's default adapter
 * only prints a warning on `serverSideEmit`, so nothing is sent at all.
 */
import { entityId } from '#lib/protocol/workspace.ts';
import type { Logger } from '../log.ts';
import { relaysServerSideEvents, type RoomServer } from '../rooms/room-server.ts';

export const meetingClusterEvents = { invalidate: 'meeting:invalidate' } as const;

export interface MeetingClusterOptions {
	io: RoomServer;
	log: Logger;
	/** Another instance changed this mission's meeting. */
	onInvalidate: (missionId: string) => void;
}

export class MeetingCluster {
	#io: RoomServer;
	#log: Logger;
	/** Whether the adapter reaches other instances (the Redis one does, the in-memory one does not). */
	#relays: boolean;

	/** Listens for the other instances from the start. */
	constructor(options: MeetingClusterOptions) {
		this.#io = options.io;
		this.#log = options.log;
		this.#relays = relaysServerSideEvents(options.io);
		options.io.on(meetingClusterEvents.invalidate, (missionId: unknown) => {
			const parsed = entityId.safeParse(missionId);
			if (!parsed.success) {
				options.log.warn({ missionId }, 'malformed meeting:invalidate from another instance dropped');
				return;
			}
			options.onInvalidate(parsed.data);
		});
	}

	/** Tells the other instances that the mission's meeting changed in the store. Never throws. */
	invalidate(missionId: string): void {
		if (!this.#relays) return;
		try {
			this.#io.serverSideEmit(meetingClusterEvents.invalidate, missionId);
		} catch (error) {
			this.#log.warn({ err: error, mission: missionId }, 'could not tell the other instances that the meeting changed');
		}
	}
}
