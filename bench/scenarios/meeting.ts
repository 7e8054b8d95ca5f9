import { describeLoad, runEditLoad, windowMs, type EditLoad, type Turns } from './edit-load.ts';
import { roundFigure, type Figures } from '../lib/figures.ts';
import { serverKinds } from '../lib/servers.ts';
import { notAvailable, resultStatus, type Scenario, type ServerResult } from './scenario.ts';
import { Histogram } from '../lib/histogram.ts';
import { combineRounds } from '../lib/run-report.ts';

/** A Missions Board meeting: one board, 50 peers, 10 of them writing twice a second. */
const load: EditLoad = { scenario: 'meeting', boards: 1, peersPerBoard: 50, activePerBoard: 10, rate: 2, kind: 'edits', shape: 'board' };

export const meeting: Scenario = {
	name: 'meeting',
	title: 'Meeting',
	describe: (quick, durationMs) => describeLoad(load, quick, durationMs),
	run: (server, context) => runEditLoad(load, server, context)
};

/**
 * The meeting's load on plain documents: the same board-shaped edits with no board rules (ours runs
 * no protection check, ledger or stamps on them). Ours here against ours in "meeting" is what the
 * accountable record costs per accepted update, end to end.
 */
const unruled: EditLoad = { ...load, scenario: 'meeting-unruled', rules: false };

export const meetingUnruled: Scenario = {
	name: 'meeting-unruled',
	title: 'Meeting, no board rules',
	describe: (quick, durationMs) => describeLoad(unruled, quick, durationMs),
	run: (server, context) => runEditLoad(unruled, server, context)
};

/** Resolves for every party once `parties` have called it (then starts over). */
function meetingPoint(parties: number): () => Promise<void> {
	let waiting: Array<() => void> = [];
	return () =>
		new Promise<void>((resolve) => {
			waiting.push(resolve);
			if (waiting.length < parties) return;
			for (const release of waiting) release();
			waiting = [];
		});
}

/**
 * What the board rules cost, measured so that the machine's drift cannot decide it: the meeting's
 * load on a board document and on a plain one, each on its own server process, both servers on the
 * same core. On this virtual machine a core's speed moves by tens of percent between runs a minute
 * apart (docs/performance.md), more than the difference measured. Three ways, two moments:
 * - `rules-cost`, side by side, on a server that has been running: both windows at the same moment,
 *   so both servers meet the same speed, after each server has taken `primeEdits` edits (at ten
 *   times the meeting's rate), as a server does in its first minutes of a working day. Code that
 *   runs once per edit (the check, the ledger, the stamps) is optimised by then, as it is for the
 *   rest of the day; at the meeting's own rate it would still run in V8's first tiers throughout a
 *   window measured on a fresh process.
 * - `rules-cost-turns`, in turns, on a fresh server (its first minute): the window cut into turns of
 *   about 2 s (board, plain, plain, board, …), each server alone on the core in its own turns; turns
 *   seconds apart meet the same speed. It also checks the side-by-side method: on fresh servers both
 *   methods gave the same cost (docs/performance.md).
 * - `rules-cost-primed-turns`, in turns, on a running server: both primed as `rules-cost`, then the
 *   window in turns, so each server's p99 is its own and not the two servers' contention for the core.
 */
export const rulesCostDefaults = {
	/** Edits each server takes before `rules-cost`'s warm-up: V8 optimises code called 3,000 times. */
	primeEdits: 3_000,
	/** About how long each turn of `rules-cost-turns` is: seconds, so drift between two turns is negligible. */
	turnMs: 2_000,
	/**
	 * Rounds a full run takes of each (`Scenario.leastRounds`). One round's figure scatters more
	 * between processes than the bar's margin (18 primed rounds of one build: -5.6 to +22.1 %, median
	 * +5.5 %; docs/performance.md): the median of several decides, and every round is printed.
	 * Rounds in turns take twice as long (each server's window is half of it).
	 */
	rounds: { sideBySide: 5, inTurns: 3 }
} as const;

