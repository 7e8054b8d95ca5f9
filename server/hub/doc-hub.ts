/**
 * The document hub: authenticates `/yjs/<docName>` upgrades before any websocket exists, loads each
 * document once, keeps it while peers or server-side users hold it, and unloads it when idle.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import * as Y from 'yjs';
import { closeCodes, type CloseCode } from '#lib/protocol/close-codes.ts';
import { docNameFromPath } from '#lib/protocol/doc-names.ts';
import { errorStatus, type ErrorCode } from '../errors.ts';
import type { Principal } from '../auth/principal.ts';
import type { Logger } from '../log.ts';
import type { Metrics, RejectReason } from '../metrics.ts';
import type { Store } from '../store/store.ts';
import type { DocRulesFor } from './doc-rules.ts';
import { UpgradeRejection, type Admission, type HubHooks } from './hooks.ts';
import { Peer } from './peer.ts';
import { stopCutOff } from './upgrade-cut-off.ts';
import { remoteOrigins, SharedDoc } from './shared-doc.ts';

export const hubDefaults = {
	maxMessageBytes: 8_388_608,
	maxBufferedBytes: 4_194_304,
	pingIntervalMs: 30_000,
	unloadGraceMs: 30_000,
	compactAfterUpdates: 500,
	awarenessFlushMs: 40,
	storeRetryMs: 250,
	/** An upgrade that is not a websocket by then (headers, authentication, loading) is cut off. */
	upgradeTimeoutMs: 10_000
} as const;

export type HubLimits = { -readonly [K in keyof typeof hubDefaults]: number };

export interface DocHubOptions {
	store: Store;
	metrics: Metrics;
	log: Logger;
	hooks?: HubHooks[];
	/** Protected paths, ledger and stamps per kind of document (board documents). */
	rules?: DocRulesFor;
	limits?: Partial<HubLimits>;
}

export class DocHub {
	readonly limits: Readonly<HubLimits>;
	readonly hooks: HubHooks[];
	#store: Store;
	#rules: DocRulesFor | undefined;
	#metrics: Metrics;
	#log: Logger;
	#wss: WebSocketServer;
	#docs = new Map<string, SharedDoc>();
	#loading = new Map<string, Promise<SharedDoc>>();
	#unloading = new Map<string, Promise<void>>();
	#pingTimer: NodeJS.Timeout;
	#closed: Promise<void> | undefined;
	// One function each for every connection: a closure per connection would be held for its life.
	readonly #onUpgradeError = (error: Error) => this.#log.debug({ err: error }, 'upgrade socket error');
	readonly #onSlow = () => this.#reject('slow_consumer');

	constructor(options: DocHubOptions) {
		this.#store = options.store;
		this.#rules = options.rules;
		this.#metrics = options.metrics;
		this.#log = options.log;
		this.hooks = options.hooks ?? [];
		this.limits = Object.freeze({ ...hubDefaults, ...options.limits });
		// No compression: broadcasts write ready-made frames to the connection (`Peer.sendFrame`).
		this.#wss = new WebSocketServer({ noServer: true, maxPayload: this.limits.maxMessageBytes, perMessageDeflate: false, clientTracking: false });
		this.#pingTimer = setInterval(() => this.#pingAll(), this.limits.pingIntervalMs);
		this.#pingTimer.unref();
	}

