/**
 * One board document in the browser: a Y.Doc kept in IndexedDB (offline edits survive a reload)
 * and synced over `/yjs/board:<id>` with y-websocket. The sync state is honest: "saved" only once
 * the server's state vector (which it sends a writer after the writer's updates are durable, see
 * docs/sync-protocol.md) covers every change this browser holds.
 */
import { createSubscriber } from 'svelte/reactivity';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { closeCodes, terminalCloseCodes } from '../protocol/close-codes.ts';
import { boardDocName } from '../protocol/doc-names.ts';
import { decodePending, encodePending, hasCopyMarker, localCacheName, pendingChangesKey, removeCopyMarker, setCopyMarker } from './local-copy.ts';
import { messageSync, peekLargeWrite, peekStep1 } from './sync-messages.ts';
import {
	deriveSyncState,
	offlineAfterFailedAttempts,
	describeSync,
	stateVectorCovers,
	unacknowledged,
	type PendingChange,
	type StateVector,
	type SyncLabel,
	type SyncState
} from './sync-state.ts';

export const docSessionDefaults = {
	/** Longest wait between reconnection attempts. */
	maxBackoffMs: 2_500,
	/**
	 * How long the pending-change list may wait before it is written to IndexedDB: one macrotask,
	 * so edits in one burst are written once, and a reload right after an edit still finds them
	 * (a write started only at `pagehide` may not finish before the page goes).
	 */
	persistPendingMs: 0,
	/**
	 * A remote write at least this big (a cold open's full state) is applied without Yjs
	 * re-encoding it for the document's `update` listeners: the received bytes are stored as they are.
	 */
	bulkApplyBytes: 262_144,
	/**
	 * Storing a large remote write in IndexedDB copies megabytes on the main thread: it waits until
	 * the browser is idle after the board is on screen, but no longer than this.
	 */
	storeBulkWithinMs: 1_000
} as const;

export type DocSessionOptions = {
	boardId: string;
	/** Who is signed in: the local cache is per person, so two people sharing a browser never mix. */
	principalId: string;
	/** Read-only sessions never write, so they never wait for acknowledgements. */
	readOnly: boolean;
	/** `ws(s)://host/yjs`; defaults to the page's own origin. */
	serverUrl?: string;
	/**
	 * The server refused one of this browser's changes (close 4422, `reason` in plain words). By then
	 * the session has stopped syncing and dropped its local copy and pending list; the owner replaces
	 * it with a new session, which loads the board from the server.
	 */
	onRefused?: (reason: string) => void;
	/** Every change this browser made so far is durable on the server (and in its ledger). */
	onSaved?: () => void;
};


/** Runs `task` when the browser is idle, or after `withinMs` at the latest (`setTimeout` where idle callbacks are missing). */
export function whenIdle(task: () => void, withinMs: number): void {
	if (typeof requestIdleCallback === 'function') requestIdleCallback(task, { timeout: withinMs });
	else setTimeout(task, 0);
}

