/**
 * One loaded document: its Y.Doc, awareness and peers. Accepted updates are written to the store
 * first (batched while a write is in flight), then broadcast: the same bytes to every other peer.
 */
import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Principal } from '../auth/principal.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { closeCodes } from '#lib/protocol/close-codes.ts';
import type { LedgerActor, LedgerEntry } from '#lib/protocol/ledger.ts';
import type { RecordChanges } from '../ledger/describe-changes.ts';
import type { Announcement, AppendEntry, Store, UpdateMeta } from '../store/store.ts';
import type { DocRules } from './doc-rules.ts';
import { guardAwareness } from './awareness-guard.ts';
import type { HubHooks } from './hooks.ts';
import { bringsNothingNew } from './known-update.ts';
import { Peer } from './peer.ts';
import { encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeUpdate, frameBinary, isWriteMessage, messageType, syncType } from './protocol.ts';

/** A write made by the server itself (the JSON API, imports), attributed to a principal. */
export interface ServerOrigin {
	readonly originKind: 'server';
	readonly principal: Principal;
}

/** The server's own stamps (who created and last changed each record): stored and broadcast, not described. */
export const stampOrigin = { originKind: 'stamp' } as const;

/** The principal of writes the server makes on its own account (stamps). */
export const serverPrincipal: Principal = Object.freeze({ id: 'server', kind: 'admin', name: 'Mission Control', role: 'lead' });

/** Updates that are already stored elsewhere: broadcast them, never store or republish them. */
export const remoteOrigins = { store: 'store', redis: 'redis' } as const;
export type RemoteOrigin = (typeof remoteOrigins)[keyof typeof remoteOrigins];

/** Presence removed because one of this instance's peers left: published like a peer's own change. */
const departureOrigin = 'departure';

export class MalformedMessageError extends Error {
	readonly code = 'malformed_message';
	constructor(message: string) {
		super(message);
		this.name = 'MalformedMessageError';
	}
}

interface PendingUpdate {
	update: Uint8Array;
	meta: UpdateMeta;
	ledger: RecordChanges[] | undefined;
	principal: Principal;
	from: Peer | undefined;
}

export interface SharedDocContext {
	store: Store;
	hooks: readonly HubHooks[];
	metrics: Metrics;
	log: Logger;
	compactAfterUpdates: number;
	awarenessFlushMs: number;
	storeRetryMs: number;
	/** Protected paths, ledger and stamps for this kind of document; undefined syncs it as it is. */
	rules: DocRules | undefined;
}

const emptyStateVectorLength = 1;

/**
 * When to compact, beyond `compactAfterUpdates`: compaction rewrites the whole document (O(state)
 * on the event loop and in the store), so it waits until the log holds at least this share of the
 * state's size; that keeps its cost proportional to what was written (about 4 × each byte at most)
 * instead of a whole rewrite every `compactAfterUpdates` updates. A log past `maxLogFactor` ×
 * `compactAfterUpdates` is compacted whatever its size, so loading stays quick.
 */
export const compactionDefaults = { logShareOfState: 0.25, maxLogFactor: 20 } as const;

/**
 * A writer hears that its changes are durable at most this often. Every acknowledgement is a sync
 * step 1, which a y-websocket client answers with a sync step 2 holding its whole delete set: the
 * client encodes it and the server decodes, checks and applies it, O(document history) on both
 * sides. Sent after every batch, that grew with every overwritten field until it stalled the hub.
 */
export const acknowledgeDefaults = { intervalMs: 500 } as const;

