/**
 * The wall's connections to a mission's board documents, with no UI in them, so they can run in a
 * Web Worker (`board-feed.worker.ts`): decoding a big board's first sync and reading 2,000 records
 * out of it take seconds of CPU, and on the main thread that froze the wall (a 6–9 s task on a
 * 2,000-dependency mission). One y-websocket connection per board (`/yjs/board:<id>?token=…`), no
 * IndexedDB, no presence (the wall publishes no awareness state). Every message from the server
 * counts as contact; each connection re-asks for the server's state every `resyncIntervalMs` (a
 * heartbeat and a resync in one). A closed connection comes back with jittered back-off (capped);
 * a 4401/4403 close means the display's access was withdrawn.
 *
 * Only boards whose document changed are read again, at most every `refreshMs`, and each is
 * reported on its own: the page joins them (`BoardFeed`).
 */
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { readBoard } from '../board/board-doc.ts';
import { terminalCloseCodes } from '../protocol/close-codes.ts';
import { boardDocName } from '../protocol/doc-names.ts';
import { backoffDelay } from './backoff.ts';
import { readingOf, type BoardReading } from '../board/diff.ts';
import { validRecords } from '../board/read.ts';
import type { AssumptionRecord, RiskRecord } from '../protocol/records.ts';
import { wallDefaults } from './wall-defaults.ts';

export type BoardSyncOptions = {
	boardIds: readonly string[];
	/** `ws(s)://host/yjs` */
	serverUrl: string;
	/** A wall-display token; without one the browser's session cookie is used. */
	token?: string;
};

/** What the connections report, in order; plain data, so it crosses from a worker unchanged. */
export type BoardSyncEvent =
	| { type: 'connected'; source: string; connected: boolean }
	| { type: 'contact'; source: string }
	| { type: 'terminal'; code: number }
	/**
	 * A synced board read again: its reading (archived records included) and its risks and
	 * assumptions. Each record crosses once; the page tags them with the board (`boardRecords`).
	 */
	| { type: 'board'; boardId: string; reading: BoardReading; risks: RiskRecord[]; assumptions: AssumptionRecord[] };

/** The server speaks often on a busy board; the page hears of it at most this often per board. */
const contactEveryMs = 1_000;

type Connection = {
	boardId: string;
	source: string;
	doc: Y.Doc;
	provider: WebsocketProvider;
	attempts: number;
	retry: ReturnType<typeof setTimeout> | undefined;
	socket: WebSocket | null;
	synced: boolean;
	dirty: boolean;
	lastContact: number;
};

export class BoardSync {
	#connections: Connection[];
	#options: BoardSyncOptions;
	#emit: (event: BoardSyncEvent) => void;
	#refreshTimer: ReturnType<typeof setTimeout> | undefined;
	#destroyed = false;

	constructor(options: BoardSyncOptions, emit: (event: BoardSyncEvent) => void) {
		this.#options = options;
		this.#emit = emit;
		this.#connections = options.boardIds.map((boardId) => this.#open(boardId));
	}

	/** Drops every connection and opens it again now (after a sleep, or when the network returns). */
	reconnect(): void {
		for (const connection of this.#connections) {
			clearTimeout(connection.retry);
			connection.attempts = 0;
			connection.provider.disconnect();
			connection.provider.connect();
		}
	}

	destroy(): void {
		this.#destroyed = true;
		clearTimeout(this.#refreshTimer);
		for (const connection of this.#connections) {
			clearTimeout(connection.retry);
			connection.provider.destroy();
			connection.doc.destroy();
		}
	}

	#open(boardId: string): Connection {
		const doc = new Y.Doc();
		const { token } = this.#options;
		const provider = new WebsocketProvider(this.#options.serverUrl, boardDocName(boardId), doc, {
			connect: false,
			disableBc: true,
			params: token ? { token } : {},
			resyncInterval: wallDefaults.resyncIntervalMs,
			maxBackoffTime: wallDefaults.backoffMaxMs,
			// We reconnect ourselves, with jitter, and stop for good on 4401/4403.
			shouldReconnect: () => false
		});
		// No presence on the wall: never publish an awareness state.
		provider.awareness.setLocalState(null);
		const source = `board:${boardId}`;
		const connection: Connection = { boardId, source, doc, provider, attempts: 0, retry: undefined, socket: null, synced: false, dirty: false, lastContact: 0 };
		this.#emit({ type: 'connected', source, connected: false });
		const onMessage = () => {
			const now = Date.now();
			if (now - connection.lastContact < contactEveryMs) return;
			connection.lastContact = now;
			this.#emit({ type: 'contact', source });
		};
		provider.on('status', ({ status }) => {
			if (status !== 'connected') connection.lastContact = 0;
			this.#emit({ type: 'connected', source, connected: status === 'connected' });
			if (status === 'connected' && provider.ws && provider.ws !== connection.socket) {
				connection.socket?.removeEventListener('message', onMessage);
				connection.socket = provider.ws;
				connection.socket.addEventListener('message', onMessage);
			}
		});
		provider.on('sync', (synced: boolean) => {
			if (!synced) return;
			connection.attempts = 0;
			if (!connection.synced) {
				connection.synced = true;
				connection.dirty = true;
				this.#refreshSoon(0);
			}
		});
		provider.on('closed', ({ code }) => {
			if (this.#destroyed) return;
			if (terminalCloseCodes.has(code)) {
				this.#emit({ type: 'terminal', code });
				return;
			}
			clearTimeout(connection.retry);
			connection.retry = setTimeout(() => {
				if (!this.#destroyed) provider.connect();
			}, backoffDelay(connection.attempts++));
		});
		// `afterTransaction`, not `update`: nothing here needs the change encoded.
		doc.on('afterTransaction', (transaction: Y.Transaction) => {
			if (transaction.changed.size === 0) return;
			connection.dirty = true;
			if (connection.synced) this.#refreshSoon(wallDefaults.refreshMs);
		});
		provider.connect();
		return connection;
	}

	#refreshSoon(delayMs: number): void {
		if (this.#refreshTimer !== undefined && delayMs > 0) return;
		clearTimeout(this.#refreshTimer);
		this.#refreshTimer = setTimeout(() => {
			this.#refreshTimer = undefined;
			if (!this.#destroyed) this.#read();
		}, delayMs);
	}

	/** Reads each synced board that changed since it was last read (a board not synced yet would read as empty). */
	#read(): void {
		for (const connection of this.#connections) {
			if (!connection.synced || !connection.dirty) continue;
			connection.dirty = false;
			const contents = readBoard(connection.doc, { includeArchived: true });
			this.#emit({ type: 'board', boardId: connection.boardId, reading: readingOf(contents), risks: validRecords(contents.risks), assumptions: validRecords(contents.assumptions) });
		}
	}
}
