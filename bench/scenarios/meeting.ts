import { describeLoad, runEditLoad, type EditLoad } from './edit-load.ts';
import type { Figures } from '../lib/figures.ts';
import { serverKinds } from '../lib/servers.ts';
import { notAvailable, resultStatus, type Scenario } from './scenario.ts';

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
 * same core and both windows at the same moment. On this virtual machine a core's speed moves by
 * tens of percent between runs a minute apart (docs/performance.md), more than the difference
 * measured; side by side, both servers meet the same speed.
 */
const sideBySide = { ruled: { ...load, scenario: 'rules-cost-ruled' }, plain: { ...unruled, scenario: 'rules-cost-plain' } } as const;

export const rulesCost: Scenario = {
	name: 'rules-cost',
	title: 'Board rules, side by side',
	describe: (quick, durationMs) => `ours only: the meeting (${describeLoad(load, quick, durationMs)}) on a board document and on a plain one at the same time, each on its own server, both servers on one core`,
	notApplicable: (server) => (server === serverKinds.ours ? undefined : 'has no board rules'),
	async run(server, context) {
		if (server !== serverKinds.ours) return notAvailable(server, 'has no board rules');
		const together = meetingPoint(2);
		const [ruled, plain] = await Promise.all([runEditLoad(sideBySide.ruled, server, context, together), runEditLoad(sideBySide.plain, server, context, together)]);
		if (ruled.status !== resultStatus.ok) return ruled;
		if (plain.status !== resultStatus.ok) return plain;
		const ruledCpu = ruled.figures.cpuUsPerDelivery;
		const plainCpu = plain.figures.cpuUsPerDelivery;
		const figures: Figures = {
			...(ruledCpu !== undefined ? { rulesRuledCpuUsPerDelivery: ruledCpu } : {}),
			...(plainCpu !== undefined ? { rulesPlainCpuUsPerDelivery: plainCpu } : {}),
			...(ruledCpu !== undefined && plainCpu !== undefined && plainCpu > 0 ? { rulesCpuOverheadPct: (ruledCpu / plainCpu - 1) * 100 } : {}),
			...(ruled.figures.latencyP99Ms !== undefined ? { rulesRuledP99Ms: ruled.figures.latencyP99Ms } : {}),
			...(plain.figures.latencyP99Ms !== undefined ? { rulesPlainP99Ms: plain.figures.latencyP99Ms } : {}),
			deliveriesLost: (ruled.figures.deliveriesLost ?? 0) + (plain.figures.deliveriesLost ?? 0)
		};
		// Each window counts the other server as other work on the machine: that is the design here.
		const warnings = [...ruled.warnings, ...plain.warnings].filter((warning) => !warning.startsWith('other processes on this machine'));
		return { server, status: resultStatus.ok, figures, untrustworthy: [], warnings: [...new Set(warnings)] };
	}
};
