/**
 * The targets for our server, checked against a run. They are figures to read, not test
 * assertions: a miss is printed with its size, and docs/performance.md explains it.
 */
import type { FigureKey } from './figures.ts';
import { figureOf, ratio, type RunReport, type ScenarioReport } from './run-report.ts';
import { serverKinds, type ServerKind } from './servers.ts';

export type TargetCheck = { target: string; measured: string; met: boolean | undefined };

/** Figures on which ours must never be worse than a baseline (lower is better for all of them). */
export const neverWorseFigures: FigureKey[] = [
	'latencyP99Ms',
	'cpuUsPerDelivery',
	'serverCpuSeconds',
	'serverRssMb',
	'coldReceivedLastMs',
	'idleKbPerConnection',
	'deliveriesLost'
];

/** Scenarios whose deliveries are edits (presence is last-writer-wins state and may be coalesced). */
export const editScenarios = ['meeting', 'rules-cost', 'rules-cost-primed-turns', 'rules-cost-turns', 'busy-board', 'many-boards', 'cross-instance'];

function untrusted(scenario: ScenarioReport, key: FigureKey, servers: ServerKind[]): boolean {
	return scenario.results.some((result) => servers.includes(result.server) && result.untrustworthy.includes(key));
}

function signed(value: number): string {
	return `${value >= 0 ? '+' : ''}${value.toFixed(1)}`;
}

function find(report: RunReport, name: string): ScenarioReport | undefined {
	return report.scenarios.find((scenario) => scenario.name === name);
}

function below(target: string, value: number | undefined, limit: number, unit: string): TargetCheck {
	return { target, measured: value === undefined ? 'not measured' : `${value} ${unit}`, met: value === undefined ? undefined : value < limit };
}

function neverWorse(report: RunReport, baseline: ServerKind, strictlyAhead: boolean): TargetCheck {
	const misses: string[] = [];
	let compared = 0;
	let skipped = 0;
	for (const scenario of report.scenarios) {
		for (const key of neverWorseFigures) {
			if (untrusted(scenario, key, [serverKinds.ours, baseline])) {
				skipped += 1;
				continue;
			}
			const r = ratio(scenario, key, baseline);
			const ours = figureOf(scenario, serverKinds.ours, key);
			const base = figureOf(scenario, baseline, key);
			if (key === 'deliveriesLost' && ours !== undefined && base !== undefined) {
				compared += 1;
				if (ours > base) misses.push(`${scenario.name} ${key} ${ours} vs ${base}`);
				continue;
			}
			if (r === undefined) continue;
			compared += 1;
			if (strictlyAhead ? r >= 1 : r > 1) misses.push(`${scenario.name} ${key} ×${r.toFixed(2)}`);
		}
	}
	return {
		target: strictlyAhead ? `ahead of ${baseline} on every compared figure` : `never worse than ${baseline} (latency, CPU, memory)`,
		measured:
			(compared === 0 ? 'not measured' : misses.length === 0 ? `${compared} figures compared` : `behind on: ${misses.join(', ')}`) +
			(skipped > 0 ? ` (${skipped} ⚠ figure(s) not compared)` : ''),
		met: compared === 0 ? undefined : misses.length === 0
	};
}

