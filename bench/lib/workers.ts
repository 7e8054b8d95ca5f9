/**
 * A pool of load-generator worker threads for one client kind. Commands go to one worker or to
 * all; replies are validated against the protocol's schemas.
 */
import { Worker } from 'node:worker_threads';
import type { z } from 'zod';
import { workerReply, type WorkerCommand } from './worker-protocol.ts';
import type { ClientKind } from './client-adapter.ts';

export class WorkerError extends Error {
	readonly code = 'BENCH_WORKER_FAILED';
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

class WorkerHandle {
	readonly #worker: Worker;
	readonly #pending = new Map<number, Pending>();
	#nextId = 1;
	readonly ready: Promise<void>;

	constructor(clientKind: ClientKind, index: number) {
		this.#worker = new Worker(new URL('../worker.ts', import.meta.url), { workerData: { clientKind }, name: `bench-${clientKind}-${index}`});
		this.ready = new Promise((resolve, reject) => {
			this.#worker.once('error', reject);
			this.#worker.on('message', (raw: unknown) => {
				if (typeof raw === 'object' && raw !== null && 'ready' in raw) return resolve();
				this.#onReply(raw);
			});
		});
		this.#worker.on('error', (error) => {
			for (const pending of this.#pending.values()) pending.reject(new WorkerError(`worker ${index} crashed: ${error.message}`, { cause: error }));
			this.#pending.clear();
		});
	}

	#onReply(raw: unknown): void {
		const reply = workerReply.safeParse(raw);
		if (!reply.success) throw new WorkerError(`malformed worker reply: ${reply.error.message}`);
		const pending = this.#pending.get(reply.data.id);
		if (!pending) return;
		this.#pending.delete(reply.data.id);
		if (reply.data.ok) pending.resolve(reply.data.result);
		else pending.reject(new WorkerError(reply.data.error));
	}

	send(command: WorkerCommand): Promise<unknown> {
		const id = this.#nextId++;
		return new Promise((resolve, reject) => {
			this.#pending.set(id, { resolve, reject });
			this.#worker.postMessage({ id, command });
		});
	}

	terminate(): Promise<number> {
		return this.#worker.terminate();
	}
}

export class WorkerPool {
	readonly #workers: WorkerHandle[];

	private constructor(workers: WorkerHandle[]) {
		this.#workers = workers;
	}

	static async start(clientKind: ClientKind, size: number): Promise<WorkerPool> {
		const workers = Array.from({ length: size }, (_, index) => new WorkerHandle(clientKind, index));
		await Promise.all(workers.map((worker) => worker.ready));
		return new WorkerPool(workers);
	}

	get size(): number {
		return this.#workers.length;
	}

	async one<S extends z.ZodType>(index: number, command: WorkerCommand, schema: S): Promise<z.infer<S>> {
		const worker = this.#workers[index % this.#workers.length];
		if (!worker) throw new WorkerError('empty worker pool');
		return schema.parse(await worker.send(command));
	}

	/** Sends each worker its own command (or none when `commandFor` returns undefined). */
	async each<S extends z.ZodType>(commandFor: (index: number) => WorkerCommand | undefined, schema: S): Promise<Array<z.infer<S>>> {
		const replies = this.#workers.map((worker, index) => {
			const command = commandFor(index);
			return command ? worker.send(command).then((raw) => schema.parse(raw)) : undefined;
		});
		return Promise.all(replies.filter((reply) => reply !== undefined));
	}

	all<S extends z.ZodType>(command: WorkerCommand, schema: S): Promise<Array<z.infer<S>>> {
		return this.each(() => command, schema);
	}

	async stop(): Promise<void> {
		await Promise.allSettled(this.#workers.map((worker) => worker.send({ type: 'close' })));
		await Promise.all(this.#workers.map((worker) => worker.terminate()));
	}
}
