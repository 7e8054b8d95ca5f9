import { describeLoad, runEditLoad, type EditLoad } from './edit-load.ts';
import type { Scenario } from './scenario.ts';

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
