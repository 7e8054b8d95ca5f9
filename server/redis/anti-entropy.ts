/**
 * Anti-entropy: Redis pub/sub is at-most-once, so an instance compares each document it holds with
 * the store and merges what it lacks (Yjs merges are idempotent). It runs when a document's
 * subscription is confirmed, after every reconnect of the subscriber, when a gap shows in another
 * instance's message numbering, and periodically while the document is loaded.
 *
 * The periodic pass is cheap for documents nobody writes: the newest history sequence number
 * (one XREVRANGE … COUNT 1) is compared with the one read before the last full check; only when it
 * moved is the document loaded and merged. It is cheap for documents being written too: every update
 * stored here or applied from the relay is counted (`noteApplied`), so the store's newest sequence
 * number says whether any update is missing here. When the count has reached it (after a short wait
 * for relay messages still in flight), nothing was missed and the document is not loaded: a full
 * check (load the whole document and apply it, O(document) on the event loop: about half a second for
 * a 5,000-record board) happens only when something is missing, at load, after a reconnect or a gap,
 * and at most every `fullCheckIntervalMs` otherwise. Checks of one document never overlap: a request
 * made while one runs is answered by one more run after it.
 *
 * A full check does not hold the event loop for the document's size: the loop takes the live
 * document's state vector and delete set (tens of milliseconds for a 5,000-record board), a worker
 * thread decodes the stored updates and works out what the live document lacks
 * (`anti-entropy-compare.ts`), and the loop applies only that.
 */
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { remoteOrigins, type SharedDoc } from '../hub/shared-doc.ts';
import type { Store } from '../store/store.ts';
import { summariseLive, type LiveSummary } from './anti-entropy-compare.ts';
import { YjsThreadHandle } from './yjs-thread.ts';

export const antiEntropyDefaults = {
	/** How often every loaded document is checked against the store. */
	reconcileIntervalMs: 10_000,
	/** ± this fraction of the interval, so instances do not check in step. */
	reconcileJitter: 0.2,
	/** A periodic check whose count falls short waits this long for relay messages in flight. */
	countSettleMs: 1_000,
	/** A periodic check loads the whole document at least this often, whatever the count says. */
	fullCheckIntervalMs: 300_000
} as const;

export type ReconcileReason = 'subscribed' | 'reconnected' | 'gap' | 'periodic';

export interface AntiEntropyOptions {
	store: Store;
	metrics: Metrics;
	log: Logger;
	reconcileIntervalMs?: number;
	reconcileJitter?: number;
	countSettleMs?: number;
	fullCheckIntervalMs?: number;
}

interface Tracked {
	shared: SharedDoc;
	/** The newest history seq read before the last full check; undefined before the first. */
	checkedSeq: number | undefined;
	/**
	 * Updates known to be applied here: the seq read before the last full check plus every update
	 * stored here or relayed since. Undefined until the first full check.
	 */
	applied: number | undefined;
	/** When the last full check finished (ms, monotonic). */
	fullAt: number;
	running: Promise<void> | undefined;
	again: boolean;
}

export class AntiEntropy {
	readonly intervalMs: number;
	#store: Store;
	#metrics: Metrics;
	#log: Logger;
	#jitter: number;
	#countSettleMs: number;
	#fullCheckIntervalMs: number;
	#docs = new Map<string, Tracked>();
	#timer: NodeJS.Timeout | undefined;
	#pass: Promise<void> | undefined;
	#stopped = false;
	#compare = new CompareThread();

	constructor(options: AntiEntropyOptions) {
		this.#store = options.store;
		this.#metrics = options.metrics;
		this.#log = options.log;
		this.intervalMs = options.reconcileIntervalMs ?? antiEntropyDefaults.reconcileIntervalMs;
		this.#jitter = options.reconcileJitter ?? antiEntropyDefaults.reconcileJitter;
		this.#countSettleMs = options.countSettleMs ?? antiEntropyDefaults.countSettleMs;
		this.#fullCheckIntervalMs = options.fullCheckIntervalMs ?? antiEntropyDefaults.fullCheckIntervalMs;
		this.#schedule();
	}

	/** Starts checking a loaded document; what it lacks is merged through the hub's `SharedDoc`. */
	track(name: string, shared: SharedDoc): void {
		this.#docs.set(name, { shared, checkedSeq: undefined, applied: undefined, fullAt: 0, running: undefined, again: false });
	}

	/** `count` updates of the document were stored by this instance or applied from the relay. */
	noteApplied(name: string, count: number): void {
		const tracked = this.#docs.get(name);
		if (tracked?.applied !== undefined) tracked.applied += count;
	}