export function checkTargets(report: RunReport): TargetCheck[] {
	const ours = serverKinds.ours;
	const busy = find(report, 'busy-board');
	const cpuRatio = busy ? ratio(busy, 'cpuUsPerDelivery', serverKinds.yWebsocket) : undefined;
	let lost: number | undefined;
	let lostUntrusted = 0;
	for (const name of editScenarios) {
		const scenario = find(report, name);
		const value = figureOf(scenario, ours, 'deliveriesLost');
		if (value === undefined || !scenario) continue;
		if (untrusted(scenario, 'deliveriesLost', [ours])) lostUntrusted += value;
		else lost = (lost ?? 0) + value;
	}
	// Issue 11: the board rules (protection check, ledger, stamps and what follows an accepted change)
	// cost ≤ 10 % more server CPU per accepted update, and the meeting's p99 stays within 10 %: judged
	// side by side on running servers. In turns (each server alone on the core, so p99 is not the two
	// servers' contention) and in a fresh server's first minute (the per-edit code still in V8's first
	// tiers at the meeting's rate) the same figures are reported beside it (docs/performance.md).
	const rules = (scenario: string) => {
		const found = find(report, scenario);
		const cpu = figureOf(found, ours, 'rulesCpuOverheadPct');
		const board = figureOf(found, ours, 'rulesRuledP99Ms');
		const plain = figureOf(found, ours, 'rulesPlainP99Ms');
		// p99 from every round's deliveries pooled (`poolP99` in scenarios/meeting.ts).
		const p99Pct = figureOf(found, ours, 'rulesP99OverheadPct');
		const p99 =
			p99Pct === undefined ? '' : `; p99 ${signed(p99Pct)} %` + (board !== undefined && plain !== undefined ? ` (${board.toFixed(1)} vs ${plain.toFixed(1)} ms, rounds pooled)` : '');
		return { cpu, p99Pct, measured: cpu === undefined ? 'not measured' : `${signed(cpu)} % CPU${p99}` };
	};
	const running = rules('rules-cost');
	const rulesLine: TargetCheck = {
		target: 'board rules: ≤ 10 % more server CPU per accepted update than a plain document, p99 within 10 % (a running server, side by side)',
		measured: running.measured,
		met: running.cpu === undefined || running.p99Pct === undefined ? undefined : running.cpu <= 10 && running.p99Pct <= 10
	};
	const reported = (scenario: string, target: string): TargetCheck => ({ target, measured: rules(scenario).measured, met: undefined });
	const primedTurnsLine = reported('rules-cost-primed-turns', 'board rules on a running server, in turns (reported, no bar)');
	const freshLine = reported('rules-cost-turns', "board rules in a fresh server's first minute, in turns (reported, no bar: V8 has not yet optimised the per-edit code)");
	return [
		below('meeting: edit-to-peer p99 < 5 ms', figureOf(find(report, 'meeting'), ours, 'latencyP99Ms'), 5, 'ms'),
		below('busy board: edit-to-peer p99 < 10 ms', figureOf(busy, ours, 'latencyP99Ms'), 10, 'ms'),
		{
			target: 'busy board: server CPU per delivery ≤ ½ the reference server’s',
			measured: cpuRatio === undefined ? 'not measured' : `×${cpuRatio.toFixed(2)} of y-websocket`,
			met: cpuRatio === undefined ? undefined : cpuRatio <= 0.5
		},
		below('cold open: last of 50 peers has its state < 200 ms', figureOf(find(report, 'cold-open'), ours, 'coldReceivedLastMs'), 200, 'ms'),
		{
			target: 'zero lost edit deliveries',
			measured:
				(lost === undefined ? 'not measured' : `${lost} lost`) +
				(lostUntrusted > 0 ? ` (${lostUntrusted} more not delivered within the drain in ⚠ windows, not counted)` : ''),
			met: lost === undefined ? undefined : lost === 0
		},
		below('browser: first rows on screen < 300 ms (5,000 records, first visit)', figureOf(find(report, 'browser'), ours, 'browserFirstRowsMs'), 300, 'ms'),
		below('browser: board interactive < 600 ms (5,000 records, first visit)', figureOf(find(report, 'browser'), ours, 'browserInteractiveMs'), 600, 'ms'),
		below('memory per idle connection < 10 KB', figureOf(find(report, 'idle-memory'), ours, 'idleKbPerConnection'), 10, 'KB'),
		rulesLine,
		primedTurnsLine,
		freshLine,
		below('as at a past meeting: the 5,000-record board opens < 500 ms (every open, the first included)', figureOf(find(report, 'history'), ours, 'historyAsAtOpenMaxMs'), 500, 'ms'),
		neverWorse(report, serverKinds.yWebsocket, false),
		neverWorse(report, serverKinds.hocuspocus, true)
	];
}