function rulesCostScenario(name: string, title: string, how: string, inTurns: boolean, primed = !inTurns): Scenario {
	return {
		name,
		title,
		leastRounds: inTurns ? rulesCostDefaults.rounds.inTurns : rulesCostDefaults.rounds.sideBySide,
		describe: (quick, durationMs) => `ours only: the meeting (${describeLoad(load, quick, durationMs)}) on a board document and on a plain one, each on its own server, both servers on one core, ${how}; p99 from every round's deliveries pooled`,
		notApplicable: (server) => (server === serverKinds.ours ? undefined : 'has no board rules'),
		async run(server, context) {
			if (server !== serverKinds.ours) return notAvailable(server, 'has no board rules');
			const together = meetingPoint(2);
			// Board, plain, plain, board, …: neither load always goes first.
			const pairs = Math.max(1, Math.round(windowMs(context.quick, context.durationMs) / (2 * rulesCostDefaults.turnMs)));
			const turnsOf = (first: boolean): Turns | undefined =>
				inTurns ? { count: 4 * pairs, mine: (turn) => (turn % 4 === 0 || turn % 4 === 3) === first, meet: together } : undefined;
			const primeEdits = primed ? rulesCostDefaults.primeEdits : undefined;
			const [ruled, plain] = await Promise.all([
				runEditLoad({ ...load, scenario: `${name}-ruled`, primeEdits }, server, context, together, turnsOf(true)),
				runEditLoad({ ...unruled, scenario: `${name}-plain`, primeEdits }, server, context, together, turnsOf(false))
			]);
			if (ruled.status !== resultStatus.ok) return ruled;
			if (plain.status !== resultStatus.ok) return plain;
			const ruledCpu = ruled.figures.cpuUsPerDelivery;
			const plainCpu = plain.figures.cpuUsPerDelivery;
			const ruledP99 = ruled.figures.latencyP99Ms;
			const plainP99 = plain.figures.latencyP99Ms;
			const figures: Figures = {
				...(ruledCpu !== undefined ? { rulesRuledCpuUsPerDelivery: ruledCpu } : {}),
				...(plainCpu !== undefined ? { rulesPlainCpuUsPerDelivery: plainCpu } : {}),
				...(ruledCpu !== undefined && plainCpu !== undefined && plainCpu > 0 ? { rulesCpuOverheadPct: (ruledCpu / plainCpu - 1) * 100 } : {}),
				...(ruledP99 !== undefined ? { rulesRuledP99Ms: ruledP99 } : {}),
				...(plainP99 !== undefined ? { rulesPlainP99Ms: plainP99 } : {}),
				// This round's own p99 ratio, printed round by round; the rounds' figure pools them (`poolP99`).
				...(ruledP99 !== undefined && plainP99 !== undefined && plainP99 > 0 ? { rulesP99OverheadPct: (ruledP99 / plainP99 - 1) * 100 } : {}),
				deliveriesLost: (ruled.figures.deliveriesLost ?? 0) + (plain.figures.deliveriesLost ?? 0)
			};
			// Each window counts the other server as other work on the machine: that is the design here.
			const warnings = [...ruled.warnings, ...plain.warnings].filter((warning) => !warning.startsWith('other processes on this machine'));
			const histograms = { ruled: ruled.histograms?.latency, plain: plain.histograms?.latency };
			return {
				server,
				status: resultStatus.ok,
				figures,
				untrustworthy: [],
				warnings: [...new Set(warnings)],
				...(histograms.ruled && histograms.plain ? { histograms: { ruled: histograms.ruled, plain: histograms.plain } } : {})
			};
		},
		combine: poolP99
	};
}

/**
 * The rounds' medians, except p99: read from every round's deliveries pooled. One round's p99 is its
 * few slowest edits (600 edits of 49 deliveries each: the 1 % tail is about six edits), so it
 * scatters by tens of percent between rounds (docs/performance.md); five rounds pooled put thirty
 * edits in the tail. The ratio is of the two pooled p99s; each round's own is printed beside it.
 */
function poolP99(rounds: ServerResult[]): ServerResult {
	const combined = combineRounds(rounds);
	const ruled = new Histogram();
	const plain = new Histogram();
	for (const round of rounds) {
		if (round.status !== resultStatus.ok || !round.histograms?.ruled || !round.histograms.plain) continue;
		ruled.merge(round.histograms.ruled);
		plain.merge(round.histograms.plain);
	}
	if (ruled.count === 0 || plain.count === 0) return combined;
	const ruledP99 = ruled.summary().p99Ms;
	const plainP99 = plain.summary().p99Ms;
	return {
		...combined,
		figures: {
			...combined.figures,
			rulesRuledP99Ms: roundFigure(ruledP99),
			rulesPlainP99Ms: roundFigure(plainP99),
			...(plainP99 > 0 ? { rulesP99OverheadPct: roundFigure((ruledP99 / plainP99 - 1) * 100) } : {})
		}
	};
}

export const rulesCost = rulesCostScenario(
	'rules-cost',
	'Board rules, side by side, on a running server',
	`both windows at the same moment, after ${rulesCostDefaults.primeEdits.toLocaleString('en-GB')} edits each`,
	false
);
export const rulesCostPrimedTurns = rulesCostScenario(
	'rules-cost-primed-turns',
	'Board rules, in turns, on a running server',
	`in turns of about 2 s (each server alone on the core in its own), after ${rulesCostDefaults.primeEdits.toLocaleString('en-GB')} edits each`,
	true,
	true
);
export const rulesCostTurns = rulesCostScenario(
	'rules-cost-turns',
	'Board rules, in turns, on a fresh server',
	'in turns of about 2 s (each server alone on the core in its own), on fresh servers',
	true
);
