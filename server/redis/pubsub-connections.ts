/**
 * The pairs of Redis connections that the relay and socket.io's adapter each open beside the store's:
 * a publisher that fails fast while Redis is away (a failed publish is counted, never queued), and a
 * subscriber that queues its SUBSCRIBE commands while it reconnects (a subscriber needs a connection
 * of its own). node-redis resubscribes every channel by itself after a reconnect.
 */
import type { Logger } from '../log.ts';
import { createRedisClient, withDeadline, type RedisClient } from './redis-client.ts';

export const pubSubDefaults = { closeTimeoutMs: 2_000 } as const;

export interface PubSubConnections {
	publisher: RedisClient;
	subscriber: RedisClient;
}

/** Opens both connections, named `<name>-pub` and `<name>-sub` in `CLIENT LIST`. */
export async function openPubSub(options: { url: string; name: string; log: Logger }): Promise<PubSubConnections> {
	const { log } = options;
	const logger = { warn: (obj: object, msg: string) => log.warn(obj, msg), info: (obj: object, msg: string) => log.info(obj, msg) };
	const publisher = await createRedisClient({ url: options.url, name: `${options.name}-pub`, logger });
	try {
		const subscriber = await createRedisClient({ url: options.url, name: `${options.name}-sub`, offlineQueue: true, logger });
		return { publisher, subscriber };
	} catch (error) {
		publisher.destroy();
		throw error;
	}
}

/** Lets commands in flight finish, then closes; drops a connection that does not close in time. */
export async function closePubSub(connections: PubSubConnections, log: Logger): Promise<void> {
	await Promise.all(
		[connections.publisher, connections.subscriber].map(async (client) => {
			if (!client.isReady) {
				client.destroy();
				return;
			}
			await withDeadline(client.close(), pubSubDefaults.closeTimeoutMs, 'close').catch((error: unknown) => {
				log.warn({ err: error }, 'redis did not close in time; dropping the connection');
				client.destroy();
			});
		})
	);
}