	/** Names of the documents held in memory. */
	get loadedDocs(): string[] {
		return [...this.#docs.keys()];
	}

	loaded(name: string): SharedDoc | undefined {
		return this.#docs.get(name);
	}

	/** Answers an HTTP upgrade on `/yjs/<docName>`: 404, 401, 403 or 503 before any websocket exists. */
	async handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
		socket.on('error', this.#onUpgradeError);
		if (this.#closed) return rejectUpgrade(socket, 'unavailable', 'server shutting down');
		const url = new URL(request.url ?? '/', 'http://localhost');
		const docName = docNameFromPath(url.pathname);
		if (!docName) {
			this.#reject('bad_doc_name');
			return rejectUpgrade(socket, 'not_found', 'no such document: a document name is 1–128 letters, digits, ".", "_", ":" or "-"');
		}
		let admission: Admission;
		try {
			admission = await this.#authenticate({ docName, request, url });
		} catch (error) {
			if (!(error instanceof UpgradeRejection)) throw error;
			this.#reject(error.reason ?? (error.code === 'unauthenticated' || error.code === 'rate_limited' ? error.code : 'forbidden'));
			return rejectUpgrade(socket, error.code, error.message);
		}
		let shared: SharedDoc;
		try {
			shared = await this.acquire(docName);
		} catch (error) {
			this.#log.error({ err: error, doc: docName }, 'could not load document');
			return rejectUpgrade(socket, 'unavailable', 'the document store is unavailable; try again shortly');
		}
		if (socket.destroyed || this.#closed) {
			this.release(shared);
			return;
		}
		// ws answers a handshake it cannot accept (a bad version or key) with 400 and never calls
		// back: the hold is then given back when the socket closes, so the document still unloads.
		let held = true;
		const giveBack = () => {
			if (!held) return;
			held = false;
			this.release(shared);
		};
		socket.once('close', giveBack);
		this.#wss.handleUpgrade(request, socket, head, (ws) => {
			socket.off('close', giveBack);
			// The websocket handles the socket's errors and keeps it alive by pings from here on.
			socket.off('error', this.#onUpgradeError);
			stopCutOff(socket);
			if (!held) return ws.terminate();
			this.#connect(ws, socket, shared, admission);
			giveBack();
		});
	}

	/** Loads (once) and holds a document; pair with `release`. */
	async acquire(name: string): Promise<SharedDoc> {
		for (;;) {
			if (this.#closed) throw new Error('hub closed');
			const unloading = this.#unloading.get(name);
			if (unloading) {
				await unloading;
				continue;
			}
			const shared = this.#docs.get(name);
			if (shared) {
				shared.holds++;
				clearTimeout(shared.unloadTimer);
				shared.unloadTimer = undefined;
				return shared;
			}
			let loading = this.#loading.get(name);
			if (!loading) {
				loading = this.#load(name).finally(() => this.#loading.delete(name));
				this.#loading.set(name, loading);
			}
			await loading;
		}
	}

	release(shared: SharedDoc): void {
		shared.holds--;
		this.#scheduleUnload(shared);
	}

	/** Runs `fn` with the document held in memory. */
	async withDoc<T>(name: string, fn: (shared: SharedDoc) => T | Promise<T>): Promise<T> {
		const shared = await this.acquire(name);
		try {
			return await fn(shared);
		} finally {
			this.release(shared);
		}
	}

	/** A server-side change, attributed to `principal`, stored and broadcast like a peer's. */
	transact<T>(name: string, principal: Principal, change: (doc: Y.Doc) => T): Promise<T> {
		return this.withDoc(name, (shared) => shared.transact(principal, change));
	}

	/** Closes every peer the predicate picks (revoked session, department removed from a board). */
	disconnectWhere(predicate: (peer: Peer) => boolean, code: CloseCode): number {
		let closed = 0;
		for (const shared of this.#docs.values()) {
			for (const peer of shared.peers) {
				if (predicate(peer)) {
					peer.close(code);
					closed++;
				}
			}
		}
		return closed;
	}

	/** Closes every peer with "going away", writes everything pending and drops every document. */
	close(): Promise<void> {
		this.#closed ??= this.#shutdown();
		return this.#closed;
	}

	async #shutdown(): Promise<void> {
		clearInterval(this.#pingTimer);
		await Promise.allSettled(this.#loading.values());
		await Promise.allSettled(this.#unloading.values());
		const docs = [...this.#docs.values()];
		for (const shared of docs) for (const peer of shared.peers) peer.close(closeCodes.goingAway);
		await Promise.all(docs.map((shared) => shared.destroy()));
		this.#docs.clear();
		this.#metrics.docsLoaded.set(0);
		this.#wss.close();
	}

	async #authenticate(request: Parameters<NonNullable<HubHooks['onAuthenticate']>>[0]): Promise<Admission> {
		for (const hook of this.hooks) {
			if (hook.onAuthenticate) return hook.onAuthenticate(request);
		}
		throw new UpgradeRejection('unauthenticated', 'authentication required');
	}

	async #load(name: string): Promise<SharedDoc> {
		const started = performance.now();
		const stored = await this.#store.loadDoc(name);
		const doc = new Y.Doc({ gc: true });
		doc.transact(() => {
			for (const update of stored.updates) Y.applyUpdate(doc, update);
		}, remoteOrigins.store);
		const shared = new SharedDoc(name, doc, stored.logLength, {
			store: this.#store,
			hooks: this.hooks,
			metrics: this.#metrics,
			log: this.#log,
			compactAfterUpdates: this.limits.compactAfterUpdates,
			awarenessFlushMs: this.limits.awarenessFlushMs,
			storeRetryMs: this.limits.storeRetryMs,
			rules: this.#rules?.(name)
		});
		for (const hook of this.hooks) await hook.onLoad?.({ docName: name, shared });
		this.#docs.set(name, shared);
		this.#metrics.docsLoaded.set(this.#docs.size);
		this.#metrics.storeLoadSeconds.observe((performance.now() - started) / 1000);
		this.#log.debug({ doc: name, updates: stored.updates.length }, 'document loaded');
		return shared;
	}

	#connect(ws: WebSocket, connection: Duplex, shared: SharedDoc, admission: Admission): void {
		const peer = new Peer({
			socket: ws,
			connection,
			principal: admission.principal,
			readOnly: admission.readOnly,
			docName: shared.name,
			maxBufferedBytes: this.limits.maxBufferedBytes,
			onSlow: this.#onSlow
		});
		this.#metrics.connections.inc();
		shared.holds++;
		ws.on('message', (data: Buffer, isBinary: boolean) => {
			this.#metrics.bytesIn.inc(data.length);
			// Once the server is closing a peer (a refused change, access ended, too slow, malformed),
			// nothing more it sent is read: frames already on the way would otherwise still apply.
			if (!peer.open) return;
			if (!isBinary) return this.#malformed(peer, 'text frame');
			try {
				shared.receive(peer, data);
			} catch (error) {
				this.#malformed(peer, error instanceof Error ? error.message : String(error));
			}
		});
		ws.on('pong', () => {
			peer.alive = true;
		});
		ws.on('error', (error: Error & { code?: string }) => {
			if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.#reject('too_big');
			else this.#reject('malformed');
			this.#log.warn({ doc: shared.name, principal: peer.principal.id, code: error.code, reason: error.message }, 'websocket protocol error; connection closed');
		});
		ws.on('close', () => {
			shared.removePeer(peer);
			this.#metrics.connections.dec();
			this.release(shared);
		});
		shared.addPeer(peer);
	}

	#malformed(peer: Peer, reason: string): void {
		this.#reject('malformed');
		this.#log.warn({ doc: peer.docName, principal: peer.principal.id, reason }, 'malformed message; connection closed');
		peer.close(closeCodes.malformedMessage);
	}

	#reject(reason: RejectReason): void {
		this.#metrics.rejected.inc({ reason });
	}

