/**
 * The Redis relay between instances. Every update an instance accepts is stored first (the hub does
 * that), then published once on the document's channel, one message per stored batch, tagged with
 * the instance id, before the hub broadcasts it to its own peers. When the store is the Redis store
 * on the same Redis, the message is published by the append script itself (the `announce` hook):
 * one command and one round trip per batch instead of an append and then a PUBLISH. Instances subscribe to the channels
 * of the documents they hold and merge what others publish through the hub's `SharedDoc` with origin
 * 'redis' (broadcast to their peers, never stored or republished): the hub stays the one writer. Presence travels the same way on a second channel, already
 * coalesced by the hub.
 *
 * Pub/sub is at-most-once, so anti-entropy (`anti-entropy.ts`) merges from the store whatever a
 * subscription missed: when it is confirmed, after every reconnect, on a gap in a sender's message
 * numbering, and periodically. Publishing never blocks the hub: a failed publish is counted and
 * left to anti-entropy on the other instances.
 */
import { randomInt } from 'node:crypto';
import type { HubHooks } from '../hub/hooks.ts';
import { remoteOrigins, type SharedDoc } from '../hub/shared-doc.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { isRedisStore } from '../store/redis-store.ts';
import type { Announcement, AppendEntry, Store } from '../store/store.ts';
import { AntiEntropy, antiEntropyDefaults } from './anti-entropy.ts';
import { defaultKeyPrefix } from './keys.ts';
import { closePubSub, openPubSub } from './pubsub-connections.ts';
import { withDeadline, type RedisClient } from './redis-client.ts';
import { decodeRelayMessage, encodeRelayMessage, MalformedRelayMessageError, preciseNow, relayChannels, type RelayChannels, type RelayMessage } from './relay-protocol.ts';

export const relayDefaults = {
	...antiEntropyDefaults,
	/** How long loading a document waits for its subscription before going on without it. */
	subscribeTimeoutMs: 2_000,
	/** Publishes awaiting Redis' answer; beyond this (a hung Redis) new ones are dropped. */
	maxPublishesInFlight: 10_000
} as const;

export type RelayLimits = { -readonly [K in keyof typeof relayDefaults]: number };

export interface RelayOptions {
	url: string;
	instanceId: string;
	store: Store;
	metrics: Metrics;
	log: Logger;
	/** The store's key prefix: channels share its hash-tag naming. */
	keyPrefix?: string;
	limits?: Partial<RelayLimits>;
}

interface RelayedDoc {
	name: string;
	/** The hub's document: the relay changes it only through its methods. */
	shared: SharedDoc;
	channels: RelayChannels;
	/** This instance's message numbering for the document (see relay-protocol.ts). */
	stream: number;
	seq: number;
	/** The last message seen from each other instance: stream and seq. */
	senders: Map<string, { stream: number; seq: number }>;
	onUpdates: (message: Buffer) => void;
	onAwareness: (message: Buffer) => void;
}

export class RedisRelay {
	readonly instanceId: string;
	readonly limits: Readonly<RelayLimits>;
	/** Hub hooks to install: subscribe on load, publish what was stored and presence, unsubscribe on unload. */
	readonly hooks: HubHooks;
	readonly publisher: RedisClient;
	readonly subscriber: RedisClient;
	readonly antiEntropy: AntiEntropy;
	#prefix: string;
	#metrics: Metrics;
	#log: Logger;
	#docs = new Map<string, RelayedDoc>();
	#inFlight = 0;
	#publishFailing = false;
	#closed: Promise<void> | undefined;
	/** The store writes to this Redis under this prefix, so its appends can publish for the relay. */
	#announceInStore: boolean;

