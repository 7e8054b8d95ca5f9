import { describeLoad, runEditLoad, type EditLoad } from './edit-load.ts';
import type { Scenario } from './scenario.ts';

/** A busy board: 200 peers, 20 writers at 5 edits/s each (19,900 deliveries a second). */
const load: EditLoad = { scenario: 'busy-board', boards: 1, peersPerBoard: 200, activePerBoard: 20, rate: 5, kind: 'edits', shape: 'board' };

export const busyBoard: Scenario = {
	name: 'busy-board',
	title: 'Busy board',
	describe: (quick, durationMs) => describeLoad(load, quick, durationMs),
	run: (server, context) => runEditLoad(load, server, context)
};
