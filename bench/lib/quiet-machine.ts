/**
 * Waits for the machine to be quiet before a measured window. Other work on the machine (builds,
 * test runs) steals cores from the server and the generator alike and swamps latency figures; a
 * benchmark that starts its window during a quiet spell measures the servers, not the neighbours.
 */
import { sleep } from './clock.ts';
import { machineBusySeconds } from './proc-stats.ts';

export const quietDefaults = {
	/** Busy CPU (all processes, in cores) under which the machine counts as quiet. */
	quietCores: 0.3,
	sampleMs: 1_000,
	quickMaxWaitMs: 15_000,
	fullMaxWaitMs: 30_000
} as const;

/** Resolves once the machine is quiet or the wait is over; returns how busy it was, in cores. */
export async function waitForQuietMachine(maxWaitMs: number, log: (message: string) => void): Promise<number> {
	const deadline = Date.now() + maxWaitMs;
	let reported = false;
	for (;;) {
		const before = machineBusySeconds();
		await sleep(quietDefaults.sampleMs);
		const busyCores = (machineBusySeconds() - before) / (quietDefaults.sampleMs / 1000);
		if (busyCores < quietDefaults.quietCores) return busyCores;
		if (Date.now() >= deadline) {
			log(`machine still busy (${busyCores.toFixed(2)} cores in use by others): measuring anyway`);
			return busyCores;
		}
		if (!reported) log(`machine busy (${busyCores.toFixed(2)} cores in use): waiting up to ${Math.round(maxWaitMs / 1000)} s for a quiet spell`);
		reported = true;
	}
}