export class SharedDoc {
	readonly name: string;
	readonly doc: Y.Doc;
	readonly awareness: awarenessProtocol.Awareness;
	readonly peers = new Set<Peer>();
	/** Server-side users (loading peers, API calls) that keep the document in memory. */
	holds = 0;
	unloadTimer: NodeJS.Timeout | undefined;
	#context: SharedDocContext;
	#pending: PendingUpdate[] = [];
	#flushing: Promise<void> | undefined;
	#logLength: number;
	/** Bytes this instance appended since the log was last compacted (or seen shrinking). */
	#logBytes = 0;
	/** The state's size as one update, estimated once and grown by each compaction; undefined until needed. */
	#stateBytes: number | undefined;
	#compacting = false;
	#stateMessage: Uint8Array | undefined;
	#awarenessChanged = new Set<number>();
	/** Awareness clients changed by this instance's peers (not by another instance or a timeout). */
	#awarenessLocal = new Set<number>();
	#awarenessTimer: NodeJS.Timeout | undefined;
	/** Writers whose durable changes are not acknowledged yet, and the newest durable state vector. */
	#unacknowledged = new Set<Peer>();
	#durableState: Uint8Array | undefined;
	#acknowledgeTimer: NodeJS.Timeout | undefined;
	/** What the transaction being cleaned up changed, from `afterTransaction` to the `update` event. */
	#described: RecordChanges[] | undefined;

