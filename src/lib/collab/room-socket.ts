/**
 * A page's socket.io connection to its rooms (websocket transport only; the session cookie
 * authenticates it), with socket.io's client loaded on the first connection. Imported statically,
 * the server's build of every page with the bell or a live status held the whole client (about
 * 200 KB of source, kept in the server's memory at rest) though only a browser ever connects.
 */
import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../protocol/room-events.ts';

export type RoomSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** One page object's connection: `open` opens it once (until `close`), `close` ends it. */
export class RoomConnection {
	/** This opening's token from `open` until `close` (its socket may still be loading). */
	#wanted: object | undefined;
	#socket: RoomSocket | undefined;

	/** Opens the socket, once until `close`, and hands it to `listen` when it is there. */
	open(listen: (socket: RoomSocket) => void): void {
		if (this.#wanted) return;
		const wanted = {};
		this.#wanted = wanted;
		import('socket.io-client').then(
			({ io }) => {
				// Closed (or closed and opened again) while the client was loading: this opening is over.
				if (this.#wanted !== wanted) return;
				this.#socket = io({ path: '/socket.io/', transports: ['websocket'], withCredentials: true });
				listen(this.#socket);
			},
			(error: unknown) => console.warn('could not load the live connection', error)
		);
	}

	/** Idempotent; a later `open` connects afresh. */
	close(): void {
		this.#wanted = undefined;
		this.#socket?.disconnect();
		this.#socket = undefined;
	}
}
