/** The record of one benchmark run: machine, command, and every scenario's per-server figures. */
import { cpus, totalmem, release, platform } from 'node:os';
import { execFileSync } from 'node:child_process';
import type { ServerResult } from '../scenarios/scenario.ts';
import { figureOrder, roundFigure, type FigureKey, type Figures } from './figures.ts';
import { serverKinds, type ServerKind } from './servers.ts';

export type ScenarioReport = {
	name: string;
	title: string;
	description: string;
	results: ServerResult[];
};

export type Machine = { cpu: string; cores: number; memoryGb: number; os: string; node: string; placement: string };

export type RunReport = {
	version: 1;
	startedAt: string;
	finishedAt: string;
	command: string;
	commit: string;
	quick: boolean;
	rounds: number;
	machine: Machine;
	scenarios: ScenarioReport[];
	/** Figures shown round by round as well as their median (`roundByRound`). */
	roundByRound?: RoundByRound[];
};

/** Figures whose every round is worth seeing: how far the rounds disagree says how far to trust the median. */
export const roundByRound = [
	{ scenario: 'rules-cost', figure: 'rulesCpuOverheadPct' },
	{ scenario: 'rules-cost', figure: 'rulesP99OverheadPct' },
	{ scenario: 'rules-cost-primed-turns', figure: 'rulesCpuOverheadPct' },
	{ scenario: 'rules-cost-primed-turns', figure: 'rulesP99OverheadPct' },
	{ scenario: 'rules-cost-turns', figure: 'rulesCpuOverheadPct' },
	{ scenario: 'rules-cost-turns', figure: 'rulesP99OverheadPct' }
] as const satisfies ReadonlyArray<{ scenario: string; figure: FigureKey }>;

export type RoundByRound = { scenario: string; figure: FigureKey; values: number[]; median: number };

/** Ours' values of the `roundByRound` figures, one per round, for the scenarios that ran. */
export function roundByRoundFigures(byScenario: ReadonlyMap<string, readonly ServerResult[]>): RoundByRound[] {
	const found: RoundByRound[] = [];
	for (const { scenario, figure } of roundByRound) {
		const values = (byScenario.get(scenario) ?? []).flatMap((result) => (result.status === 'ok' && result.figures[figure] !== undefined ? [roundFigure(result.figures[figure])] : []));
		if (values.length > 0) found.push({ scenario, figure, values, median: roundFigure(median(values)) });
	}
	return found;
}

export function describeMachine(placement: string): Machine {
	const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
	return {
		cpu,
		cores: cpus().length,
		memoryGb: Math.round(totalmem() / 1024 ** 3),
		os: `${platform()} ${release()}`,
		node: process.version,
		placement
	};
}

export function currentCommit(cwd: string): string {
	try {
		const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
		const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, encoding: 'utf8' }).trim() !== '';
		return dirty ? `${sha}+dirty` : sha;
	} catch {
		return 'unknown';
	}
}

/** Figures rounded for storage; NaN and infinities become absent. */
export function cleanFigures(figures: Figures): Figures {
	const clean: Figures = {};
	for (const key of figureOrder) {
		const value = figures[key];
		if (value !== undefined && Number.isFinite(value)) clean[key] = roundFigure(value);
	}
	return clean;
}

export function resultOf(scenario: ScenarioReport, server: ServerKind): ServerResult | undefined {
	return scenario.results.find((result) => result.server === server);
}

export function figureOf(scenario: ScenarioReport | undefined, server: ServerKind, key: FigureKey): number | undefined {
	if (!scenario) return undefined;
	const result = resultOf(scenario, server);
	return result?.status === 'ok' ? result.figures[key] : undefined;
}

/** ours / baseline, or undefined when either is missing or the baseline is zero. */
export function ratio(scenario: ScenarioReport, key: FigureKey, baseline: ServerKind): number | undefined {
	const ours = figureOf(scenario, serverKinds.ours, key);
	const base = figureOf(scenario, baseline, key);
	if (ours === undefined || base === undefined || base === 0) return undefined;
	return ours / base;
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/**
 * Combines one server's results from several rounds: the median of each figure over the rounds
 * that succeeded, every distinct warning, and a figure is untrustworthy if it was in any round.
 */
export function combineRounds(rounds: ServerResult[]): ServerResult {
	const ok = rounds.filter((result) => result.status === 'ok');
	const first = rounds[0];
	if (!first) throw new Error('no rounds to combine');
	if (ok.length === 0) return first;
	const figures: Figures = {};
	for (const key of figureOrder) {
		const values = ok.flatMap((result) => (result.figures[key] === undefined ? [] : [result.figures[key]]));
		if (values.length > 0) figures[key] = roundFigure(median(values));
	}
	const warnings = [...new Set(rounds.flatMap((result) => result.warnings))];
	if (ok.length < rounds.length) warnings.push(`${rounds.length - ok.length} of ${rounds.length} rounds failed: ${rounds.find((r) => r.status !== 'ok')?.reason ?? ''}`);
	// A series is one round's own (per-second figures do not combine into a median): the first round's.
	const series = ok.find((result) => result.series)?.series;
	return { server: first.server, status: 'ok', figures, untrustworthy: [...new Set(ok.flatMap((result) => result.untrustworthy))], warnings, ...(series ? { series } : {}) };
}
