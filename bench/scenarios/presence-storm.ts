import { describeLoad, runEditLoad, type EditLoad } from './edit-load.ts';
import type { Scenario } from './scenario.ts';

/** Presence storm: 200 peers on one board all moving their cursor 5 times a second. */
const load: EditLoad = { scenario: 'presence-storm', boards: 1, peersPerBoard: 200, activePerBoard: 200, rate: 5, kind: 'presence' };

export const presenceStorm: Scenario = {
	name: 'presence-storm',
	title: 'Presence storm',
	describe: (quick, durationMs) => describeLoad(load, quick, durationMs),
	run: (server, context) => runEditLoad(load, server, context)
};
