/**
 * Keeps live connections honest after they were admitted: a revoked session or token, a removed
 * person, a department taken off a board or a changed role closes or downgrades the `/yjs` peers
 * and socket.io sockets concerned. Changes made through this instance act at once; a sweep every
 * few seconds re-checks every connection of this instance, so changes made on another instance
 * (or directly in the store) take effect within `sweepIntervalMs` too.
 */
import { closeCodes, type CloseCode } from '#lib/protocol/close-codes.ts';
import { boardDocName, boardIdOfDoc } from '#lib/protocol/doc-names.ts';
import { roomNames, type SessionEnded } from '#lib/protocol/room-events.ts';
import type { Board } from '#lib/protocol/workspace.ts';
import { boardAccess, isLead } from '../auth/policy.ts';
import { canWrite, type Principal } from '../auth/principal.ts';
import type { DocHub } from '../hub/doc-hub.ts';
import type { Peer } from '../hub/peer.ts';
import type { Logger } from '../log.ts';
import type { RoomServer } from '../rooms/room-server.ts';
import type { WorkspaceReader } from './workspace-reader.ts';

export const liveAccessDefaults = {
	/** How often every live connection is re-checked against the store. */
	sweepIntervalMs: 5_000
} as const;

/** Who an admitted principal is now: undefined once their credential ended. */
export type CurrentPrincipal = (admitted: Principal) => Promise<Principal | undefined>;

type EndReason = SessionEnded['reason'];

const boardRoomPrefix = roomNames.board('');

/** What a `/yjs` peer may keep doing, given who it is now; a close code when it must go. */
export function peerVerdict(peer: Pick<Peer, 'docName' | 'readOnly'>, current: Principal | undefined, board: Board | undefined): CloseCode | undefined {
	if (!current) return closeCodes.signedOut;
	const boardId = boardIdOfDoc(peer.docName);
	let writable: boolean;
	if (boardId === undefined) {
		if (!isLead(current)) return closeCodes.accessRevoked;
		writable = canWrite(current);
	} else {
		const level = board ? boardAccess(current, board) : 'none';
		if (level === 'none') return closeCodes.accessRevoked;
		writable = level === 'write';
	}
	return writable === !peer.readOnly ? undefined : closeCodes.accessChanged;
}

function credentialKey(principal: Principal): string {
	return `${principal.kind}\u0000${principal.credentialId ?? principal.id}`;
}

/** A socket of this or another instance (socket.io's Socket and RemoteSocket share these). */
interface AnySocket {
	readonly id: string;
	readonly rooms: Set<string>;
	readonly data: Partial<{ principal: Principal }>;
	emit(event: 'session:ended', ended: { reason: EndReason }): unknown;
	emit(event: 'board:revoked', target: { boardId: string }): unknown;
	leave(room: string): unknown;
	disconnect(close?: boolean): unknown;
}

export interface LiveAccessOptions {
	hub: DocHub;
	io: RoomServer;
	workspace: WorkspaceReader;
	current: CurrentPrincipal;
	log: Logger;
	sweepIntervalMs?: number;
}

export class LiveAccess {
	#options: LiveAccessOptions;
	#timer: NodeJS.Timeout | undefined;
	#sweeping: Promise<void> | undefined;

	constructor(options: LiveAccessOptions) {
		this.#options = options;
	}

