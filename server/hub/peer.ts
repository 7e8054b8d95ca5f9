import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { closeCodes, closeReasons, type CloseCode } from '#lib/protocol/close-codes.ts';
import type { Principal } from '../auth/principal.ts';
import { AwarenessRate } from './awareness-guard.ts';

/** One websocket connection to one document. */
export class Peer {
	readonly originKind = 'peer' as const;
	readonly socket: WebSocket;
	/** The upgraded connection under `socket`: broadcasts write whole frames to it (`sendFrame`). */
	readonly connection: Duplex;
	readonly principal: Principal;
	readonly readOnly: boolean;
	readonly docName: string;
	/** Awareness client ids this connection controls, removed when it goes. */
	readonly awarenessIds = new Set<number>();
	/** How many awareness messages it may still send (`awareness-guard.ts`). */
	readonly awarenessRate = new AwarenessRate();
	/** Answered the last ping. */
	alive = true;
	#maxBufferedBytes: number;
	#onSlow: (peer: Peer) => void;

	constructor(options: {
		socket: WebSocket;
		connection: Duplex;
		principal: Principal;
		readOnly: boolean;
		docName: string;
		maxBufferedBytes: number;
		onSlow: (peer: Peer) => void;
	}) {
		this.socket = options.socket;
		this.connection = options.connection;
		this.principal = options.principal;
		this.readOnly = options.readOnly;
		this.docName = options.docName;
		this.#maxBufferedBytes = options.maxBufferedBytes;
		this.#onSlow = options.onSlow;
	}

	get open(): boolean {
		return this.socket.readyState === this.socket.OPEN;
	}

	/** Sends bytes; never throws. A peer whose buffer is past the limit is closed instead. */
	send(data: Uint8Array): boolean {
		if (!this.#writable()) return false;
		this.socket.send(data, { binary: true });
		return true;
	}

	/**
	 * Sends a message already framed by `frameBinary` (one buffer shared by every peer of a
	 * broadcast), written to the connection as it is; never throws. Safe beside `send`: without
	 * compression `ws` writes each message to the connection at once, in order, and nothing is
	 * written here once the socket is closing.
	 */
	sendFrame(frame: Buffer): boolean {
		if (!this.#writable()) return false;
		this.connection.write(frame);
		return true;
	}

	/** Open, and not too far behind: a peer whose buffer is past the limit is closed instead. */
	#writable(): boolean {
		if (!this.open || !this.connection.writable) return false;
		if (this.socket.bufferedAmount > this.#maxBufferedBytes) {
			this.#onSlow(this);
			this.close(closeCodes.slowConsumer);
			return false;
		}
		return true;
	}

	/** Closes with a named code; `reason` (≤ 123 bytes) replaces the code's standard text. */
	close(code: CloseCode, reason: string = closeReasons[code]): void {
		if (this.socket.readyState === this.socket.CLOSED || this.socket.readyState === this.socket.CLOSING) return;
		this.socket.close(code, Buffer.from(reason).subarray(0, 123).toString());
		// A peer that does not complete the closing handshake is cut off.
		setTimeout(() => this.socket.terminate(), 2_000).unref();
	}
}
