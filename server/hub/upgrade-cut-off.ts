/**
 * Cuts off a connection that has not become a websocket within a time limit (a slow or silent
 * client holding a socket open). The listener is one function for every socket, and it is taken
 * off once the websocket exists: a connection lives for hours, and anything allocated for it at
 * the handshake and left on the socket (a closure per listener, a wrapper per `once`) is memory
 * held per idle peer for all that time.
 */
import type { Duplex } from 'node:stream';

/** A `'timeout'` listener: `this` is the socket that timed out. */
function destroyOnTimeout(this: Duplex): void {
	this.destroy();
}

type TimedSocket = Duplex & { setTimeout(ms: number, callback?: () => void): unknown };

/** Cuts `socket` off after `ms` without activity, replacing any cut-off set before (one listener at most). */
export function cutOffAfter(socket: Duplex, ms: number): void {
	socket.removeListener('timeout', destroyOnTimeout);
	(socket as TimedSocket).setTimeout(ms, destroyOnTimeout);
}

/** Stops the cut-off: the timer and its listener (ws clears only the timer when it takes a socket). */
export function stopCutOff(socket: Duplex): void {
	if (typeof (socket as Partial<TimedSocket>).setTimeout === 'function') (socket as TimedSocket).setTimeout(0, destroyOnTimeout);
}
