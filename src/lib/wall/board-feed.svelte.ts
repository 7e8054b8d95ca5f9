/**
 * The wall's read-only copy of a mission's boards: one y-websocket connection per board document
 * (`/yjs/board:<id>?token=…`), no IndexedDB, no presence (the wall publishes no awareness state,
 * so it never shows up as a cursor or a face on anyone's board). Every message from the server
 * counts as contact; each connection re-asks for the server's state every `resyncIntervalMs`
 * (a heartbeat and a resync in one). A closed connection comes back with jittered back-off
 * (capped); a 4401/4403 close means the display's access was withdrawn.
 */
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { readBoard } from '../board/board-doc.ts';
import type { BoardReading } from '../board/diff.ts';
import { terminalCloseCodes } from '../protocol/close-codes.ts';
import { boardDocName } from '../protocol/doc-names.ts';
import { backoffDelay } from './backoff.ts';
import type { Freshness } from './freshness.svelte.ts';
import { addBoardRecords, emptyMissionRecords, type MissionRecords } from './wall-data.ts';
import { wallDefaults } from './wall-defaults.ts';

export type BoardFeedOptions = {
	boards: readonly { id: string }[];
	/** `ws(s)://host/yjs` */
	serverUrl: string;
	/** A wall-display token; without one the browser's session cookie is used. */
	token?: string;
	freshness: Freshness;
	/** The server closed a connection for good (4401 signed out / revoked, 4403 access removed). */
	onTerminal: (code: number) => void;
};

type Connection = {
	boardId: string;
	source: string;
	doc: Y.Doc;
	provider: WebsocketProvider;
	attempts: number;
	retry: ReturnType<typeof setTimeout> | undefined;
	socket: WebSocket | null;
	synced: boolean;
};

export class BoardFeed {
	#records = $state.raw<MissionRecords>(emptyMissionRecords());
	#readings = $state.raw<ReadonlyMap<string, BoardReading>>(new Map());
	#synced = $state(0);
	#connections: Connection[];
	#options: BoardFeedOptions;
	#refreshTimer: ReturnType<typeof setTimeout> | undefined;
	#destroyed = false;

	constructor(options: BoardFeedOptions) {
		this.#options = options;
		this.#connections = options.boards.map((board) => this.#open(board.id));
	}

	/** Every valid record of every board, tagged with its board. */
	get records(): MissionRecords {
		return this.#records;
	}

	/** Each synced board's valid records, archived ones included (what "since the last meeting" compares), by board id. */
	get readings(): ReadonlyMap<string, BoardReading> {
		return this.#readings;
	}

	/** Every board has synced at least once since the page opened. */
	get ready(): boolean {
		return this.#synced >= this.#connections.length;
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
			this.#options.freshness.remove(connection.source);
			connection.provider.destroy();
			connection.doc.destroy();
		}
	}

	#open(boardId: string): Connection {
		const doc = new Y.Doc();
		const { token, freshness } = this.#options;
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
		const connection: Connection = { boardId, source: `board:${boardId}`, doc, provider, attempts: 0, retry: undefined, socket: null, synced: false };
		freshness.setConnected(connection.source, false);
		const onMessage = () => freshness.contact(connection.source);
		provider.on('status', ({ status }) => {
			freshness.setConnected(connection.source, status === 'connected');
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
				this.#synced++;
			}
			this.#refreshSoon(0);
		});
		provider.on('closed', ({ code }) => {
			if (this.#destroyed) return;
			if (terminalCloseCodes.has(code)) {
				this.#options.onTerminal(code);
				return;
			}
			clearTimeout(connection.retry);
			connection.retry = setTimeout(() => {
				if (!this.#destroyed) provider.connect();
			}, backoffDelay(connection.attempts++));
		});
		doc.on('update', () => this.#refreshSoon(wallDefaults.refreshMs));
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

	#read(): void {
		const records = emptyMissionRecords();
		const readings = new Map<string, BoardReading>();
		for (const { boardId, doc, synced } of this.#connections) {
			const reading = addBoardRecords(records, boardId, readBoard(doc, { includeArchived: true }));
			// A board not synced yet would read as empty: every record of the baseline "gone".
			if (synced) readings.set(boardId, reading);
		}
		this.#records = records;
		this.#readings = readings;
	}
}
