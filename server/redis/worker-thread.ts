/**
 * One worker thread that answers requests by id, for the Yjs work kept off the event loop (the
 * anti-entropy compare, the stores' compaction merge). It starts on the first request, never
 * keeps the process alive, and ends after `idleStopMs` without work: a thread holds about 30 MB
 * of RSS (its own V8 heap and a copy of Yjs; 13 MB for an empty one), too much to keep for a job
 * that runs every few minutes. A thread that dies fails the requests waiting on it and is started
 * afresh by the next.
 */
import type { HeapInfo } from 'node:v8';
import { Worker } from 'node:worker_threads';

export const workerThreadDefaults = {
	/** A thread with nothing to do ends after this long (started again on the next request). */
	idleStopMs: 30_000
} as const;

export class WorkerThreadError extends Error {
	readonly code = 'worker_thread_failed';
	constructor(message: string) {
		super(message);
		this.name = 'WorkerThreadError';
	}
}

export class WorkerThread<Request extends { id: number }, Answer extends { id: number }> {
	readonly #url: URL;
	readonly #name: string;
	readonly #idleStopMs: number;
	#worker: Worker | undefined;
	#waiting = new Map<number, { resolve: (answer: Answer) => void; reject: (error: Error) => void }>();
	#nextId = 1;
	#idleTimer: NodeJS.Timeout | undefined;
	#stopped = false;

	constructor(options: { url: URL; name: string; idleStopMs?: number }) {
		this.#url = options.url;
		this.#name = options.name;
		this.#idleStopMs = options.idleStopMs ?? workerThreadDefaults.idleStopMs;
	}

	/** Whether a thread is running now (for tests and metrics). */
	get running(): boolean {
		return this.#worker !== undefined;
	}

	/** The running thread's V8 heap (its own, not the process's), or undefined when none runs (or it just ended). */
	async heapStatistics(): Promise<HeapInfo | undefined> {
		return this.#worker?.getHeapStatistics().catch(() => undefined);
	}

	/** Sends `build(id)` (moving `transfer`) and resolves with the thread's answer to it. */
	request(build: (id: number) => Request, transfer: ArrayBuffer[] = []): Promise<Answer> {
		if (this.#stopped) return Promise.reject(new WorkerThreadError(`the ${this.#name} thread is stopped`));
		const worker = this.#start();
		clearTimeout(this.#idleTimer);
		const id = this.#nextId++;
		return new Promise((resolve, reject) => {
			this.#waiting.set(id, { resolve, reject });
			worker.ref();
			worker.postMessage(build(id), transfer);
		});
	}

	/** Ends the thread; requests still waiting reject. Idempotent. */
	async stop(): Promise<void> {
		this.#stopped = true;
		await this.#end();
	}

	async #end(): Promise<void> {
		clearTimeout(this.#idleTimer);
		const worker = this.#worker;
		this.#worker = undefined;
		if (!worker) return;
		this.#rejectWaiting(new WorkerThreadError(`the ${this.#name} thread was stopped`));
		await worker.terminate();
	}

	#rejectWaiting(error: Error): void {
		for (const waiting of this.#waiting.values()) waiting.reject(error);
		this.#waiting.clear();
	}

	#start(): Worker {
		if (this.#worker) return this.#worker;
		const worker = new Worker(this.#url, { name: this.#name });
		worker.unref();
		worker.on('message', (answer: Answer) => {
			const waiting = this.#waiting.get(answer.id);
			this.#waiting.delete(answer.id);
			if (this.#waiting.size === 0) {
				worker.unref();
				this.#idleTimer = setTimeout(() => void this.#end(), this.#idleStopMs);
				this.#idleTimer.unref();
			}
			waiting?.resolve(answer);
		});
		// Only the running thread's death fails what waits: one ended on purpose has been let go.
		const fail = (error: Error) => {
			if (this.#worker !== worker) return;
			this.#worker = undefined;
			this.#rejectWaiting(error);
		};
		worker.on('error', fail);
		worker.on('exit', (code) => fail(new WorkerThreadError(`the ${this.#name} thread exited (${code})`)));
		this.#worker = worker;
		return worker;
	}
}
