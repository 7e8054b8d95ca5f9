/**
 * Plain readings of boards at the moments a Board asks about: when a meeting starts and when it
 * ends, each of its missions' boards is read as it stood then (once the moment has settled) and the
 * reading kept in the record store, one collection per board (`as-at-readings:<boardId>`, keyed by
 * the moment). `BoardHistory` answers "as at that meeting" from it without replaying the board's Yjs
 * state. The rebuild and the reading run in the process's Yjs worker thread, never on the event loop.
 *
 * A reading only ever holds what the store holds (it is made from `loadAsAt`), so it is never wrong,
 * only missing: a moment without one (an instance stopped before it settled, a moment no meeting
 * marked) is rebuilt from the store as before. Writing one twice (two instances) writes the same.
 */
import { boardDocName } from '#lib/protocol/doc-names.ts';
import type { Logger } from '../log.ts';
import { YjsThreadHandle } from '../redis/yjs-thread.ts';
import { WorkerThreadError } from '../redis/worker-thread.ts';
import type { DocStore, RecordStore } from '../store/store.ts';
import { historyDefaults } from './board-history.ts';
import type { MergeAnswer } from '../store/merge-worker.ts';
import { decodePastRegisters, type PastRegisters, type ReadingAnswer, type ReadingRequest } from './past-registers.ts';

export const asAtReadingDefaults = {
	/** The collection of a board's readings is this followed by the board's id. */
	collectionPrefix: 'as-at-readings:'
} as const;

const collectionOf = (boardId: string) => `${asAtReadingDefaults.collectionPrefix}${boardId}`;

/** What the record store holds for one moment: the seq it reads up to and the gzipped reading, base64. */
interface StoredReading {
	seq: number;
	data: string;
}

function isStoredReading(value: unknown): value is StoredReading {
	return !!value && typeof value === 'object' && typeof (value as StoredReading).seq === 'number' && typeof (value as StoredReading).data === 'string';
}

/** Removes every reading of a board (with its document: the board is gone). */
export async function forgetReadings(store: RecordStore, boardId: string): Promise<void> {
	const collection = collectionOf(boardId);
	for (const { id } of await store.listRecords(collection)) await store.deleteRecord(collection, id);
}

export class AsAtReadings {
	readonly #store: DocStore & RecordStore;
	readonly #log: Logger;
	readonly #settleMs: number;
	#thread: YjsThreadHandle | undefined;
	/** Readings being made, by `board@moment`. */
	readonly #pending = new Map<string, Promise<void>>();
	/** Waits for moments to settle: ended early by `close()`. */
	readonly #waits = new Set<() => void>();
	#closed = false;

	constructor(options: { store: DocStore & RecordStore; log: Logger; settleMs?: number }) {
		this.#store = options.store;
		this.#log = options.log;
		this.#settleMs = options.settleMs ?? historyDefaults.settledMs;
	}

	/**
	 * Keeps a reading of the board as at `at` (epoch ms), once every update stamped by then is stored.
	 * Never rejects: a reading that cannot be made is logged, and that moment is rebuilt when asked.
	 */
	keep(boardId: string, at: number): Promise<void> {
		const key = `${boardId}@${at}`;
		let pending = this.#pending.get(key);
		if (!pending) {
			pending = this.#keep(boardId, at)
				.catch((error: unknown) => this.#log.warn({ err: error, board: boardId, at }, 'could not keep the board’s reading for a meeting moment; it will be rebuilt when asked'))
				.finally(() => this.#pending.delete(key));
			this.#pending.set(key, pending);
		}
		return pending;
	}

	/** The board's registers as at exactly `at`, when a reading of that moment is kept. */
	async get(boardId: string, at: number): Promise<PastRegisters | undefined> {
		const stored = await this.#store.getRecord(collectionOf(boardId), String(at));
		if (stored === undefined) return undefined;
		const registers = isStoredReading(stored) ? decodePastRegisters(Buffer.from(stored.data, 'base64')) : undefined;
		if (!registers) this.#log.warn({ board: boardId, at }, 'a kept board reading is unreadable; the board is rebuilt from its history instead');
		return registers;
	}

	/**
	 * The board's registers rebuilt from `updates` (what `loadAsAt` answered) in the worker thread:
	 * the event loop only parses the answer (tens of ms for 5,000 records, where the rebuild is
	 * hundreds), so showing the past never holds up the live boards.
	 */
	async read(boardId: string, updates: Uint8Array[]): Promise<PastRegisters> {
		return JSON.parse((await this.#readInWorker(boardId, updates, 'json')).toString('utf8')) as PastRegisters;
	}

	/** `updates` merged into one (the document's state, for a wall to apply), in the worker thread. */
	async merge(updates: Uint8Array[]): Promise<Uint8Array> {
		const answer = (await this.#worker().request((id) => ({ id, kind: 'merge', updates }))) as MergeAnswer;
		if ('error' in answer) throw new Error(`the board's history could not be merged: ${answer.error}`);
		return answer.merged;
	}

	/** The board rebuilt from `updates` and its registers read, in the worker thread, encoded as asked. */
	async #readInWorker(boardId: string, updates: Uint8Array[], encoding: ReadingRequest['encoding']): Promise<Buffer> {
		const answer = (await this.#worker().request((id) => ({ id, kind: 'reading', boardId, updates, encoding }))) as ReadingAnswer;
		if ('error' in answer) throw new Error(`the board could not be rebuilt: ${answer.error}`);
		return Buffer.from(answer.reading.buffer, answer.reading.byteOffset, answer.reading.byteLength);
	}

	#worker(): YjsThreadHandle {
		if (this.#closed) throw new WorkerThreadError('the readings are closed');
		this.#thread ??= new YjsThreadHandle();
		return this.#thread;
	}

	/** Stops making readings (those waiting to settle are dropped) and lets go of the worker thread. */
	async close(): Promise<void> {
		this.#closed = true;
		for (const end of this.#waits) end();
		await Promise.all(this.#pending.values());
		await this.#thread?.release();
	}

	async #keep(boardId: string, at: number): Promise<void> {
		await this.#settle(at + this.#settleMs - Date.now());
		if (this.#closed) return;
		const collection = collectionOf(boardId);
		if ((await this.#store.getRecord(collection, String(at))) !== undefined) return;
		const past = await this.#store.loadAsAt(boardDocName(boardId), at);
		// Nothing written by then, or retention has dropped part of it: the rebuild says so when asked.
		if (past.seq === 0 || !past.complete || this.#closed) return;
		const reading = await this.#readInWorker(boardId, past.updates, 'gzip');
		const stored: StoredReading = { seq: past.seq, data: reading.toString('base64') };
		await this.#store.putRecord(collection, String(at), stored);
	}

	#settle(ms: number): Promise<void> {
		if (ms <= 0 || this.#closed) return Promise.resolve();
		return new Promise((resolve) => {
			const end = () => {
				clearTimeout(timer);
				this.#waits.delete(end);
				resolve();
			};
			const timer = setTimeout(end, ms);
			timer.unref();
			this.#waits.add(end);
		});
	}
}
