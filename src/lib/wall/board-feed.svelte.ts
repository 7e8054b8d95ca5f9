/**
 * The wall's read-only copy of a mission's boards, for the page. The connections themselves
 * (`BoardSync`) run in a Web Worker: decoding a big board and reading its records never holds up
 * the page, its clock or its freshness indicator. Each board arrives on its own when it changed;
 * the page tags each board's records once and joins the boards' lists (at most once per `refreshMs`). Should a browser refuse
 * the worker, the same `BoardSync` runs here.
 */
import type { BoardReading } from '../board/diff.ts';
import type { BoardFeedRequest } from './board-feed.worker.ts';
import { BoardSync, type BoardSyncEvent } from './board-sync.ts';
import type { Freshness } from './freshness.svelte.ts';
import { addReadBoard, emptyMissionRecords, type MissionRecords } from './wall-data.ts';
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

type BoardRead = { records: MissionRecords; reading: BoardReading };

export class BoardFeed {
	#records = $state.raw<MissionRecords>(emptyMissionRecords());
	#readings = $state.raw<ReadonlyMap<string, BoardReading>>(new Map());
	#synced = $state(0);
	#boards = new Map<string, BoardRead>();
	#sources = new Set<string>();
	#options: BoardFeedOptions;
	#worker: Worker | null = null;
	#local: BoardSync | null = null;
	#joinTimer: ReturnType<typeof setTimeout> | undefined;
	#destroyed = false;

	constructor(options: BoardFeedOptions) {
		this.#options = options;
		const syncOptions = { boardIds: options.boards.map((board) => board.id), serverUrl: options.serverUrl, token: options.token };
		try {
			this.#worker = new Worker(new URL('./board-feed.worker.ts', import.meta.url), { type: 'module' });
		} catch {
			this.#worker = null;
		}
		if (this.#worker) {
			this.#worker.onmessage = (event: MessageEvent<BoardSyncEvent>) => this.#hear(event.data);
			this.#worker.onerror = () => {
				// The worker could not start or crashed: connect from here from now on.
				this.#worker?.terminate();
				this.#worker = null;
				if (!this.#destroyed) this.#local ??= new BoardSync(syncOptions, (event) => this.#hear(event));
			};
			this.#worker.postMessage({ type: 'start', options: syncOptions } satisfies BoardFeedRequest);
		} else {
			this.#local = new BoardSync(syncOptions, (event) => this.#hear(event));
		}
	}

	/** Every valid record of every board, tagged with its board. */
	get records(): MissionRecords {
		return this.#records;
	}

	/** Each synced board's valid records, archived ones included (what "since the last meeting" compares), by board id. */
	get readings(): ReadonlyMap<string, BoardReading> {
		return this.#readings;
	}

	/** Every board has synced at least once since the page opened, and its records are in `records`. */
	get ready(): boolean {
		return this.#synced >= this.#options.boards.length;
	}

	/** Drops every connection and opens it again now (after a sleep, or when the network returns). */
	reconnect(): void {
		this.#worker?.postMessage({ type: 'reconnect' } satisfies BoardFeedRequest);
		this.#local?.reconnect();
	}

	destroy(): void {
		this.#destroyed = true;
		clearTimeout(this.#joinTimer);
		this.#worker?.terminate();
		this.#worker = null;
		this.#local?.destroy();
		for (const source of this.#sources) this.#options.freshness.remove(source);
	}

	#hear(event: BoardSyncEvent): void {
		if (this.#destroyed) return;
		const { freshness } = this.#options;
		if (event.type === 'connected') {
			this.#sources.add(event.source);
			freshness.setConnected(event.source, event.connected);
		} else if (event.type === 'contact') {
			freshness.contact(event.source);
		} else if (event.type === 'terminal') {
			this.#options.onTerminal(event.code);
		} else {
			const records = emptyMissionRecords();
			addReadBoard(records, event.boardId, { ...event.reading, risks: event.risks, assumptions: event.assumptions });
			this.#boards.set(event.boardId, { records, reading: event.reading });
			// Boards arriving together (the first sync of each) are joined, and the views derived, once.
			this.#joinSoon();
		}
	}

	#joinSoon(): void {
		if (this.#joinTimer !== undefined) return;
		this.#joinTimer = setTimeout(() => {
			this.#joinTimer = undefined;
			if (!this.#destroyed) this.#join();
		}, wallDefaults.refreshMs);
	}

	/** One list per register across the boards, in the order the boards were given. */
	#join(): void {
		clearTimeout(this.#joinTimer);
		this.#joinTimer = undefined;
		const records = emptyMissionRecords();
		const readings = new Map<string, BoardReading>();
		for (const { id } of this.#options.boards) {
			const board = this.#boards.get(id);
			if (!board) continue;
			for (const register of Object.keys(records) as (keyof MissionRecords)[]) (records[register] as unknown[]).push(...board.records[register]);
			readings.set(id, board.reading);
		}
		this.#records = records;
		this.#readings = readings;
		this.#synced = this.#boards.size;
	}
}
