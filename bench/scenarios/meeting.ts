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
