/**
 * The socket.io side of meeting mode: every payload is validated with zod; a bad one gets an
 * error acknowledgement and is dropped. A socket joins a mission's room (`meeting:join`) after
 * the server checks it may see the mission; only then may it start, follow or drive a meeting.
 */
import type { z } from 'zod';
import {
	asAtInput,
	focusInput,
	handoverInput,
	meetingErrorCodes,
	meetingRooms,
	missionsBoardKey,
	missionTarget,
	pauseInput,
	startMeetingInput,
	type MeetingReply,
	type MeetingState
} from '#lib/protocol/meeting.ts';
import { isLead } from '../auth/policy.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { RoomSocket } from '../rooms/room-server.ts';
import { MeetingError } from './meeting-errors.ts';
import type { Actor, MeetingService } from './meeting-service.ts';
import { missionScope, missionsBoardScope, type BoardScope, type MissionRecords } from './mission-scope.ts';

export interface MeetingHandlerOptions {
	service: MeetingService;
	workspace: MissionRecords;
	log: Logger;
	metrics?: Metrics;
}

type Reply = (reply: MeetingReply) => void;

/** A socket.io `connection` handler (added by `Meetings`). */
export function meetingHandlers(options: MeetingHandlerOptions): (socket: RoomSocket) => void {
	const { service, workspace, log, metrics } = options;

	return (socket) => {
		/** Who is asking now: the access layer keeps `socket.data.principal` current (role, department). */
		const actor = (): Actor => {
			const principal = socket.data.principal;
			return { id: principal.id, name: principal.name, lead: isLead(principal) };
		};
		/** Missions this socket joined, with what it may do in each. */
		const joined = new Map<string, BoardScope>();

		const scopeOf = (missionId: string): BoardScope => {
			const scope = joined.get(missionId);
			if (!scope) throw new MeetingError('forbidden', 'join the mission first (meeting:join)');
			return scope;
		};

		/** Validates, runs, and answers; errors become `{ ok: false, error }` acknowledgements. */
		function on<S extends z.ZodType>(event: string, schema: S, run: (input: z.output<S>) => Promise<MeetingState | null>): (payload: unknown, reply: unknown) => void {
			return (payload, reply) => {
				if (typeof reply !== 'function') {
					metrics?.rejected.inc({ reason: 'malformed' });
					log.debug({ event, socket: socket.id }, 'meeting event without an acknowledgement dropped');
					return;
				}
				const answer = reply as Reply;
				const parsed = schema.safeParse(payload);
				if (!parsed.success) {
					metrics?.rejected.inc({ reason: 'malformed' });
					const issue = parsed.error.issues[0];
					answer({ ok: false, error: { code: meetingErrorCodes.invalidPayload, message: `invalid ${event}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}` } });
					return;
				}
				// Answers carry the meeting as this socket's principal may see it, like the broadcasts.
				run(parsed.data)
					.then((meeting) => service.fanout.viewFor(socket.data.principal, meeting))
					.then(
						(meeting) => answer({ ok: true, meeting }),
						(error: unknown) => {
							if (error instanceof MeetingError) return answer({ ok: false, error: error.toPayload() });
							log.error({ err: error, event }, 'meeting event failed');
							answer({ ok: false, error: { code: 'internal_error', message: 'the server could not do that; try again' } });
						}
					);
			};
		}

		socket.on(
			'meeting:join',
			on('meeting:join', missionTarget, async ({ missionId }) => {
				const principal = socket.data.principal;
				// The Missions Board meeting's room: anyone who can see a mission may follow it.
				const scope = missionId === missionsBoardKey ? await missionsBoardScope(workspace, principal) : await missionScope(workspace, principal, missionId);
				if (!scope) throw new MeetingError('not_found', 'no such mission, or you cannot see it');
				joined.set(missionId, scope);
				await socket.join(meetingRooms.mission(missionId));
				service.setPresence(missionId, socket.id, {
					person: { id: principal.id, name: principal.name },
					wall: principal.kind === 'wall',
					canChair: scope.canChair,
					boardIds: new Set(scope.boards.map((board) => board.id))
				});
				return service.current(missionId);
			})
		);

		socket.on('meeting:leave', (payload: unknown) => {
			const parsed = missionTarget.safeParse(payload);
			if (!parsed.success || !joined.delete(parsed.data.missionId)) return;
			void socket.leave(meetingRooms.mission(parsed.data.missionId));
			service.setPresence(parsed.data.missionId, socket.id, undefined);
		});

		socket.on(
			'meeting:start',
			on('meeting:start', startMeetingInput, async (input) => {
				if (input.missionId === missionsBoardKey) throw new MeetingError('invalid_payload', 'start the Missions Board meeting from the Missions Board view (POST /api/meetings/missions-board)');
				return service.start(actor(), scopeOf(input.missionId), input);
			})
		);
		socket.on(
			'meeting:end',
			on('meeting:end', missionTarget, async ({ missionId }) => {
				scopeOf(missionId);
				return service.end(actor(), missionId);
			})
		);
		socket.on(
			'meeting:focus',
			on('meeting:focus', focusInput, async (input) => {
				const scope = scopeOf(input.missionId);
				if (input.focus && !scope.boards.some((board) => board.id === input.focus?.boardId)) throw new MeetingError('not_found', 'that board is not part of this mission');
				return service.focus(actor(), input);
			})
		);
		socket.on(
			'meeting:next',
			on('meeting:next', missionTarget, async ({ missionId }) => {
				scopeOf(missionId);
				return service.next(actor(), missionId);
			})
		);
		socket.on(
			'meeting:prev',
			on('meeting:prev', missionTarget, async ({ missionId }) => {
				scopeOf(missionId);
				return service.prev(actor(), missionId);
			})
		);
		socket.on(
			'meeting:pause',
			on('meeting:pause', pauseInput, async (input) => {
				scopeOf(input.missionId);
				return service.pause(actor(), input);
			})
		);
		socket.on(
			'meeting:as-at',
			on('meeting:as-at', asAtInput, async (input) => {
				scopeOf(input.missionId);
				return service.asAt(actor(), input);
			})
		);
		socket.on(
			'meeting:handover',
			on('meeting:handover', handoverInput, async (input) => {
				scopeOf(input.missionId);
				return service.handover(actor(), input);
			})
		);

		socket.on('wall:heartbeat', (reply: unknown) => {
			if (typeof reply === 'function') (reply as (serverNow: number) => void)(Date.now());
		});

		socket.on('disconnect', () => {
			for (const missionId of joined.keys()) service.setPresence(missionId, socket.id, undefined);
			joined.clear();
		});
	};
}