	constructor(name: string, doc: Y.Doc, logLength: number, context: SharedDocContext) {
		this.name = name;
		this.doc = doc;
		this.#logLength = logLength;
		this.#context = context;
		this.awareness = new awarenessProtocol.Awareness(doc);
		this.awareness.setLocalState(null);
		if (context.rules) doc.on('afterTransaction', this.#describe);
		doc.on('update', this.#onUpdate);
		this.awareness.on('update', this.#onAwareness);
	}

	/** Updates accepted but not yet durable. */
	get pendingCount(): number {
		return this.#pending.length;
	}

	addPeer(peer: Peer): void {
		this.peers.add(peer);
		peer.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
		const states = this.awareness.getStates();
		if (states.size > 0) peer.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()])));
	}

	removePeer(peer: Peer): void {
		if (!this.peers.delete(peer)) return;
		this.#unacknowledged.delete(peer);
		if (peer.awarenessIds.size > 0) awarenessProtocol.removeAwarenessStates(this.awareness, [...peer.awarenessIds], departureOrigin);
	}

	/** Handles one message from a peer. Throws MalformedMessageError (or a decoding error) on bad input. */
	receive(peer: Peer, data: Uint8Array): void {
		if (peer.readOnly && isWriteMessage(data)) {
			this.#context.metrics.rejected.inc({ reason: 'read_only' });
			return;
		}
		const decoder = decoding.createDecoder(data);
		const type = decoding.readVarUint(decoder);
		switch (type) {
			case messageType.sync: {
				const step = decoding.readVarUint(decoder);
				const payload = decoding.readVarUint8Array(decoder);
				expectEnd(decoder);
				if (step === syncType.step1) this.#answerStep1(peer, payload);
				else if (step === syncType.step2 && !peer.answeredOpening) {
					peer.answeredOpening = true;
					this.#applyFrom(peer, payload, true);
				} else if (step === syncType.step2 || step === syncType.update) this.#applyFrom(peer, payload);
				else throw new MalformedMessageError(`unknown sync step ${step}`);
				return;
			}
			case messageType.awareness: {
				const update = decoding.readVarUint8Array(decoder);
				expectEnd(decoder);
				// Presence is the connection's own: its client ids only, `user` set from its principal.
				// Past its size or its connection's rate it is dropped and counted, never re-broadcast.
				const accepted = guardAwareness(
					this.peers,
					peer,
					update,
					(clientId) => this.awareness.meta.get(clientId)?.clock,
					(reason) => this.#context.metrics.rejected.inc({ reason })
				);
				if (accepted) awarenessProtocol.applyAwarenessUpdate(this.awareness, accepted, peer);
				return;
			}
			case messageType.queryAwareness:
				expectEnd(decoder);
				peer.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()])));
				return;
			case messageType.auth:
				return;
			default:
				throw new MalformedMessageError(`unknown message type ${type}`);
		}
	}

	/** Runs `change` as one transaction attributed to `principal`; resolves once it is durable. */
	async transact<T>(principal: Principal, change: (doc: Y.Doc) => T): Promise<T> {
		let result!: T;
		const origin: ServerOrigin = { originKind: 'server', principal };
		this.doc.transact(() => {
			result = change(this.doc);
		}, origin);
		await this.whenDurable();
		return result;
	}

	/**
	 * Merges updates that are already stored (from the store by anti-entropy, or from another
	 * instance by the relay) in one transaction: broadcast to the peers here, never stored or
	 * republished. Returns whether anything was new, deletions included (a state vector alone
	 * would not show a missed deletion).
	 */
	mergeRemote(updates: readonly Uint8Array[], origin: RemoteOrigin): boolean {
		let changed = false;
		const onUpdate = () => {
			changed = true;
		};
		this.doc.on('update', onUpdate);
		try {
			this.doc.transact(() => {
				for (const update of updates) Y.applyUpdate(this.doc, update);
			}, origin);
		} finally {
			this.doc.off('update', onUpdate);
		}
		return changed;
	}

	/** Applies presence relayed from another instance (never republished). */
	applyRemoteAwareness(update: Uint8Array): void {
		awarenessProtocol.applyAwarenessUpdate(this.awareness, update, remoteOrigins.redis);
	}

	/** The presence of this instance's own peers, encoded (for another instance that asks), or undefined. */
	encodeLocalAwareness(): Uint8Array | undefined {
		const states = this.awareness.getStates();
		const ids: number[] = [];
		for (const peer of this.peers) for (const id of peer.awarenessIds) if (states.has(id)) ids.push(id);
		return ids.length === 0 ? undefined : awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids);
	}

	/** Resolves when every update accepted so far is in the store. */
	async whenDurable(): Promise<void> {
		while (this.#flushing) await this.#flushing;
	}

	/** Persists what is pending and releases the document. Idempotent. */
	async destroy(): Promise<void> {
		await this.whenDurable();
		clearTimeout(this.#awarenessTimer);
		clearTimeout(this.#acknowledgeTimer);
		clearTimeout(this.unloadTimer);
		this.awareness.destroy();
		this.doc.destroy();
	}

	/**
	 * Applies a peer's update unless the document's rules refuse it (then only that peer is told).
	 * `opening`: the peer's answer to the server's opening step 1, which carries every deletion it
	 * holds. When that brings nothing new it is still acknowledged (below). An update that can
	 * change nothing (`known-update.ts`) is neither checked nor applied.
	 */
	#applyFrom(peer: Peer, update: Uint8Array, opening = false): void {
		// Most often a writer's answer to an acknowledgement: its whole delete set, all known here.
		if (bringsNothingNew(this.doc, update)) {
			if (opening) void this.#acknowledgeOpening(peer);
			return;
		}
		const refusal = this.#context.rules?.check(this.doc, update, peer.principal);
		if (refusal) {
			this.#context.metrics.rejected.inc({ reason: 'protected' });
			this.#context.log.warn({ doc: this.name, principal: peer.principal.id, reason: refusal.reason, path: refusal.path }, 'change refused');
			peer.close(closeCodes.changeRefused, refusal.message);
			return;
		}
		const queued = this.#pending.length;
		Y.applyUpdate(this.doc, update, peer);
		if (opening && this.#pending.length === queued) void this.#acknowledgeOpening(peer);
	}

	/**
	 * Acknowledges a peer's opening answer that held nothing new, once everything before it is
	 * durable. A page that reloads with a deletion not yet acknowledged (typed a letter and deleted
	 * it, then reloaded) can only learn that the server holds it from an acknowledgement: without
	 * one it showed "Saving… 1 change waiting" until its next edit. Only the opening answer: the
	 * peer answers this step 1 with another step 2, which must not be acknowledged in turn.
	 */
	async #acknowledgeOpening(peer: Peer): Promise<void> {
		await this.whenDurable();
		if (this.peers.has(peer)) peer.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
	}

	#describe = (transaction: Y.Transaction): void => {
		const origin = transaction.origin;
		const local = origin instanceof Peer || (origin as ServerOrigin | null)?.originKind === 'server';
		this.#described = local && this.#context.rules ? this.#context.rules.describe(transaction) : undefined;
	};

	#answerStep1(peer: Peer, stateVector: Uint8Array): void {
		const answer = () => peer.sendAnswer(this.#stateFor(stateVector));
		if (!this.#flushing) {
			answer();
			return;
		}
		// Never hand out state that is not yet durable.
		this.whenDurable().then(answer, (error: unknown) => this.#context.log.error({ err: error, doc: this.name }, 'sync answer failed'));
	}

	#stateFor(stateVector: Uint8Array): Uint8Array {
		if (stateVector.length > emptyStateVectorLength) return encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, stateVector));
		this.#stateMessage ??= encodeSyncStep2(Y.encodeStateAsUpdate(this.doc));
		return this.#stateMessage;
	}

	#onUpdate = (update: Uint8Array, origin: unknown): void => {
		this.#stateMessage = undefined;
		if (origin === remoteOrigins.store || origin === remoteOrigins.redis) {
			this.#broadcast(encodeUpdate(update), undefined);
			return;
		}
		const ledger = this.#described;
		this.#described = undefined;
		const from = origin instanceof Peer ? origin : undefined;
		const principal = origin === stampOrigin ? serverPrincipal : (from?.principal ?? (origin as ServerOrigin | undefined)?.principal);
		if (!principal) throw new Error(`update on ${this.name} without an attributable origin`);
		const at = Date.now();
		this.#pending.push({ update, meta: { by: principal.id, at }, ledger: ledger?.length ? ledger : undefined, principal, from });
		this.#context.metrics.queuedWrites.inc();
		this.#flushing ??= this.#flush();
		// The server's stamps for the change, in a transaction Yjs runs as soon as this one's
		// handlers are done: queued right behind it, so both are stored in one write and sent in one message.
		const rules = this.#context.rules;
		if (rules && ledger?.length) {
			const write = rules.stamp(this.doc, ledger, at, actorOf(principal));
			if (write) this.doc.transact(() => write(this.doc), stampOrigin);
		}
	};

	async #flush(): Promise<void> {
		const { store, metrics, log, hooks } = this.#context;
		let failures = 0;
		try {
			// The first batch waits for the end of this turn of the event loop: every update read
			// from the sockets in this turn is then written in one transaction and reaches each peer
			// as one message (one write), however many writers sent one.
			await endOfTurn();
			while (this.#pending.length > 0) {
				const batch = this.#pending.splice(0);
				// Everything applied so far is in this batch or already stored: once it is written,
				// this is exactly what the store holds (later updates wait for their own batch).
				const durableState = Y.encodeStateVector(this.doc);
				const started = performance.now();
				let firstSeq: number;
				const entries = batch.map(toAppendEntry);
				let announce: Announcement | undefined;
				for (const hook of hooks) announce ??= hook.announce?.({ docName: this.name, entries });
				try {
					const result = await store.appendUpdates(this.name, entries, announce ? { announce } : undefined);
					// A shorter log than before: another instance compacted it.
					if (result.logLength < this.#logLength) this.#logBytes = 0;
					this.#logLength = result.logLength;
					for (const entry of batch) this.#logBytes += entry.update.byteLength;
					firstSeq = result.firstSeq;
				} catch (error) {
					this.#pending.unshift(...batch);
					failures++;
					metrics.storeErrors.inc({ op: 'append' });
					log.error({ err: error, doc: this.name, queued: this.#pending.length }, 'store write failed; keeping updates in memory and retrying');
					await delay(Math.min(this.#context.storeRetryMs * 2 ** Math.min(failures - 1, 5), 10_000));
					continue;
				}
				failures = 0;
				const seconds = (performance.now() - started) / 1000;
				metrics.storeWriteSeconds.observe(seconds);
				metrics.queuedWrites.dec(batch.length);
				metrics.updatesIn.inc(batch.length);
				for (const hook of hooks) hook.onStore?.({ docName: this.name, entries, seconds, announced: announce !== undefined });
				// A writer may be sent the server's part of its batch (its stamps) and its
				// acknowledgement: corked, they leave in one write instead of two.
				const writers = writersOf(batch);
				for (const writer of writers) writer.cork();
				try {
					this.#broadcastBatch(batch);
					this.#acknowledge(batch, durableState);
				} finally {
					for (const writer of writers) writer.uncork();
				}
				// What follows a change (notifications, webhooks, the record pulse) once the peers
				// have it: none of it is on the way from one editor to the others.
				const ledger = ledgerEntries(batch, firstSeq);
				if (ledger.length > 0) {
					metrics.ledgerEntries.inc(ledger.length);
					for (const hook of hooks) {
						try {
							hook.onLedger?.({ docName: this.name, entries: ledger, doc: this.doc });
						} catch (error) {
							log.error({ err: error, doc: this.name }, 'a ledger hook failed');
						}
					}
				}
				if (this.#compactionDue()) this.#compact();
			}
		} finally {
			this.#flushing = undefined;
		}
	}

	/**
	 * Tells each writer what the server now holds: a sync step 1 with the server's state vector.
	 * The browser compares it with its own to show "saved" honestly; any y-websocket client just
	 * answers with the (empty) difference.
	 */
	#acknowledge(batch: readonly PendingUpdate[], durableState: Uint8Array): void {
		let wrote = false;
		for (const { from } of batch) {
			if (!from) continue;
			this.#unacknowledged.add(from);
			wrote = true;
		}
		if (!wrote) return;
		this.#durableState = durableState;
		// The first batch of a quiet spell is acknowledged at once; later ones within the interval together.
		if (this.#acknowledgeTimer) return;
		this.#sendAcknowledgements();
		this.#acknowledgeTimer = setTimeout(this.#acknowledgeLater, acknowledgeDefaults.intervalMs);
	}

	#acknowledgeLater = (): void => {
		this.#acknowledgeTimer = undefined;
		if (this.#unacknowledged.size === 0) return;
		this.#sendAcknowledgements();
		this.#acknowledgeTimer = setTimeout(this.#acknowledgeLater, acknowledgeDefaults.intervalMs);
	};

	#sendAcknowledgements(): void {
		const state = this.#durableState;
		if (!state || this.#unacknowledged.size === 0) return;
		const message = encodeSyncStep1(state);
		for (const writer of this.#unacknowledged) if (this.peers.has(writer)) writer.send(message);
		this.#unacknowledged.clear();
	}

	/**
	 * Sends a stored batch to the peers. One update goes to everyone but its writer. Several (they
	 * piled up while the previous batch was being written) are merged into one update, so each peer
	 * gets one message (one frame, one write) per batch instead of one per update; its writers get it
	 * too, their own part being a no-op for Yjs (as the reference y-websocket server always does).
	 */
	#broadcastBatch(batch: readonly PendingUpdate[]): void {
		const [only] = batch;
		if (batch.length === 1 && only) {
			this.#broadcast(encodeUpdate(only.update), only.from);
			return;
		}
		if (batch.length === 0) return;
		const merged = encodeUpdate(Y.mergeUpdates(batch.map((entry) => entry.update)));
		const writers = new Set(batch.map((entry) => entry.from));
		writers.delete(undefined);
		const [writer] = writers;
		if (writers.size !== 1 || !writer) {
			this.#broadcast(merged, undefined);
			return;
		}
		// One peer's change and the server's own (its stamps): that peer gets only the server's part.
		this.#broadcast(merged, writer);
		const own = batch.filter((entry) => entry.from === undefined).map((entry) => entry.update);
		if (own.length > 0 && this.peers.has(writer) && writer.send(encodeUpdate(own.length === 1 ? own[0]! : Y.mergeUpdates(own)))) {
			this.#context.metrics.updatesOut.inc();
		}
	}

	#broadcast(message: Uint8Array, except: Peer | undefined): void {
		if (this.peers.size === 0 || (this.peers.size === 1 && except && this.peers.has(except))) return;
		const frame = frameBinary(message);
		let sent = 0;
		for (const peer of this.peers) {
			if (peer !== except && peer.sendFrame(frame)) sent++;
		}
		if (sent > 0) {
			this.#context.metrics.updatesOut.inc(sent);
			this.#context.metrics.bytesOut.inc(sent * message.length);
		}
	}

	#compactionDue(): boolean {
		const { compactAfterUpdates } = this.#context;
		if (this.#logLength < compactAfterUpdates || this.#compacting) return false;
		if (this.#logLength >= compactAfterUpdates * compactionDefaults.maxLogFactor) return true;
		// Measured once (the cached full-state answer when there is one), then kept up to date.
		this.#stateBytes ??= (this.#stateMessage ?? Y.encodeStateAsUpdate(this.doc)).byteLength;
		return this.#logBytes >= this.#stateBytes * compactionDefaults.logShareOfState;
	}

	#compact(): void {
		if (this.#compacting) return;
		this.#compacting = true;
		const merged = this.#logBytes;
		this.#context.store
			.compact(this.name)
			.then(() => {
				this.#logLength = 0;
				this.#logBytes = Math.max(0, this.#logBytes - merged);
				if (this.#stateBytes !== undefined) this.#stateBytes += merged;
				this.#context.metrics.compactions.inc();
			})
			.catch((error: unknown) => {
				this.#context.metrics.storeErrors.inc({ op: 'compact' });
				this.#context.log.warn({ err: error, doc: this.name }, 'compaction failed; the log is intact and will be compacted later');
			})
			.finally(() => {
				this.#compacting = false;
			});
	}

	#onAwareness = (changes: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
		if (origin instanceof Peer) {
			for (const id of changes.added) origin.awarenessIds.add(id);
			for (const id of changes.removed) origin.awarenessIds.delete(id);
		}
		const local = origin instanceof Peer || origin === departureOrigin;
		for (const list of [changes.added, changes.updated, changes.removed]) {
			for (const id of list) {
				this.#awarenessChanged.add(id);
				if (local) this.#awarenessLocal.add(id);
			}
		}
		// Presence is coalesced: one message per document per window, whatever the number of movers.
		this.#awarenessTimer ??= setTimeout(this.#flushAwareness, this.#context.awarenessFlushMs);
	};

	#flushAwareness = (): void => {
		this.#awarenessTimer = undefined;
		if (this.#awarenessChanged.size === 0) return;
		const ids = [...this.#awarenessChanged];
		this.#awarenessChanged.clear();
		this.#broadcast(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids)), undefined);
		if (this.#awarenessLocal.size === 0) return;
		const local = [...this.#awarenessLocal];
		this.#awarenessLocal.clear();
		const hooks = this.#context.hooks.filter((hook) => hook.onAwareness);
		if (hooks.length === 0) return;
		const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, local);
		for (const hook of hooks) hook.onAwareness?.({ docName: this.name, update });
	};
}

/** The peers whose updates are in `batch`. */
function writersOf(batch: readonly PendingUpdate[]): Set<Peer> {
	const writers = new Set<Peer>();
	for (const { from } of batch) if (from) writers.add(from);
	return writers;
}

function toAppendEntry({ update, meta, ledger, principal }: PendingUpdate): AppendEntry {
	return ledger ? { update, meta, ledger: ledger.map((changes) => ({ ...changes, by: actorOf(principal) })) } : { update, meta };
}

export function actorOf(principal: Principal): LedgerActor {
	return { id: principal.id, name: principal.name, department: principal.departmentId ?? null };
}

/** The ledger entries of a stored batch, numbered by the seq the store gave each update. */
function ledgerEntries(batch: readonly PendingUpdate[], firstSeq: number): LedgerEntry[] {
	const entries: LedgerEntry[] = [];
	batch.forEach(({ ledger, meta, principal }, index) => {
		for (const changes of ledger ?? []) entries.push({ seq: firstSeq + index, at: meta.at, by: actorOf(principal), ...changes });
	});
	return entries;
}

function expectEnd(decoder: decoding.Decoder): void {
	if (decoding.hasContent(decoder)) throw new MalformedMessageError('trailing bytes after the message');
}

function endOfTurn(): Promise<void> {
	return new Promise((resolve) => setImmediate(resolve));
}

function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
