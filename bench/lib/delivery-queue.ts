/**
 * Separates "the message reached the peer" from "the peer's client finished applying it".
 *
 * On a 2-core machine hundreds of peers share one generator core. If each message were handed to
 * its provider as soon as it was parsed, the 199th peer of a fan-out would be stamped only after
 * the 198 before it had applied theirs in Yjs, and edit-to-peer latency would measure the
 * generator, not the server. So every peer's socket stamps each message the moment it is parsed
 * and queues it; the queue is drained (handed to the providers, in arrival order) on the next
 * turn of the event loop. Observers read `currentArrival` for the arrival time of the message
 * being applied, and the clock for the time it was applied.
 *
 * The cold-open scenario additionally holds a peer's big initial state back (see ArrivalWatch)
 * so that 50 peers parsing 1.6 MB each do not delay each other's arrival stamps.
 */
import { nowMs } from './clock.ts';
import type { WebSocketClass } from './client-adapter.ts';

/** How long one turn of the event loop may spend handing messages to providers. */
const drainSliceMs = 1;

export class DeliveryQueue {
	#queue: Array<{ deliver: () => void; arrivedAt: number }> = [];
	#head = 0;
	#scheduled = false;
	#current: number | undefined;
	#errors = 0;
	#firstError: string | undefined;

	/** Arrival time of the message being handed to a provider right now, if any. */
	get currentArrival(): number | undefined {
		return this.#current;
	}

	get errors(): { count: number; first: string | undefined } {
		return { count: this.#errors, first: this.#firstError };
	}

	enqueue(deliver: () => void, arrivedAt: number): void {
		this.#queue.push({ deliver, arrivedAt });
		if (this.#scheduled) return;
		this.#scheduled = true;
		setImmediate(() => this.#drain());
	}

	/** Hands one message to its provider now, with its arrival time visible to observers. */
	deliverNow(deliver: () => void, arrivedAt: number): void {
		this.#current = arrivedAt;
		try {
			deliver();
		} catch (error) {
			// A provider threw on a message: count it, keep the rest of the batch going, report it.
			this.#errors += 1;
			this.#firstError ??= error instanceof Error ? error.message : String(error);
		} finally {
			this.#current = undefined;
		}
	}

	/**
	 * Applies queued messages for at most `drainSliceMs`, then yields to the event loop so that
	 * messages arriving meanwhile are stamped promptly rather than after a long batch.
	 */
	#drain(): void {
		const until = nowMs() + drainSliceMs;
		while (this.#head < this.#queue.length) {
			const item = this.#queue[this.#head++];
			if (item) this.deliverNow(item.deliver, item.arrivedAt);
			if (nowMs() >= until) break;
		}
		if (this.#head < this.#queue.length) {
			setImmediate(() => this.#drain());
			return;
		}
		this.#queue = [];
		this.#head = 0;
		this.#scheduled = false;
	}
}

export type ArrivalWatchOptions = {
	/** The initial state counts as received once this many message bytes have arrived. */
	completeAtBytes: number;
	/** Hold messages back from the first message at least this big until `release()`. */
	holdFromBytes: number;
};

/** Stamps when a peer's whole initial state has arrived, and holds it back until released. */
export class ArrivalWatch {
	readonly #options: ArrivalWatchOptions;
	#bytes = 0;
	#holding = false;
	#released = false;
	#held: Array<{ deliver: () => void; arrivedAt: number }> = [];
	#receivedAt: number | undefined;
	#listeners: Array<() => void> = [];

	constructor(options: ArrivalWatchOptions) {
		this.#options = options;
	}

	get receivedAt(): number | undefined {
		return this.#receivedAt;
	}

	get bytes(): number {
		return this.#bytes;
	}

	onReceived(listener: () => void): void {
		if (this.#receivedAt !== undefined) listener();
		else this.#listeners.push(listener);
	}

	/** Counts a message; returns true when it is held back. */
	accept(byteLength: number, deliver: () => void, arrivedAt: number): boolean {
		this.#bytes += byteLength;
		if (!this.#released && !this.#holding && byteLength >= this.#options.holdFromBytes) this.#holding = true;
		if (this.#receivedAt === undefined && this.#bytes >= this.#options.completeAtBytes) {
			this.#receivedAt = arrivedAt;
			for (const listener of this.#listeners.splice(0)) listener();
		}
		if (!this.#holding) return false;
		this.#held.push({ deliver, arrivedAt });
		return true;
	}

	/** Hands held messages to the provider, in order, and stops holding. */
	release(queue: DeliveryQueue): void {
		this.#released = true;
		this.#holding = false;
		for (const { deliver, arrivedAt } of this.#held.splice(0)) queue.deliverNow(deliver, arrivedAt);
	}
}

function byteLengthOf(data: unknown): number {
	if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
	if (Array.isArray(data)) return data.reduce((sum: number, part: unknown) => sum + byteLengthOf(part), 0);
	return 0;
}

type EmitterClass = new (...args: never[]) => { emit(event: string | symbol, ...args: unknown[]): boolean };

/**
 * A subclass of a `ws` WebSocket class whose 'message' events are stamped and queued (or held by
 * `watch`, or taken by `consume`). Both providers listen through `ws`'s EventEmitter (`onmessage` and `addEventListener`
 * alike), so intercepting `emit` sees every message before either provider does.
 */
export function queuedWebSocket(
	base: WebSocketClass,
	queue: DeliveryQueue,
	watch?: ArrivalWatch,
	consume?: (data: unknown, arrivedAt: number) => boolean
): WebSocketClass {
	const Base = base as unknown as EmitterClass;
	class QueuedWebSocket extends Base {
		override emit(event: string | symbol, ...args: unknown[]): boolean {
			if (event !== 'message') return super.emit(event, ...args);
			const arrivedAt = nowMs();
			// A peer that does not apply edits takes what it measures here and drops the message.
			if (consume?.(args[0], arrivedAt)) return true;
			const deliver = () => {
				super.emit(event, ...args);
			};
			if (!watch?.accept(byteLengthOf(args[0]), deliver, arrivedAt)) queue.enqueue(deliver, arrivedAt);
			return true;
		}
	}
	return QueuedWebSocket as unknown as WebSocketClass;
}