	#pingAll(): void {
		for (const shared of this.#docs.values()) {
			for (const peer of shared.peers) {
				if (!peer.alive) {
					this.#reject('ping_timeout');
					peer.socket.terminate();
					continue;
				}
				peer.alive = false;
				peer.socket.ping();
			}
		}
	}

	#scheduleUnload(shared: SharedDoc): void {
		if (shared.holds > 0 || shared.unloadTimer || this.#closed) return;
		shared.unloadTimer = setTimeout(() => {
			shared.unloadTimer = undefined;
			if (shared.holds > 0 || this.#docs.get(shared.name) !== shared) return;
			const unloading = this.#unload(shared).finally(() => this.#unloading.delete(shared.name));
			this.#unloading.set(shared.name, unloading);
		}, this.limits.unloadGraceMs);
		shared.unloadTimer.unref();
	}

	async #unload(shared: SharedDoc): Promise<void> {
		this.#docs.delete(shared.name);
		this.#metrics.docsLoaded.set(this.#docs.size);
		await shared.destroy();
		for (const hook of this.hooks) await hook.onUnload?.({ docName: shared.name });
		this.#log.debug({ doc: shared.name }, 'document unloaded');
	}
}

/** Answers an upgrade request with a plain HTTP error; no websocket is ever created. */
export function rejectUpgrade(socket: Duplex, code: ErrorCode, message: string): void {
	if (socket.destroyed) return;
	const status = errorStatus[code];
	const body = JSON.stringify({ error: { code, message } });
	// Written, then destroyed: a client that never closes its side must not keep the socket open.
	socket.end(
		`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
		() => socket.destroy()
	);
}