function sameOriginSyncUrl(): string {
	return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/yjs`;
}

type SyncHandler = WebsocketProvider['messageHandlers'][number];

export class DocSession {
	readonly doc = new Y.Doc();
	/** Transaction origin of this tab's own edits: pass it to the model's functions, and UndoScope tracks it. */
	readonly origin: { readonly tab: string } = Object.freeze({ tab: 'local' });
	readonly provider: WebsocketProvider;
	readonly local: IndexeddbPersistence;
	readonly readOnly: boolean;

	#connected = $state(false);
	#synced = $state(false);
	#everSynced = $state(false);
	#failedAttempts = $state(0);
	#online = $state(true);
	#localLoaded = $state(false);
	#localHadContent = $state(false);
	#serverHasAll = $state(false);
	#pending = $state.raw<PendingChange[]>([]);
	#edited = $state(false);
	#terminalCode = $state<number | undefined>(undefined);
	#lastServerVector: StateVector | undefined;
	#boardId: string;
	#probing = false;
	/** Sync step 1 messages received on the current connection (the first is the server's hello). */
	#step1Received = 0;
	#persistTimer: ReturnType<typeof setTimeout> | undefined;
	/** A large remote write not yet in the local copy (stored once the browser is idle). */
	#unstoredBulk: Uint8Array | undefined;
	#destroyed = false;
	/** The local copy was dropped after a refusal: nothing more is written to it. */
	#discarded = false;
	#refusal = $state<string | undefined>(undefined);
	#onRefused: ((reason: string) => void) | undefined;
	#onSaved: (() => void) | undefined;
	#markReady!: () => void;
	/**
	 * Resolves the first time there is something true to show (see `ready`): the first server sync,
	 * or a local copy with content. Work the open board does not need waits for it.
	 */
	readonly whenReady = new Promise<void>((resolve) => (this.#markReady = resolve));
	/** A localStorage key saying this browser holds a copy of the board (checked synchronously at start). */
	#cacheMarker: string;
	#subscribeDoc = createSubscriber((update) => {
		this.doc.on('afterTransaction', update);
		return () => this.doc.off('afterTransaction', update);
	});

	constructor(options: DocSessionOptions) {
		this.readOnly = options.readOnly;
		this.#boardId = options.boardId;
		this.#onRefused = options.onRefused;
		this.#onSaved = options.onSaved;
		this.#online = navigator.onLine;
		this.local = new IndexeddbPersistence(localCacheName(options.principalId, options.boardId), this.doc);
		this.provider = new WebsocketProvider(options.serverUrl ?? sameOriginSyncUrl(), boardDocName(options.boardId), this.doc, {
			connect: false,
			// Each tab syncs through the server, so "saved" means the server has it.
			disableBc: true,
			maxBackoffTime: docSessionDefaults.maxBackoffMs,
			// A refused change would be sent again on every reconnect: the copy holding it is dropped instead.
			shouldReconnect: (event) => !terminalCloseCodes.has(event.code) && event.code !== closeCodes.changeRefused
		});
		this.#wrapSyncHandler();
		this.provider.on('status', ({ status }) => {
			this.#connected = status === 'connected';
			if (status === 'connected') this.#step1Received = 0;
		});
		this.provider.on('sync', (synced: boolean) => {
			this.#synced = synced;
			if (synced) {
				this.#everSynced = true;
				this.#failedAttempts = 0;
				this.#markReady();
			}
		});
		this.provider.on('connection-close', () => {
			this.#synced = false;
			this.#serverHasAll = false;
			this.#failedAttempts++;
			if (this.#failedAttempts >= offlineAfterFailedAttempts) void this.#probe();
		});
		this.provider.on('closed', ({ code, reason }) => {
			if (code === closeCodes.changeRefused) void this.#discardAfterRefusal(reason);
			else this.#terminalCode = code;
		});
		this.doc.on('update', this.#onUpdate);
		window.addEventListener('online', this.#onNetwork);
		window.addEventListener('offline', this.#onNetwork);
		window.addEventListener('pagehide', this.#onPageHide);
		// With a local copy, load it first so the first sync only exchanges the difference (and
		// offline edits go out with it); without one, there is nothing to wait for.
		this.#cacheMarker = `${localCacheName(options.principalId, options.boardId)}:kept`;
		const hasCopy = hasCopyMarker(this.#cacheMarker);
		// Loading the copy is one big local write: nobody needs it re-encoded (nothing is connected yet).
		if (hasCopy) this.#detachUpdateListeners();
		else this.provider.connect();
		const loading = performance.now();
		void this.local.whenSynced.then(() => {
			performance.measure('mc:board-local-load', { start: loading, end: performance.now() });
			if (hasCopy) this.#attachUpdateListeners();
			return this.#afterLocalLoad();
		});
	}

	/** The document, read through a subscriber: a reader re-runs after every transaction. */
	get current(): Y.Doc {
		this.#subscribeDoc();
		return this.doc;
	}

	get state(): SyncState {
		return deriveSyncState({
			connected: this.#connected,
			synced: this.#synced,
			failedAttempts: this.#failedAttempts,
			online: this.#online,
			serverHasAll: this.readOnly || this.#serverHasAll,
			pending: this.#pending.length,
			edited: this.#edited,
			terminalCode: this.#terminalCode,
			everSynced: this.#everSynced
		});
	}

	/** Local changes the server has not acknowledged. */
	get pending(): number {
		return this.#pending.length;
	}

	get label(): SyncLabel {
		return describeSync(this.state, this.#pending.length);
	}

	/**
	 * There is something true to show: the server answered once, or this browser's copy had
	 * content, or (offline with an empty copy) nothing more will come for now.
	 */
	get ready(): boolean {
		if (this.#everSynced) return true;
		if (!this.#localLoaded) return false;
		return this.#localHadContent || this.state === 'offline';
	}

	/** True once the first server sync completed on this page. */
	get everSynced(): boolean {
		return this.#everSynced;
	}

	/** The close code the server ended the session with, when it did so for good. */
	get terminalCode(): number | undefined {
		return this.#terminalCode;
	}

	/** Why the server refused a change of this browser's, once it has (the session is then finished). */
	get refusal(): string | undefined {
		return this.#refusal;
	}

	get signedOut(): boolean {
		return this.#terminalCode === closeCodes.signedOut;
	}

	/** Runs once the local copy is loaded: restores the pending list, then connects. */
	async #afterLocalLoad(): Promise<void> {
		if (this.#destroyed) return;
		const saved: unknown = await this.local.get(pendingChangesKey).catch((error: unknown) => {
			console.warn('could not read the pending changes from IndexedDB', error);
			return undefined;
		});
		if (this.#destroyed) return;
		// The copy and its count of unsent changes appear together.
		const restored = decodePending(saved);
		if (restored.length > 0) {
			this.#pending = [...restored, ...this.#pending];
			this.#edited = true;
		}
		this.#localHadContent = this.doc.store.clients.size > 0;
		this.#localLoaded = true;
		if (this.#localHadContent) {
			setCopyMarker(this.#cacheMarker);
			this.#markReady();
		}
		// A server that answered while the copy was loading may already hold those changes.
		if (this.#lastServerVector) this.#acknowledge(this.#lastServerVector, false);
		// Not after a terminal close that happened while the copy was loading.
		if (this.#terminalCode === undefined) this.provider.connect();
	}

	/** Reads every sync step 1 the server sends (on connect and after our writes are durable). */
	#wrapSyncHandler(): void {
		const original = this.provider.messageHandlers[messageSync] as SyncHandler;
		const wrapped: SyncHandler = (encoder, decoder, provider, emitSynced, messageType) => {
			const vector = peekStep1(decoder);
			const bulk = vector ? undefined : peekLargeWrite(decoder, docSessionDefaults.bulkApplyBytes);
			if (bulk) this.#applyBulk(bulk, () => original(encoder, decoder, provider, emitSynced, messageType));
			else original(encoder, decoder, provider, emitSynced, messageType);
			if (vector) this.#acknowledge(vector, this.#step1Received++ > 0);
		};
		this.provider.messageHandlers[messageSync] = wrapped;
	}

	/**
	 * Applies a large remote write (the whole board on a cold open) with the document's `update`
	 * listeners detached, so Yjs does not re-encode megabytes nobody needs: the provider ignores
	 * its own updates, this session ignores remote ones, and the local copy stores the received
	 * bytes, which are the same update, once the browser is idle (the board is on screen first).
	 */
	#applyBulk(update: Uint8Array, apply: () => void): void {
		this.#detachUpdateListeners();
		const started = performance.now();
		try {
			apply();
		} finally {
			this.#attachUpdateListeners();
			performance.measure('mc:board-apply', { start: started, end: performance.now(), detail: { bytes: update.byteLength } });
		}
		this.#unstoredBulk = this.#unstoredBulk ? Y.mergeUpdates([this.#unstoredBulk, update]) : update;
		whenIdle(() => this.#storeBulk(), docSessionDefaults.storeBulkWithinMs);
	}

	/** Writes the large remote write still held back into the local copy (once; nothing after a refusal or destroy). */
	#storeBulk(): void {
		const update = this.#unstoredBulk;
		this.#unstoredBulk = undefined;
		if (!update || this.#destroyed || this.#discarded) return;
		this.local._storeUpdate(update, this.provider);
		setCopyMarker(this.#cacheMarker);
	}

	/**
	 * The document's `update` listeners: the provider (sends local writes), the local copy (stores
	 * every write) and this session (counts local writes). While none is attached, Yjs skips
	 * encoding updates altogether.
	 */
	#updateListeners(): ((update: Uint8Array, origin: unknown, doc: Y.Doc, transaction: Y.Transaction) => void)[] {
		return [this.provider._updateHandler, this.local._storeUpdate, this.#onUpdate];
	}

	#detachUpdateListeners(): void {
		for (const listener of this.#updateListeners()) this.doc.off('update', listener);
	}

	#attachUpdateListeners(): void {
		for (const listener of this.#updateListeners()) this.doc.on('update', listener);
	}

	/**
	 * Drops the pending changes a server state vector covers. `acknowledgement`: the vector came
	 * in a step 1 the server sent after our writes were durable (not the one that opens a
	 * connection, nor a re-check after loading the local copy).
	 */
	#acknowledge(server: StateVector, acknowledgement: boolean): void {
		this.#lastServerVector = server;
		const left = unacknowledged(this.#pending, server, acknowledgement);
		if (left.length !== this.#pending.length) {
			this.#pending = left;
			this.#schedulePersist();
		}
		const hadAll = this.#serverHasAll;
		this.#serverHasAll = stateVectorCovers(server, Y.decodeStateVector(Y.encodeStateVector(this.doc)));
		if (acknowledgement && this.#serverHasAll && !hadAll && this.#pending.length === 0) this.#onSaved?.();
	}

	#onUpdate = (_update: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction): void => {
		// Remote updates come from the provider; the local copy's from IndexedDB. Anything else is ours.
		if (origin === this.provider || origin === this.local || this.readOnly) {
			if (this.#lastServerVector && origin !== this.provider) this.#acknowledge(this.#lastServerVector, false);
			return;
		}
		const client = this.doc.clientID;
		const clock = Y.getState(this.doc.store, client);
		const deleteOnly = clock === (transaction.beforeState.get(client) ?? 0);
		this.#pending = [...this.#pending, deleteOnly ? { client, clock, deleteOnly } : { client, clock }];
		this.#edited = true;
		this.#serverHasAll = false;
		this.#schedulePersist();
	};

	#schedulePersist(): void {
		if (this.#persistTimer !== undefined || this.#destroyed) return;
		this.#persistTimer = setTimeout(() => {
			this.#persistTimer = undefined;
			if (this.#destroyed) return;
			this.#persistPending();
		}, docSessionDefaults.persistPendingMs);
	}

	#persistPending(): void {
		if (this.#discarded) return;
		this.local.set(pendingChangesKey, encodePending(this.#pending)).catch((error: unknown) => {
			console.warn('could not record the pending changes in IndexedDB', error);
		});
	}

	/**
	 * A refused upgrade has no close code (the browser only sees a failed socket), so after a few
	 * failures ask the JSON API whether we are still signed in and may still see the board:
	 * "offline" only when the server cannot be reached at all.
	 */
	async #probe(): Promise<void> {
		if (this.#probing || this.#terminalCode !== undefined || this.#destroyed) return;
		this.#probing = true;
		try {
			const response = await fetch(`/api/boards/${encodeURIComponent(this.#boardId)}`, { credentials: 'same-origin', cache: 'no-store' });
			if (response.status === 401) this.#end(closeCodes.signedOut);
			else if (response.status === 403 || response.status === 404) this.#end(closeCodes.accessRevoked);
		} catch {
			// The server cannot be reached: "offline" is the truth, and reconnecting goes on.
		} finally {
			this.#probing = false;
		}
	}

	#end(code: number): void {
		if (this.#destroyed) return;
		this.#terminalCode = code;
		this.provider.disconnect();
	}

	/**
	 * The server refused a change this browser holds. The document cannot take it back (Yjs has no
	 * undo of a delete it applied), and any reconnect would send it again: so stop syncing, drop the
	 * IndexedDB copy, its pending list and its marker, and hand over to a fresh session.
	 */
	async #discardAfterRefusal(reason: string): Promise<void> {
		if (this.#discarded || this.#destroyed) return;
		this.#discarded = true;
		this.#terminalCode = closeCodes.changeRefused;
		this.#refusal = reason || 'the server refused a change';
		clearTimeout(this.#persistTimer);
		this.#persistTimer = undefined;
		this.#pending = [];
		this.provider.disconnect();
		this.doc.off('update', this.#onUpdate);
		removeCopyMarker(this.#cacheMarker);
		// clearData closes the database and deletes it; a new session opening it afterwards finds it empty.
		await this.local.clearData().catch((error: unknown) => console.warn('could not drop the local copy of the board', error));
		if (!this.#destroyed) this.#onRefused?.(this.#refusal);
	}

	/** Leaving or reloading the page: write the pending list now rather than after the delay. */
	#onPageHide = (): void => {
		this.#storeBulk();
		clearTimeout(this.#persistTimer);
		this.#persistTimer = undefined;
		this.#persistPending();
	};

	#onNetwork = (): void => {
		this.#online = navigator.onLine;
		if (this.#online && this.#terminalCode === undefined && this.#localLoaded) this.provider.connect();
	};

	/** Stops syncing and closes the local copy. Idempotent. */
	destroy(): void {
		if (this.#destroyed) return;
		this.#destroyed = true;
		clearTimeout(this.#persistTimer);
		window.removeEventListener('online', this.#onNetwork);
		window.removeEventListener('offline', this.#onNetwork);
		window.removeEventListener('pagehide', this.#onPageHide);
		this.doc.off('update', this.#onUpdate);
		this.#persistPending();
		this.provider.destroy();
		void this.local.destroy();
		this.doc.destroy();
	}
}
