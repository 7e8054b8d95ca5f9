/**
 * Merges a document's stored updates for a compaction (every store's) in the process's one Yjs
 * worker thread (`server/redis/yjs-thread.ts`, answered by `merge-worker.ts`). Merging a
 * document's snapshot with its log is O(document): on the event loop it held every peer of the
 * instance for tens of milliseconds per compaction (one every few seconds under a steady write
 * load), which showed in the tail latency. The embedded store merges a small document on the loop
 * (`onLoopBelowBytes`). A merge that fails (the thread died) fails its compaction, which is retried
 * later; the log is intact.
 */
import { WorkerThreadError } from '../redis/worker-thread.ts';
import { YjsThreadHandle } from '../redis/yjs-thread.ts';
import { mergeStoredUpdates } from './merge-updates.ts';

export class MergeThread {
	#thread = new YjsThreadHandle();
	readonly #onLoopBelowBytes: number;
	#stopped = false;

	/**
	 * `onLoopBelowBytes`: updates of fewer bytes than this in all are merged on the event loop
	 * instead: a few tens of milliseconds there, against about 300 ms of CPU and 25 MB of RSS to
	 * start the thread when it has ended (`merge-updates.ts`'s own cost is the same in both).
	 */
	constructor(options: { onLoopBelowBytes?: number } = {}) {
		this.#onLoopBelowBytes = options.onLoopBelowBytes ?? 0;
	}

	/** Whether the thread is running now (it ends when idle). */
	get running(): boolean {
		return this.#thread.running;
	}

	/** `mergeStoredUpdates(updates)` (`merge-updates.ts`), computed off the event loop unless small. */
	async merge(updates: Uint8Array[]): Promise<Uint8Array> {
		if (this.#stopped) throw new WorkerThreadError('the merge thread was stopped');
		if (updates.reduce((sum, update) => sum + update.byteLength, 0) < this.#onLoopBelowBytes) return mergeStoredUpdates(updates);
		// Own copies, moved to the thread: a reply's bytes may be views into a larger (pooled)
		// buffer, which cannot be moved and would be copied whole.
		const owned = updates.map((update) => new Uint8Array(update));
		const answer = await this.#thread.request((id) => ({ id, kind: 'merge', updates: owned }), owned.map((update) => update.buffer));
		if ('error' in answer) throw new WorkerThreadError(`merging updates failed: ${answer.error}`);
		if (!('merged' in answer)) throw new WorkerThreadError('the yjs thread answered a merge with something else');
		return answer.merged;
	}

	/** Lets go of the shared thread (stopped when no other user holds it); later merges reject. Idempotent. */
	stop(): Promise<void> {
		this.#stopped = true;
		return this.#thread.release();
	}
}
