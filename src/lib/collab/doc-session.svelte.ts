/**
 * One board document in the browser: a Y.Doc kept in IndexedDB (offline edits survive a reload)
 * and synced over `/yjs/board:<id>` with y-websocket. The sync state is honest: "saved" only once
 * the server's state vector (which it sends a writer after the writer's updates are durable, see
 * docs/sync-protocol.md) covers every change this browser holds.
 */
import * as decoding from 'lib0/decoding';
import { createSubscriber } from 'svelte/reactivity';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { closeCodes, terminalCloseCodes } from '../protocol/close-codes.ts';
import { boardDocName } from '../protocol/doc-names.ts';
import {
	deriveSyncState,
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
	/** How long the pending-change list may wait before it is written to IndexedDB. */
	persistPendingMs: 250
} as const;

export type DocSessionOptions = {
	boardId: string;
	/** Who is signed in: the local cache is per person, so two people sharing a browser never mix. */
	principalId: string;
	/** Read-only sessions never write, so they never wait for acknowledgements. */
	readOnly: boolean;
	/** `ws(s)://host/yjs`; defaults to the page's own origin. */
	serverUrl?: string;
};

const pendingKey = 'pending-changes';
const messageSync = 0;
const syncStep1 = 0;

/** The IndexedDB database of one person's copy of one board. */
export function localCacheName(principalId: string, boardId: string): string {
	return `mission-control:${principalId}:${boardDocName(boardId)}`;
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
	#persistTimer: ReturnType<typeof setTimeout> | undefined;
	#destroyed = false;
	#subscribeDoc = createSubscriber((update) => {
		this.doc.on('afterTransaction', update);
		return () => this.doc.off('afterTransaction', update);
	});

	constructor(options: DocSessionOptions) {
		this.readOnly = options.readOnly;
		this.#online = navigator.onLine;
		this.local = new IndexeddbPersistence(localCacheName(options.principalId, options.boardId), this.doc);
		this.provider = new WebsocketProvider(options.serverUrl ?? sameOriginSyncUrl(), boardDocName(options.boardId), this.doc, {
			connect: false,
			// Each tab syncs through the server, so "saved" means the server has it.
			disableBc: true,
			maxBackoffTime: docSessionDefaults.maxBackoffMs,
			shouldReconnect: (event) => !terminalCloseCodes.has(event.code)
		});
		this.#wrapSyncHandler();
		this.provider.on('status', ({ status }) => {
			this.#connected = status === 'connected';
		});
		this.provider.on('sync', (synced: boolean) => {
			this.#synced = synced;
			if (synced) {
				this.#everSynced = true;
				this.#failedAttempts = 0;
			}
		});
		this.provider.on('connection-close', () => {
			this.#synced = false;
			this.#serverHasAll = false;
			this.#failedAttempts++;
		});
		this.provider.on('closed', ({ code }) => {
			this.#terminalCode = code;
		});
		this.doc.on('update', this.#onUpdate);
		window.addEventListener('online', this.#onNetwork);
		window.addEventListener('offline', this.#onNetwork);
		window.addEventListener('pagehide', this.#onPageHide);
		// Load what this browser kept first, so offline edits go out with the first sync.
		void this.local.whenSynced.then(() => this.#afterLocalLoad());
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

	get signedOut(): boolean {
		return this.#terminalCode === closeCodes.signedOut;
	}

	/** Runs once the local copy is loaded: restores the pending list, then connects. */
	async #afterLocalLoad(): Promise<void> {
		if (this.#destroyed) return;
		this.#localLoaded = true;
		this.#localHadContent = this.doc.store.clients.size > 0;
		const saved: unknown = await this.local.get(pendingKey).catch((error: unknown) => {
			console.warn('could not read the pending changes from IndexedDB', error);
			return undefined;
		});
		if (this.#destroyed) return;
		const restored = parsePending(saved);
		if (restored.length > 0) {
			this.#pending = [...restored, ...this.#pending];
			this.#edited = true;
		}
		this.provider.connect();
	}

	/** Reads every sync step 1 the server sends (on connect and after our writes are durable). */
	#wrapSyncHandler(): void {
		const original = this.provider.messageHandlers[messageSync] as SyncHandler;
		const wrapped: SyncHandler = (encoder, decoder, provider, emitSynced, messageType) => {
			const vector = peekStep1(decoder);
			original(encoder, decoder, provider, emitSynced, messageType);
			if (vector) this.#acknowledge(vector);
		};
		this.provider.messageHandlers[messageSync] = wrapped;
	}

	#acknowledge(server: StateVector): void {
		this.#lastServerVector = server;
		const left = unacknowledged(this.#pending, server);
		if (left.length !== this.#pending.length) {
			this.#pending = left;
			this.#schedulePersist();
		}
		this.#serverHasAll = stateVectorCovers(server, Y.decodeStateVector(Y.encodeStateVector(this.doc)));
	}

	#onUpdate = (_update: Uint8Array, origin: unknown): void => {
		// Remote updates come from the provider; the local copy's from IndexedDB. Anything else is ours.
		if (origin === this.provider || origin === this.local || this.readOnly) {
			if (this.#lastServerVector && origin !== this.provider) this.#acknowledge(this.#lastServerVector);
			return;
		}
		const clock = Y.getState(this.doc.store, this.doc.clientID);
		this.#pending = [...this.#pending, { client: this.doc.clientID, clock }];
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
		this.local.set(pendingKey, JSON.stringify(this.#pending)).catch((error: unknown) => {
			console.warn('could not record the pending changes in IndexedDB', error);
		});
	}

	/** Leaving or reloading the page: write the pending list now rather than after the delay. */
	#onPageHide = (): void => {
		clearTimeout(this.#persistTimer);
		this.#persistTimer = undefined;
		this.#persistPending();
	};

	#onNetwork = (): void => {
		this.#online = navigator.onLine;
		if (this.#online && this.#terminalCode === undefined && this.#localLoaded) this.provider.connect();
	};

	/** Reconnects after a terminal close (for example after signing in again in another tab). */
	reconnect(): void {
		this.#terminalCode = undefined;
		this.#failedAttempts = 0;
		this.provider.connect();
	}

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

/** The state vector of a sync step 1, without consuming the decoder. */
function peekStep1(decoder: decoding.Decoder): StateVector | undefined {
	try {
		const peek = decoding.clone(decoder);
		if (decoding.readVarUint(peek) !== syncStep1) return undefined;
		return Y.decodeStateVector(decoding.readVarUint8Array(peek));
	} catch {
		// Malformed: the real handler reports it.
		return undefined;
	}
}

function parsePending(value: unknown): PendingChange[] {
	if (typeof value !== 'string') return [];
	try {
		const parsed: unknown = JSON.parse(value);
		if (!Array.isArray(parsed)) return [];
		return parsed.filter(
			(entry): entry is PendingChange =>
				typeof entry === 'object' &&
				entry !== null &&
				Number.isSafeInteger((entry as PendingChange).client) &&
				Number.isSafeInteger((entry as PendingChange).clock)
		);
	} catch {
		return [];
	}
}
