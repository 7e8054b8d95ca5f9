/**
 * The aggregated map's layout, worked out in a Web Worker. One request in flight at a time: while
 * one runs, only the newest model waits (older ones are dropped), and a model whose layout would
 * not change (same pairs, same labels, same box) is not sent at all. Should a browser refuse the
 * worker, the layout runs on the main thread after a macrotask (an aggregated map is small).
 */
import { layoutPairs, type PairLayout, type PairLayoutRequest } from './pair-layout.ts';
import type { WorkerReply, WorkerRequest } from './map-layout.worker.ts';

export class PairLayoutJob {
	#layout = $state.raw<PairLayout | null>(null);
	#worker: Worker | null = null;
	#seq = 0;
	#inFlight = false;
	#waiting: PairLayoutRequest | null = null;
	#lastKey = '';
	#destroyed = false;

	constructor() {
		if (typeof Worker === 'undefined') return;
		try {
			this.#worker = new Worker(new URL('./map-layout.worker.ts', import.meta.url), { type: 'module' });
		} catch {
			this.#worker = null;
			return;
		}
		this.#worker.onmessage = (event: MessageEvent<WorkerReply>) => this.#settle(event.data);
		this.#worker.onerror = () => {
			// The worker could not start or crashed: lay out here from now on.
			this.#worker?.terminate();
			this.#worker = null;
			this.#inFlight = false;
			if (this.#waiting) this.#send(this.#waiting);
		};
	}

	/** The latest layout (null until the first arrives). */
	get layout(): PairLayout | null {
		return this.#layout;
	}

	request(request: PairLayoutRequest): void {
		if (this.#destroyed) return;
		const key = layoutKey(request);
		if (key === this.#lastKey) return;
		this.#lastKey = key;
		if (this.#inFlight) this.#waiting = request;
		else this.#send(request);
	}

	destroy(): void {
		this.#destroyed = true;
		this.#worker?.terminate();
		this.#worker = null;
	}

	#send(request: PairLayoutRequest): void {
		this.#waiting = null;
		this.#inFlight = true;
		const seq = ++this.#seq;
		if (this.#worker) {
			this.#worker.postMessage({ seq, ...request } satisfies WorkerRequest);
			return;
		}
		setTimeout(() => this.#settle({ seq, layout: layoutPairs(request) }), 0);
	}

	#settle(reply: WorkerReply): void {
		if (this.#destroyed) return;
		this.#inFlight = false;
		if ('layout' in reply && reply.seq === this.#seq) this.#layout = reply.layout;
		if (this.#waiting) this.#send(this.#waiting);
	}
}

/** What the layout depends on: nodes, pairs, their labels, the box and the minimum label size. */
function layoutKey({ model, box, minLabelPx }: PairLayoutRequest): string {
	return JSON.stringify([model.nodes.map((node) => node.id), model.edges.map((edge) => [edge.id, edge.ref]), Math.round(box.width), Math.round(box.height), Math.round(minLabelPx)]);
}
