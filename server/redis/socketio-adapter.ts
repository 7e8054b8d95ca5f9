/**
 * socket.io across instances: `@socket.io/redis-adapter` (classic PUBLISH/PSUBSCRIBE, Redis 5+) on
 * two connections of its own, so room events (meeting mode, notifications, presence) reach the
 * clients of every instance. socket.io runs on the websocket transport only, so no sticky sessions.
 *
 * The adapter publishes without awaiting the result; a publish that fails while Redis is down would
 * be an unhandled rejection, which ends a Node process. Its publisher is wrapped so that a failure
 * is counted and logged instead (events are fire-and-forget; a client resyncs on reconnect). And
 * `fetchSockets` (who is online) answers with this instance's own sockets when the other instances
 * cannot be asked, instead of rejecting in every caller.
 */
import { RedisAdapter, type RedisAdapterOptions } from '@socket.io/redis-adapter';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { defaultKeyPrefix } from './keys.ts';
import { closePubSub, openPubSub } from './pubsub-connections.ts';
import type { RedisClient } from './redis-client.ts';

export const socketAdapterDefaults = {
	/** How long a cross-instance request (fetchSockets, serverSideEmit with ack) waits for answers. */
	requestsTimeoutMs: 5_000
} as const;

export interface SocketAdapterOptions {
	url: string;
	instanceId: string;
	log: Logger;
	metrics: Metrics;
	/** The store's key prefix; the adapter's channels start with `<prefix>socket.io`. */
	keyPrefix?: string;
	requestsTimeoutMs?: number;
}

export interface SocketAdapter {
	/** Pass as socket.io's `adapter` option. */
	adapter: (nsp: unknown) => RedisAdapter;
	publisher: RedisClient;
	subscriber: RedisClient;
	readonly ready: boolean;
	close(): Promise<void>;
}

export async function createSocketAdapter(options: SocketAdapterOptions): Promise<SocketAdapter> {
	const { log, metrics } = options;
	const { publisher, subscriber } = await openPubSub({ url: options.url, name: `mc-io-${options.instanceId}`, log });
	let failing = false;
	const guardedPublish = (...args: Parameters<RedisClient['publish']>) =>
		publisher.publish(...args).then(
			(receivers) => {
				failing = false;
				return receivers;
			},
			(error: unknown) => {
				metrics.relayDropped.inc({ reason: 'socketio_publish_failed' });
				if (!failing) log.warn({ err: error }, 'socket.io event not published to the other instances (redis unreachable)');
				failing = true;
				return 0;
			}
		);
	// The adapter reads a few methods off the client (publish, pSubscribe, sendCommand, on); the rest
	// is the real client, with `this` bound to it (node-redis uses private fields).
	const guardedPublisher = new Proxy(publisher, {
		get(target, property) {
			if (property === 'publish') return guardedPublish;
			const value: unknown = Reflect.get(target, property, target);
			return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
		}
	});
	const adapterOptions: Partial<RedisAdapterOptions> = {
		key: `${options.keyPrefix ?? defaultKeyPrefix}socket.io`,
		requestsTimeout: options.requestsTimeoutMs ?? socketAdapterDefaults.requestsTimeoutMs
	};
	const onFetchFailure = (error: unknown) => {
		metrics.relayDropped.inc({ reason: 'socketio_request_failed' });
		log.warn({ err: error }, 'could not ask the other instances for their sockets; answering with this instance’s own');
	};
	// socket.io calls this with `new`, so a function (not an arrow) that returns the adapter.
	const adapter = function (nsp: unknown): RedisAdapter {
		return new LocalFallbackAdapter(nsp, guardedPublisher, subscriber, adapterOptions, onFetchFailure);
	};
	let closing: Promise<void> | undefined;
	return {
		adapter,
		publisher,
		subscriber,
		get ready() {
			return publisher.isReady && subscriber.isReady;
		},
		close() {
			closing ??= closePubSub({ publisher, subscriber }, log);
			return closing;
		}
	};
}

type FetchOptions = Parameters<RedisAdapter['fetchSockets']>[0];

/** The Redis adapter, but `fetchSockets` falls back to the local sockets when Redis cannot answer. */
class LocalFallbackAdapter extends RedisAdapter {
	#onFetchFailure: (error: unknown) => void;

	constructor(nsp: unknown, publisher: unknown, subscriber: unknown, options: Partial<RedisAdapterOptions>, onFetchFailure: (error: unknown) => void) {
		super(nsp, publisher, subscriber, options);
		this.#onFetchFailure = onFetchFailure;
	}

	async fetchSockets(options: FetchOptions): ReturnType<RedisAdapter['fetchSockets']> {
		try {
			return await super.fetchSockets(options);
		} catch (error) {
			this.#onFetchFailure(error);
			return super.fetchSockets({ ...options, flags: { ...options.flags, local: true } });
		}
	}
}
