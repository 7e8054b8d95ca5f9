/**
 * One worker thread that merges Yjs updates for the Redis store's compactions
 * (`redis-merge-worker.ts`). Merging a document's snapshot with its log is O(document): on the event
 * loop it held every peer of the instance for tens of milliseconds per compaction (one every few
 * seconds under a steady write load), which showed in the cross-instance tail. The thread starts on
 * the first compaction, does not keep the process alive, and is stopped with the store. A thread
 * that dies fails the merges waiting on it (those compactions are retried later, the log is intact)
 * and is started afresh by the next one.
 */
import { Worker } from 'node:worker_threads';
import type { MergeAnswer, MergeRequest } from './redis-merge-worker.ts';

export class MergeThreadError extends Error {
	readonly code = 'merge_thread_failed';
	constructor(message: string) {
		super(message);
		this.name = 'MergeThreadError';
	}
}

export class MergeThread {
	#worker: Worker | undefined;
	#waiting = new Map<number, { resolve: (merged: Uint8Array) => void; reject: (error: Error) => void }>();
	#nextId = 1;
	#stopped = false;

	/** `Y.mergeUpdates(updates)`, computed off the event loop. */
	merge(updates: Uint8Array[]): Promise<Uint8Array> {
		if (this.#stopped) return Promise.reject(new MergeThreadError('the merge thread is stopped'));
		const worker = this.#start();
		const id = this.#nextId++;
		return new Promise((resolve, reject) => {
			this.#waiting.set(id, { resolve, reject });
			worker.ref();
			// Own copies, moved to the thread: a reply's bytes may be views into a larger (pooled)
			// buffer, which cannot be moved and would be copied whole.
			const owned = updates.map((update) => new Uint8Array(update));
			const request: MergeRequest = { id, updates: owned };
			worker.postMessage(request, owned.map((update) => update.buffer));
		});
	}

	/** Ends the thread; merges still waiting reject. Idempotent. */
	async stop(): Promise<void> {
		this.#stopped = true;
		const worker = this.#worker;
		this.#worker = undefined;
		if (worker) await worker.terminate();
	}

	#start(): Worker {
		if (this.#worker) return this.#worker;
		const worker = new Worker(new URL('./redis-merge-worker.ts', import.meta.url));
		worker.unref();
		worker.on('message', (answer: MergeAnswer) => {
			const waiting = this.#waiting.get(answer.id);
			this.#waiting.delete(answer.id);
			if (this.#waiting.size === 0) worker.unref();
			if (!waiting) return;
			if ('error' in answer) waiting.reject(new MergeThreadError(`merging updates failed: ${answer.error}`));
			else waiting.resolve(answer.merged);
		});
		const fail = (error: Error) => {
			if (this.#worker === worker) this.#worker = undefined;
			for (const waiting of this.#waiting.values()) waiting.reject(error);
			this.#waiting.clear();
		};
		worker.on('error', fail);
		worker.on('exit', (code) => fail(new MergeThreadError(`the merge thread exited (${code})`)));
		this.#worker = worker;
		return worker;
	}
}
