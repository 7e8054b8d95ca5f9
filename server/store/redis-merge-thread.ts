/**
 * Merges Yjs updates for the Redis store's compactions in the process's one Yjs worker thread
 * (`server/redis/yjs-thread.ts`, answered by `redis-merge-worker.ts`). Merging a document's snapshot with its log is O(document): on the event
 * loop it held every peer of the instance for tens of milliseconds per compaction (one every few
 * seconds under a steady write load), which showed in the cross-instance tail. A merge that fails
 * (the thread died) fails its compaction, which is retried later; the log is intact.
 */
import { WorkerThreadError } from '../redis/worker-thread.ts';
import { YjsThreadHandle } from '../redis/yjs-thread.ts';

export class MergeThread {
	#thread = new YjsThreadHandle();

	/** Whether the thread is running now (it ends when idle). */
	get running(): boolean {
		return this.#thread.running;
	}

	/** `Y.mergeUpdates(updates)`, computed off the event loop. */
	async merge(updates: Uint8Array[]): Promise<Uint8Array> {
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
		return this.#thread.release();
	}
}
