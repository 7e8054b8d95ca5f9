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
	/** Has sent its sync step 2 answering the server's opening step 1 (see `SharedDoc.receive`). */
	answeredOpening = false;
	#maxBufferedBytes: number;
	#onSlow: (peer: Peer) => void;
	/** Bytes handed to the socket so far (what it has sent is this less `bufferedAmount`). */
	#queued = 0;
	/** The last answer the peer asked for (`sendAnswer`): its size, and `#queued` once it was queued. */
	#answerBytes = 0;
	#answerEnd = 0;

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
		this.#queued += data.byteLength;
		this.socket.send(data, { binary: true });
		return true;
	}

	/**
	 * Sends the answer to the peer's own request for state (the whole board on a first open, which
	 * can be larger than the buffer limit). Until it has left, it does not count against the limit:
	 * a browser busy applying it reads slowly for a moment, and is not a slow consumer for that.
	 * One answer at a time: a second one asked for while the first is still queued counts in full,
	 * so a peer that keeps asking and never reads is still closed with at most one extra answer held.
	 */
	sendAnswer(data: Uint8Array): boolean {
		if (!this.#writable()) return false;
		if (this.#answerLeft() === 0) {
			this.#answerBytes = data.byteLength;
			this.#answerEnd = this.#queued + data.byteLength;
		}
		this.#queued += data.byteLength;
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
		this.#queued += frame.byteLength;
		this.connection.write(frame);
		return true;
	}

	/**
	 * Holds what is sent from now on until `uncork`, which writes it to the connection in one go
	 * (one syscall instead of one per message). Pairs nest.
	 */
	cork(): void {
		this.connection.cork();
	}

	uncork(): void {
		this.connection.uncork();
	}

	/** Bytes of the last answer still in the socket's buffer (it was queued before what follows it). */
	#answerLeft(): number {
		if (this.#answerBytes === 0) return 0;
		const sent = this.#queued - this.socket.bufferedAmount;
		const left = Math.min(this.#answerBytes, this.#answerEnd - sent);
		if (left > 0) return left;
		this.#answerBytes = 0;
		return 0;
	}

	/** Open, and not too far behind: a peer whose buffer is past the limit is closed instead. */
	#writable(): boolean {
		if (!this.open || !this.connection.writable) return false;
		if (this.socket.bufferedAmount > this.#maxBufferedBytes + this.#answerLeft()) {
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
