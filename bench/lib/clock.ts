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
