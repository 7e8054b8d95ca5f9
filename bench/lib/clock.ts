/**
 * One clock for every thread and process of a benchmark run: CLOCK_MONOTONIC through
 * `process.hrtime`, in milliseconds with sub-microsecond precision. Worker threads and child
 * processes on the same machine read the same clock, so a timestamp taken by a writer in one
 * thread can be subtracted from one taken by a reader in another.
 */
export function nowMs(): number {
	return Number(process.hrtime.bigint()) / 1e6;
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves true when `register`'s callback runs, false after `timeoutMs`. */
export function whenOrTimeout(register: (done: () => void) => void, timeoutMs: number): Promise<boolean> {
	return new Promise((resolve) => {
		const timer = setTimeout(() => resolve(false), timeoutMs);
		register(() => {
			clearTimeout(timer);
			resolve(true);
		});
	});
}

/** Runs `tick` every `periodMs` (the first at a random phase) until `endAt`. */
export function every(periodMs: number, endAt: number, tick: () => void): Promise<void> {
	return new Promise((resolve) => {
		setTimeout(() => {
			if (nowMs() >= endAt) return resolve();
			tick();
			const timer = setInterval(() => {
				if (nowMs() >= endAt) {
					clearInterval(timer);
					resolve();
					return;
				}
				tick();
			}, periodMs);
		}, Math.random() * periodMs);
	});
}
