/**
 * Gives memory back once the server is at rest. V8 keeps the young generation it grew while the
 * server started and served (16 MB with `--max-semi-space-size=8`) until its memory reducer runs,
 * and at rest that reducer waits for its 100-second watchdog: it judges the allocation rate by the
 * last collections, which were all made while busy. So once nothing is connected and no document is
 * loaded (the hub unloads a document 30 s after its last peer), and that has lasted `quietMs`, the
 * server asks V8 once for the collection its reducer would make (`gc` with the `last-resort` flavour:
 * compacting, and the young generation's pages given back). It costs one pause of about 40–90 ms at a
 * moment nobody is waiting for anything, and the next busy spell arms it again.
 *
 * It needs `node --expose-gc` (`npm run serve` passes it); without it nothing is started.
 */
import type { Logger } from './log.ts';

export const restMemoryDefaults = {
	/** How often the server looks whether it is at rest. */
	checkEveryMs: 2_000,
	/** How long it must have been at rest before memory is given back. */
	quietMs: 5_000
} as const;

/** V8's collection as `node --expose-gc` exposes it. */
export type Collect = () => void;

export interface RestMemoryOptions {
	/** Whether anything is connected or loaded right now. */
	busy(): Promise<boolean>;
	collect: Collect;
	log: Logger;
	now?: () => number;
	checkEveryMs?: number;
	quietMs?: number;
}

/** `gc` when the process was started with `--expose-gc`, as the collection V8's memory reducer makes; else undefined. */
export function exposedCollect(): Collect | undefined {
	const gc = (globalThis as { gc?: (options?: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => unknown }).gc;
	if (typeof gc !== 'function') return undefined;
	return () => void gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}

export class RestMemory {
	readonly #options: RestMemoryOptions;
	readonly #now: () => number;
	#lastBusyAt: number;
	#released = false;
	#timer: NodeJS.Timeout | undefined;
	#checking = false;

	constructor(options: RestMemoryOptions) {
		this.#options = options;
		this.#now = options.now ?? Date.now;
		this.#lastBusyAt = this.#now();
	}

	start(): void {
		this.#timer ??= setInterval(() => void this.check(), this.#options.checkEveryMs ?? restMemoryDefaults.checkEveryMs);
		this.#timer.unref();
	}

	/** Looks once (the timer calls this); collects when the server has been at rest long enough. Never throws. */
	async check(): Promise<void> {
		if (this.#checking) return;
		this.#checking = true;
		try {
			const now = this.#now();
			if (await this.#options.busy()) {
				this.#lastBusyAt = now;
				this.#released = false;
				return;
			}
			if (this.#released || now - this.#lastBusyAt < (this.#options.quietMs ?? restMemoryDefaults.quietMs)) return;
			this.#released = true;
			const started = performance.now();
			const before = process.memoryUsage.rss();
			this.#options.collect();
			this.#options.log.debug({ ms: Math.round(performance.now() - started), rssBeforeMb: Math.round(before / 1_048_576), rssAfterMb: Math.round(process.memoryUsage.rss() / 1_048_576) }, 'at rest: memory given back');
		} catch (error) {
			this.#options.log.warn({ err: error }, 'at rest: giving memory back failed');
		} finally {
			this.#checking = false;
		}
	}

	close(): void {
		clearInterval(this.#timer);
		this.#timer = undefined;
	}
}
