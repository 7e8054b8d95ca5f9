/**
 * Where each side of the benchmark runs. With `taskset` and at least two cores, the servers
 * (and redis-server) get the last core and the load generator every other core, so the two do not
 * steal time from each other and figures from different servers are comparable.
 */
import { availableParallelism } from 'node:os';
import { execFileSync } from 'node:child_process';

export type CpuPlan = {
	cores: number;
	pinned: boolean;
	/** taskset cpu list for servers, e.g. "1"; empty when not pinned. */
	serverCpus: string;
	/** taskset cpu list for the generator, e.g. "0". */
	generatorCpus: string;
	generatorCores: number;
	note: string;
};

function hasTaskset(): boolean {
	try {
		execFileSync('taskset', ['-V'], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

export function planCpus(pin: boolean): CpuPlan {
	const cores = availableParallelism();
	if (!pin || cores < 2 || !hasTaskset()) {
		const why = !pin ? 'pinning disabled (--no-pin)' : cores < 2 ? 'only one core' : 'taskset not found';
		return { cores, pinned: false, serverCpus: '', generatorCpus: '', generatorCores: cores, note: `not pinned: ${why}` };
	}
	const last = cores - 1;
	const generatorCpus = last === 1 ? '0' : `0-${last - 1}`;
	return {
		cores,
		pinned: true,
		serverCpus: String(last),
		generatorCpus,
		generatorCores: last,
		note: `servers on core ${last}, load generator on core${last === 1 ? '' : 's'} ${generatorCpus}`
	};
}

/** Pins this process and all its threads (worker threads started later inherit it). */
export function pinThisProcess(plan: CpuPlan): void {
	if (!plan.pinned) return;
	execFileSync('taskset', ['-a', '-p', '-c', plan.generatorCpus, String(process.pid)], { stdio: 'ignore' });
}

/** The command and arguments that start `argv` on the server cores. */
export function onServerCpus(plan: CpuPlan, argv: string[]): { command: string; args: string[] } {
	const [command, ...args] = argv;
	if (command === undefined) throw new Error('empty command');
	if (!plan.pinned) return { command, args };
	return { command: 'taskset', args: ['-c', plan.serverCpus, command, ...args] };
}
