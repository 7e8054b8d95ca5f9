/**
 * Server resource figures read from Linux procfs: CPU seconds (user + system, all threads,
 * including exited ones) from /proc/<pid>/stat and resident memory from /proc/<pid>/status.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export type ProcSample = {
	pid: number;
	cpuSeconds: number;
	rssBytes: number;
	peakRssBytes: number;
};

export class ProcStatsError extends Error {
	readonly code = 'PROC_STATS_UNAVAILABLE';
}

function clockTicksPerSecond(): number {
	try {
		const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
		return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
	} catch {
		return 100;
	}
}

const ticksPerSecond = clockTicksPerSecond();

function statusKb(status: string, field: string): number {
	const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
	return match ? Number(match[1]) : 0;
}

/**
 * CPU seconds of all live threads from their schedstat (nanoseconds), far finer than the 10 ms
 * ticks of /proc/<pid>/stat; undefined when schedstat is not available.
 */
function schedCpuSeconds(pid: number): number | undefined {
	try {
		let ns = 0;
		for (const task of readdirSync(`/proc/${pid}/task`)) {
			ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
		}
		return Number.isFinite(ns) ? ns / 1e9 : undefined;
	} catch {
		return undefined;
	}
}

/** CPU time all processes of the machine spent busy, in seconds (from /proc/stat). */
export function machineBusySeconds(): number {
	const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
	const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
	return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / ticksPerSecond;
}

export function sampleProc(pid: number): ProcSample {
	let stat: string;
	let status: string;
	try {
		stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		status = readFileSync(`/proc/${pid}/status`, 'utf8');
	} catch (cause) {
		throw new ProcStatsError(`cannot read /proc/${pid} (is the process alive, is this Linux?)`, { cause });
	}
	// The command name (field 2) may contain spaces; the numeric fields start after its ')'.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	const utime = Number(fields[11]);
	const stime = Number(fields[12]);
	return {
		pid,
		cpuSeconds: schedCpuSeconds(pid) ?? (utime + stime) / ticksPerSecond,
		rssBytes: statusKb(status, 'VmRSS') * 1024,
		peakRssBytes: statusKb(status, 'VmHWM') * 1024
	};
}

/** Samples the processes that are still alive (a backend may exit between listing and reading). */
export function sampleLive(pids: number[]): ProcSample[] {
	return pids.flatMap((pid) => {
		try {
			return [sampleProc(pid)];
		} catch {
			return [];
		}
	});
}

export type ProcDelta = {
	cpuSeconds: number;
	rssBytes: number;
	peakRssBytes: number;
};

/** CPU used between two samples of the same processes, and the memory at the second. */
export function procDelta(before: ProcSample[], after: ProcSample[]): ProcDelta {
	let cpuSeconds = 0;
	let rssBytes = 0;
	let peakRssBytes = 0;
	for (const end of after) {
		const start = before.find((sample) => sample.pid === end.pid);
		cpuSeconds += end.cpuSeconds - (start?.cpuSeconds ?? 0);
		rssBytes += end.rssBytes;
		peakRssBytes += end.peakRssBytes;
	}
	return { cpuSeconds: Math.round(cpuSeconds * 1000) / 1000, rssBytes, peakRssBytes };
}