	constructor(parts: { options: RelayOptions; publisher: RedisClient; subscriber: RedisClient }) {
		const { options } = parts;
		this.instanceId = options.instanceId;
		this.limits = Object.freeze({ ...relayDefaults, ...options.limits });
		this.publisher = parts.publisher;
		this.subscriber = parts.subscriber;
		this.#prefix = options.keyPrefix ?? defaultKeyPrefix;
		this.#metrics = options.metrics;
		this.#log = options.log;
		this.#announceInStore = isRedisStore(options.store) && options.store.sharesRedis(options.url, this.#prefix);
		this.antiEntropy = new AntiEntropy({
			store: options.store,
			metrics: options.metrics,
			log: options.log,
			reconcileIntervalMs: this.limits.reconcileIntervalMs,
			reconcileJitter: this.limits.reconcileJitter,
			countSettleMs: this.limits.countSettleMs,
			fullCheckIntervalMs: this.limits.fullCheckIntervalMs
		});
		// node-redis resubscribes every channel before it reports 'ready' again: then whatever was
		// published while the connection was down is merged from the store.
		this.subscriber.on('ready', () => {
			if (this.#closed) return;
			this.#log.info({ docs: this.#docs.size }, 'relay subscriber reconnected; reconciling every loaded document');
			void this.antiEntropy.requestAll('reconnected');
		});
		this.hooks = {
			onLoad: ({ docName, shared }) => this.#subscribe(docName, shared),
			// Asked before each batch accepted here is written: the store publishes this in the same script.
			announce: ({ docName, entries }) => (this.#announceInStore ? this.#announcement(docName, entries) : undefined),
			// Called once per durable batch of updates accepted here (never for updates from the store or
			// another instance), before the hub broadcasts them locally: one message per batch, sent early.
			onStore: ({ docName, entries, announced }) => {
				this.antiEntropy.noteApplied(docName, entries.length);
				if (announced) this.#announced(docName);
				else this.#publishUpdates(docName, entries);
			},
			onAwareness: ({ docName, update }) => {
				const relayed = this.#docs.get(docName);
				if (relayed) this.#publish(relayed.channels.awareness, { kind: 'awareness', from: this.instanceId, sentAt: preciseNow(), update });
			},
			onUnload: ({ docName }) => this.#unsubscribe(docName)
		};
	}

	/** Both connections to Redis are up. */
	get ready(): boolean {
		return this.publisher.isReady && this.subscriber.isReady;
	}

	/** Names of the documents this instance is subscribed to. */
	get subscribedDocs(): string[] {
		return [...this.#docs.keys()];
	}

	/** Channels of one document (for tooling and tests). */
	channels(docName: string): RelayChannels {
		return relayChannels(this.#prefix, docName);
	}

	/** Stops anti-entropy and closes both connections. Idempotent. */
	close(): Promise<void> {
		this.#closed ??= (async () => {
			await this.antiEntropy.stop();
			this.#docs.clear();
			await closePubSub(this, this.#log);
		})();
		return this.#closed;
	}

	async #subscribe(name: string, shared: SharedDoc): Promise<void> {
		const relayed: RelayedDoc = {
			name,
			shared,
			channels: this.channels(name),
			stream: randomInt(1, 2 ** 31),
			seq: 0,
			senders: new Map(),
			onUpdates: (message) => this.#receive(relayed, message),
			onAwareness: (message) => this.#receive(relayed, message)
		};
		this.#docs.set(name, relayed);
		this.antiEntropy.track(name, shared);
		const subscribed = Promise.all([
			this.subscriber.subscribe(relayed.channels.updates, relayed.onUpdates, true),
			this.subscriber.subscribe(relayed.channels.awareness, relayed.onAwareness, true)
		]).then(() => {
			if (this.#docs.get(name) !== relayed) return;
			// The hub loaded the document before the subscription existed: merge what was stored meanwhile.
			void this.antiEntropy.request(name, 'subscribed');
			this.#publish(relayed.channels.awareness, { kind: 'awareness_query', from: this.instanceId, sentAt: preciseNow() });
		});
		try {
			await withDeadline(subscribed, this.limits.subscribeTimeoutMs, `SUBSCRIBE ${relayed.channels.updates}`);
		} catch (error) {
			// The subscriber queues the command while it reconnects; the document opens meanwhile and
			// anti-entropy merges what it missed once the subscription is confirmed.
			this.#log.warn({ err: error, doc: name }, 'relay subscription not confirmed yet; opening the document without it');
			subscribed.catch((late: unknown) => this.#log.error({ err: late, doc: name }, 'relay subscription failed'));
		}
	}

	#unsubscribe(name: string): void {
		const relayed = this.#docs.get(name);
		if (!relayed) return;
		this.#docs.delete(name);
		this.antiEntropy.untrack(name);
		if (this.#closed) return;
		// Not awaited: a Redis outage must not hold the document's unload (and a reload behind it).
		Promise.all([
			this.subscriber.unsubscribe(relayed.channels.updates, relayed.onUpdates, true),
			this.subscriber.unsubscribe(relayed.channels.awareness, relayed.onAwareness, true)
		]).catch((error: unknown) => this.#log.warn({ err: error, doc: name }, 'relay unsubscribe failed'));
	}

	/**
	 * The batch's message for the store to publish, numbered as the next of this instance's stream
	 * (the number is taken only once the write succeeded, in `#announced`: a failed write's retry
	 * gets the same number). Undefined when the document is not relayed or the message cannot be encoded.
	 */
	#announcement(name: string, entries: readonly AppendEntry[]): Announcement | undefined {
		const relayed = this.#docs.get(name);
		if (this.#closed || !relayed || entries.length === 0) return undefined;
		try {
			const message = encodeRelayMessage(this.#updateMessage(relayed, relayed.seq + 1, entries));
			return { channel: relayed.channels.updates, message };
		} catch (error) {
			// onStore then publishes it the usual way, which counts the failure.
			this.#log.error({ err: error, doc: name }, 'could not encode a relay message for the store to publish');
			return undefined;
		}
	}

	/** The store published the batch's message with the append. */
	#announced(name: string): void {
		const relayed = this.#docs.get(name);
		if (relayed) relayed.seq++;
		this.#metrics.relayPublished.inc({ kind: 'update' });
	}

	#publishUpdates(name: string, entries: readonly AppendEntry[]): void {
		const relayed = this.#docs.get(name);
		if (!relayed || entries.length === 0) return;
		relayed.seq++;
		this.#publish(relayed.channels.updates, this.#updateMessage(relayed, relayed.seq, entries));
	}

	/** A stored batch's updates as message `seq` of this instance's stream for the document. */
	#updateMessage(relayed: { stream: number }, seq: number, entries: readonly AppendEntry[]): RelayMessage {
		return { kind: 'update', from: this.instanceId, sentAt: preciseNow(), stream: relayed.stream, seq, updates: entries.map((entry) => entry.update) };
	}

	#publish(channel: string, message: RelayMessage): void {
		if (this.#closed) return;
		if (this.#inFlight >= this.limits.maxPublishesInFlight) {
			this.#metrics.relayDropped.inc({ reason: 'backlog' });
			return;
		}
		let payload: Buffer;
		try {
			payload = encodeRelayMessage(message);
		} catch (error) {
			this.#metrics.relayDropped.inc({ reason: 'encode' });
			this.#log.error({ err: error, channel }, 'could not encode a relay message');
			return;
		}
		this.#inFlight++;
		this.publisher.publish(channel, payload).then(
			() => {
				this.#inFlight--;
				this.#metrics.relayPublished.inc({ kind: message.kind });
				if (this.#publishFailing) {
					this.#publishFailing = false;
					this.#log.info({}, 'relay publishing again');
				}
			},
			(error: unknown) => {
				this.#inFlight--;
				this.#metrics.relayDropped.inc({ reason: 'publish_failed' });
				// Logged once per outage; the other instances catch up through anti-entropy.
				if (!this.#publishFailing) this.#log.warn({ err: error, channel }, 'relay publish failed; other instances will catch up from the store');
				this.#publishFailing = true;
			}
		);
	}

	#receive(relayed: RelayedDoc, data: Buffer): void {
		if (this.#docs.get(relayed.name) !== relayed) return;
		let message: RelayMessage;
		try {
			message = decodeRelayMessage(data);
		} catch (error) {
			if (!(error instanceof MalformedRelayMessageError)) throw error;
			this.#metrics.relayDropped.inc({ reason: 'malformed' });
			this.#log.warn({ doc: relayed.name, reason: error.message }, 'malformed relay message dropped');
			return;
		}
		if (message.from === this.instanceId) return;
		this.#metrics.relayReceived.inc({ kind: message.kind });
		this.#metrics.relayLagSeconds.observe({ kind: message.kind }, Math.max(0, preciseNow() - message.sentAt) / 1000);
		switch (message.kind) {
			case 'update':
				return this.#applyUpdates(relayed, message);
			case 'awareness':
				return this.#applyAwareness(relayed, message.update);
			case 'awareness_query':
				return this.#answerAwarenessQuery(relayed);
		}
	}

	#applyUpdates(relayed: RelayedDoc, message: Extract<RelayMessage, { kind: 'update' }>): void {
		const last = relayed.senders.get(message.from);
		relayed.senders.set(message.from, { stream: message.stream, seq: message.seq });
		if (last && last.stream === message.stream && message.seq !== last.seq + 1) {
			this.#metrics.relayDropped.inc({ reason: 'gap' });
			void this.antiEntropy.request(relayed.name, 'gap');
		}
		try {
			// Through the document the hub handed to onLoad: this also covers messages that arrive
			// while the hub is still finishing the load.
			relayed.shared.mergeRemote(message.updates, remoteOrigins.redis);
			this.antiEntropy.noteApplied(relayed.name, message.updates.length);
		} catch (error) {
			this.#metrics.relayDropped.inc({ reason: 'malformed' });
			this.#log.warn({ err: error, doc: relayed.name, from: message.from }, 'a relayed update could not be applied; reconciling from the store');
			void this.antiEntropy.request(relayed.name, 'gap');
		}
	}

	#applyAwareness(relayed: RelayedDoc, update: Uint8Array): void {
		try {
			relayed.shared.applyRemoteAwareness(update);
		} catch (error) {
			this.#metrics.relayDropped.inc({ reason: 'malformed' });
			this.#log.warn({ err: error, doc: relayed.name }, 'a relayed presence update could not be applied');
		}
	}

	/** Another instance just subscribed: tell it who is here. */
	#answerAwarenessQuery(relayed: RelayedDoc): void {
		const update = relayed.shared.encodeLocalAwareness();
		if (!update) return;
		this.#publish(relayed.channels.awareness, { kind: 'awareness', from: this.instanceId, sentAt: preciseNow(), update });
	}
}

/** Opens the relay's two connections and builds the relay. */
export async function createRedisRelay(options: RelayOptions): Promise<RedisRelay> {
	const connections = await openPubSub({ url: options.url, name: `mc-relay-${options.instanceId}`, log: options.log });
	return new RedisRelay({ options, ...connections });
}
