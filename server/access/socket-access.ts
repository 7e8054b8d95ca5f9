/**
 * socket.io access: `board:join` puts a socket in a board's room only if its principal may see
 * the board (the server emits a board's events to that room alone), and every incoming event
 * that names a board (`boardId`, at the top or one level down) is checked afresh before any
 * handler runs. Both checks use who the principal is *now* (its session, person and department
 * re-read), not who it was at the handshake; the live-access sweep takes sockets out of rooms they
 * lost. Handlers check write access themselves (`boardLevel`).
 */
import { boardTarget, roomNames, type BoardJoinReply } from '#lib/protocol/room-events.ts';
import { boardAccess, type AccessLevel } from '../auth/policy.ts';
import type { Principal } from '../auth/principal.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { RoomSocket } from '../rooms/room-server.ts';
import { notFoundMessages } from './errors.ts';
import type { CurrentPrincipal } from './live-access.ts';
import type { WorkspaceReader } from './workspace-reader.ts';

export interface SocketAccessOptions {
	workspace: WorkspaceReader;
	/** Who an admitted principal is now; undefined once their credential ended. */
	current: CurrentPrincipal;
	log: Logger;
	metrics: Metrics;
}

const deniedError = { code: 'not_found', message: notFoundMessages.board } as const;

/** Board ids an event payload names: `boardId` at the top level or one level down. */
export function boardIdsIn(payload: unknown): string[] {
	if (typeof payload !== 'object' || payload === null) return [];
	const ids: string[] = [];
	for (const [key, value] of Object.entries(payload)) {
		if (key === 'boardId' && typeof value === 'string') ids.push(value);
		else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
			const nested = (value as { boardId?: unknown }).boardId;
			if (typeof nested === 'string') ids.push(nested);
		}
	}
	return ids;
}

/** What a principal may do with a board right now ('none' for an unknown board). */
export async function boardLevel(workspace: WorkspaceReader, principal: Principal, boardId: string): Promise<AccessLevel> {
	const board = await workspace.getBoard(boardId);
	return board ? boardAccess(principal, board) : 'none';
}

export function socketAccess(options: SocketAccessOptions): (socket: RoomSocket) => void {
	const { workspace, log, metrics, current } = options;
	/** The socket's access to a board as its principal is now (kept fresh on the socket). */
	const levelNow = async (socket: RoomSocket, boardId: string): Promise<AccessLevel> => {
		const now = await current(socket.data.principal);
		if (!now) return 'none';
		socket.data.principal = now;
		return boardLevel(workspace, now, boardId);
	};
	return (socket) => {
		socket.use(([event, ...args], next) => {
			if (event === 'board:join') return next();
			const ids = boardIdsIn(args[0]);
			if (ids.length === 0) return next();
			void Promise.all(ids.map((id) => levelNow(socket, id))).then(
				(levels) => {
					if (levels.every((level) => level !== 'none')) return next();
					metrics.rejected.inc({ reason: 'forbidden' });
					const reply = args.at(-1);
					if (typeof reply === 'function') (reply as (answer: { ok: false; error: typeof deniedError }) => void)({ ok: false, error: deniedError });
				},
				(error: unknown) => log.error({ err: error, event }, 'socket.io access check failed; event dropped')
			);
		});

		socket.on('board:join', (payload: unknown, reply: unknown) => {
			if (typeof reply !== 'function') return;
			const answer = reply as (reply: BoardJoinReply) => void;
			const parsed = boardTarget.safeParse(payload);
			if (!parsed.success) {
				metrics.rejected.inc({ reason: 'malformed' });
				return answer({ ok: false, error: { code: 'invalid_payload', message: 'board:join needs { boardId }' } });
			}
			const { boardId } = parsed.data;
			levelNow(socket, boardId).then(
				async (level) => {
					if (level === 'none') {
						metrics.rejected.inc({ reason: 'forbidden' });
						return answer({ ok: false, error: deniedError });
					}
					await socket.join(roomNames.board(boardId));
					answer({ ok: true, boardId, access: level });
				},
				(error: unknown) => {
					log.error({ err: error, board: boardId }, 'board:join failed');
					answer({ ok: false, error: { code: 'internal_error', message: 'the server could not do that; try again' } });
				}
			);
		});

		socket.on('board:leave', (payload: unknown) => {
			const parsed = boardTarget.safeParse(payload);
			if (parsed.success) void socket.leave(roomNames.board(parsed.data.boardId));
		});
	};
}