	start(): void {
		if (this.#timer) return;
		this.#timer = setInterval(() => void this.sweep(), this.#options.sweepIntervalMs ?? liveAccessDefaults.sweepIntervalMs);
		this.#timer.unref();
	}

	stop(): void {
		clearInterval(this.#timer);
		this.#timer = undefined;
	}

	/** Closes every connection made with these credentials (sessions, tokens): 4401 on `/yjs`, `session:ended` on socket.io. */
	async endCredentials(credentialIds: readonly string[], reason: EndReason): Promise<number> {
		const ended = new Set(credentialIds);
		const matches = (principal: Principal | undefined) => principal?.credentialId !== undefined && ended.has(principal.credentialId);
		let closed = this.#options.hub.disconnectWhere((peer) => matches(peer.principal), closeCodes.signedOut);
		for (const socket of (await this.#options.io.fetchSockets()) as AnySocket[]) {
			if (!matches(socket.data.principal)) continue;
			this.#endSocket(socket, reason);
			closed++;
		}
		if (closed > 0) this.#options.log.info({ closed, reason }, 'closed connections of ended credentials');
		return closed;
	}

	/**
	 * Re-checks the connections to one board: this instance's `/yjs` peers of `board:<id>` (who lost
	 * access is closed with 4403; a peer whose write access changed is asked to reconnect, 4409) and
	 * the sockets in the board's room on every instance (through the socket.io adapter: who lost
	 * access leaves the room and gets `board:revoked`). Other instances do not hear the change: their
	 * `/yjs` peers of the board are closed by their own sweep, within `sweepIntervalMs`.
	 */
	async enforceBoard(boardId: string): Promise<number> {
		const board = await this.#options.workspace.getBoard(boardId);
		let closed = 0;
		const shared = this.#options.hub.loaded(boardDocName(boardId));
		for (const peer of shared ? [...shared.peers] : []) {
			const code = peerVerdict(peer, peer.principal, board);
			if (code === undefined) continue;
			peer.close(code);
			closed++;
		}
		for (const socket of (await this.#options.io.in(roomNames.board(boardId)).fetchSockets()) as AnySocket[]) {
			const principal = socket.data.principal;
			if (principal && board && boardAccess(principal, board) !== 'none') continue;
			this.#revokeBoard(socket, boardId);
			closed++;
		}
		if (closed > 0) this.#options.log.info({ board: boardId, closed }, 'closed connections that lost access to a board');
		return closed;
	}

	/** Re-checks every connection of one principal on this instance (after their role, department or removal changed). */
	async enforcePrincipal(principalId: string): Promise<void> {
		await this.#check((principal) => principal.id === principalId);
	}

	/** Re-checks every connection of this instance. Never runs twice at once. */
	sweep(): Promise<void> {
		this.#sweeping ??= this.#check(() => true)
			.catch((error: unknown) => this.#options.log.error({ err: error }, 'access sweep failed'))
			.finally(() => {
				this.#sweeping = undefined;
			});
		return this.#sweeping;
	}

	async #check(select: (principal: Principal) => boolean): Promise<void> {
		const { workspace, current } = this.#options;
		const { hub, io } = this.#options;
		const principals = new Map<string, Promise<Principal | undefined>>();
		const boards = new Map<string, Promise<Board | undefined>>();
		const currentOf = (principal: Principal) => {
			const key = credentialKey(principal);
			let found = principals.get(key);
			if (!found) principals.set(key, (found = current(principal)));
			return found;
		};
		const boardOf = (id: string) => {
			let found = boards.get(id);
			if (!found) boards.set(id, (found = workspace.getBoard(id)));
			return found;
		};
		const checks: Promise<void>[] = [];
		for (const name of hub.loadedDocs) {
			const boardId = boardIdOfDoc(name);
			for (const peer of hub.loaded(name)?.peers ?? []) {
				if (!select(peer.principal)) continue;
				checks.push(
					(async () => {
						const [now, board] = await Promise.all([currentOf(peer.principal), boardId === undefined ? undefined : boardOf(boardId)]);
						const code = peerVerdict(peer, now, board);
						if (code !== undefined) peer.close(code);
					})()
				);
			}
		}
		for (const socket of io.of('/').sockets.values()) {
			const admitted = socket.data.principal;
			if (!admitted || !select(admitted)) continue;
			checks.push(
				(async () => {
					const now = await currentOf(admitted);
					if (!now) return this.#endSocket(socket, 'revoked');
					socket.data.principal = now;
					for (const room of socket.rooms) {
						if (!room.startsWith(boardRoomPrefix)) continue;
						const boardId = room.slice(boardRoomPrefix.length);
						const board = await boardOf(boardId);
						if (!board || boardAccess(now, board) === 'none') this.#revokeBoard(socket, boardId);
					}
				})()
			);
		}
		await Promise.all(checks);
	}

	#endSocket(socket: AnySocket, reason: EndReason): void {
		socket.emit('session:ended', { reason });
		socket.disconnect(true);
	}

	#revokeBoard(socket: AnySocket, boardId: string): void {
		socket.leave(roomNames.board(boardId));
		socket.emit('board:revoked', { boardId });
	}
}
