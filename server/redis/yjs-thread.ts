/**
 * The process's one Yjs worker thread (`yjs-worker.ts`), shared by every user: the stores'
 * compaction merge, the relay's anti-entropy compare, and the boards' past
 * (`server/ledger/as-at-readings.ts`). With a thread each, an instance under a steady write load held two (about 20 MB of RSS apiece). Each user takes a `YjsThreadHandle` and
 * releases it when it closes; the thread (which also ends after 30 s idle, see `worker-thread.ts`)
 * stops when the last handle is released. A released handle refuses requests; requests another
 * user made meanwhile are unaffected.
 */
import type { HeapInfo } from 'node:v8';
import type { YjsAnswer, YjsRequest } from './yjs-worker.ts';
import { WorkerThread, WorkerThreadError } from './worker-thread.ts';

interface Shared {
	thread: WorkerThread<YjsRequest, YjsAnswer>;
	users: number;
}

let shared: Shared | undefined;

/** The shared thread's own V8 heap while it runs (`/metrics`), else undefined. */
export function yjsThreadHeap(): Promise<HeapInfo | undefined> {
	return shared?.thread.heapStatistics() ?? Promise.resolve(undefined);
}

export class YjsThreadHandle {
	readonly #shared: Shared;
	#released = false;

	constructor() {
		shared ??= { thread: new WorkerThread<YjsRequest, YjsAnswer>({ url: new URL('./yjs-worker.ts', import.meta.url), name: 'yjs' }), users: 0 };
		shared.users++;
		this.#shared = shared;
	}

	/** Whether the shared thread is running now (it ends when idle). */
	get running(): boolean {
		return this.#shared.thread.running;
	}

	/** The shared thread itself: the same object for every handle held at once (for tests). */
	get thread(): object {
		return this.#shared.thread;
	}

	/** Sends `build(id)` (moving `transfer`) to the shared thread and resolves with its answer. */
	request(build: (id: number) => YjsRequest, transfer: ArrayBuffer[] = []): Promise<YjsAnswer> {
		if (this.#released) return Promise.reject(new WorkerThreadError('the yjs thread was released by this user'));
		return this.#shared.thread.request(build, transfer);
	}

	/** Lets go of the thread; the last handle released stops it. Idempotent. */
	async release(): Promise<void> {
		if (this.#released) return;
		this.#released = true;
		this.#shared.users--;
		if (this.#shared.users > 0) return;
		if (shared === this.#shared) shared = undefined;
		await this.#shared.thread.stop();
	}
}