	untrack(name: string): void {
		this.#docs.delete(name);
	}

	/** Checks one document now (or right after the check in progress). Never rejects. */
	request(name: string, reason: ReconcileReason): Promise<void> {
		const tracked = this.#docs.get(name);
		if (!tracked || this.#stopped) return Promise.resolve();
		if (tracked.running) {
			tracked.again = true;
			return tracked.running;
		}
		tracked.running = (async () => {
			try {
				do {
					tracked.again = false;
					await this.#check(name, tracked, reason);
				} while (tracked.again && this.#docs.get(name) === tracked && !this.#stopped);
			} finally {
				tracked.running = undefined;
			}
		})();
		return tracked.running;
	}

	/** Checks every loaded document, one after another. */
	async requestAll(reason: ReconcileReason): Promise<void> {
		for (const name of [...this.#docs.keys()]) {
			if (this.#stopped) return;
			await this.request(name, reason);
		}
	}

	async stop(): Promise<void> {
		this.#stopped = true;
		clearTimeout(this.#timer);
		await this.#pass;
		await Promise.all([...this.#docs.values()].map((tracked) => tracked.running));
		this.#docs.clear();
		await this.#compare.stop();
	}

	async #check(name: string, tracked: Tracked, reason: ReconcileReason): Promise<void> {
		try {
			const [newest] = await this.#store.history(name, { limit: 1 });
			const seq = newest?.seq ?? 0;
			if (tracked.checkedSeq === seq) {
				this.#metrics.reconciliations.inc({ outcome: 'unchanged' });
				return;
			}
			if (reason === 'periodic' && (await this.#countedUpTo(tracked, seq))) {
				tracked.checkedSeq = seq;
				this.#metrics.reconciliations.inc({ outcome: 'counted' });
				return;
			}
			const stored = await this.#store.loadDoc(name);
			if (this.#docs.get(name) !== tracked || this.#stopped) return;
			const lacking = await this.#compare.missing(stored.updates, summariseLive(tracked.shared.doc));
			if (this.#docs.get(name) !== tracked || this.#stopped) return;
			const missing = lacking !== undefined && tracked.shared.mergeRemote([lacking], remoteOrigins.store);
			tracked.checkedSeq = seq;
			tracked.applied = seq;
			tracked.fullAt = performance.now();
			this.#metrics.reconciliations.inc({ outcome: missing ? 'missing' : 'in_sync' });
			if (missing) this.#log.info({ doc: name, reason }, 'anti-entropy merged updates this instance had missed');
		} catch (error) {
			this.#metrics.reconciliations.inc({ outcome: 'failed' });
			this.#log.warn({ err: error, doc: name, reason }, 'anti-entropy check failed; it runs again later');
		}
	}

	/**
	 * Whether every update up to `seq` is known to be applied here (waiting once for relay messages
	 * still in flight), so the periodic check can skip loading the document.
	 */
	async #countedUpTo(tracked: Tracked, seq: number): Promise<boolean> {
		if (tracked.applied === undefined || performance.now() - tracked.fullAt > this.#fullCheckIntervalMs) return false;
		if (tracked.applied >= seq) return true;
		await new Promise((resolve) => setTimeout(resolve, this.#countSettleMs).unref());
		return tracked.applied >= seq;
	}

	#schedule(): void {
		if (this.#stopped) return;
		const delay = this.intervalMs * (1 + this.#jitter * (Math.random() * 2 - 1));
		this.#timer = setTimeout(() => {
			this.#pass = this.requestAll('periodic').finally(() => {
				this.#pass = undefined;
				this.#schedule();
			});
		}, delay);
		this.#timer.unref();
	}
}

/**
 * Runs `missingFromLive` in the process's one Yjs worker thread (`yjs-thread.ts`: started on first
 * use, ended when idle or when its last user lets go). A check whose thread died fails, and runs
 * again later.
 */
class CompareThread {
	#thread = new YjsThreadHandle();

	async missing(stored: Uint8Array[], live: LiveSummary): Promise<Uint8Array | undefined> {
		const answer = await this.#thread.request((id) => ({ id, kind: 'compare', stored, live }));
		if ('error' in answer) throw new Error(`anti-entropy compare failed: ${answer.error}`);
		if (!('missing' in answer)) throw new Error('the yjs thread answered a compare with something else');
		return answer.missing;
	}

	stop(): Promise<void> {
		return this.#thread.release();
	}
}
