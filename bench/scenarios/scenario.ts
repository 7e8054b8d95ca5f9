/** What every scenario module provides, and what it returns for each server. */
import type { CpuPlan } from '../lib/cpu-plan.ts';
import type { Figures, FigureKey } from '../lib/figures.ts';
import type { HistogramData } from '../lib/histogram.ts';
import type { ServerKind } from '../lib/servers.ts';

export const resultStatus = { ok: 'ok', notAvailable: 'not-available', failed: 'failed' } as const;
export type ResultStatus = (typeof resultStatus)[keyof typeof resultStatus];

export type ServerResult = {
	server: ServerKind;
	status: ResultStatus;
	/** Why it is not available or why it failed. */
	reason?: string;
	figures: Figures;
	/** Figures the generator could not measure faithfully (its own lag or CPU). */
	untrustworthy: FigureKey[];
	warnings: string[];
	/** Steady-load scenarios: latency per second of the window, so periodic stalls show. */
	series?: LatencySeries;
	/**
	 * A round's latency histograms, by name, for a scenario whose `combine` pools its rounds (a tail
	 * read from every round's deliveries at once); not kept in the combined result.
	 */
	histograms?: Record<string, HistogramData>;
};

/** One value per second of the measured window (by the edit's send time); cross-instance p99 when there are several. */
export type LatencySeries = { count: number[]; p50Ms: number[]; p99Ms: number[]; maxMs: number[]; crossP99Ms?: number[] };

export type RunContext = {
	plan: CpuPlan;
	workers: number;
	quick: boolean;
	/** `--duration`: the measured window of the steady-load scenarios, overriding the default. */
	durationMs: number | undefined;
	/** How long to wait for a quiet machine before each measured window. */
	quietWaitMs: number;
	/** When set, servers run under `node --cpu-prof` writing here. */
	profileDir: string | undefined;
	log(message: string): void;
};

export type Scenario = {
	name: string;
	title: string;
	/** One line describing the load, for the report. */
	describe(quick: boolean, durationMs?: number): string;
	/** Why the whole scenario cannot run here (e.g. no redis-server), or undefined. */
	unavailable?(): string | undefined;
	/** Why it does not apply to one server (e.g. no scale-out), or undefined. */
	notApplicable?(server: ServerKind): string | undefined;
	run(server: ServerKind, context: RunContext): Promise<ServerResult>;
	/**
	 * The rounds a full run (not `--quick`) takes of this scenario at least, whatever `--rounds` says:
	 * for a figure whose single rounds scatter more than the margin it is judged by, so that the median
	 * of several decides, not one round's luck.
	 */
	leastRounds?: number;
	/** How one server's rounds combine into its result; the median of each figure when absent. */
	combine?(rounds: ServerResult[]): ServerResult;
};

/** How many rounds a run takes of `scenario`. */
export function roundsOf(scenario: Pick<Scenario, 'leastRounds'>, rounds: number, quick: boolean): number {
	return quick ? rounds : Math.max(rounds, scenario.leastRounds ?? 1);
}

export function notAvailable(server: ServerKind, reason: string): ServerResult {
	return { server, status: resultStatus.notAvailable, reason, figures: {}, untrustworthy: [], warnings: [] };
}

export function failed(server: ServerKind, reason: string): ServerResult {
	return { server, status: resultStatus.failed, reason, figures: {}, untrustworthy: [], warnings: [] };
}
