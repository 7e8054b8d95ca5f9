import { describeLoad, runEditLoad, type EditLoad } from './edit-load.ts';
import type { Scenario } from './scenario.ts';

/** Many boards: 100 boards of 10 peers (1,000 connections), one writer per board at 1 edit/s. */
const load: EditLoad = { scenario: 'many-boards', boards: 100, peersPerBoard: 10, activePerBoard: 1, rate: 1, kind: 'edits', shape: 'board' };

export const manyBoards: Scenario = {
	name: 'many-boards',
	title: 'Many boards',
	describe: (quick, durationMs) => describeLoad(load, quick, durationMs),
	run: (server, context) => runEditLoad(load, server, context)
};
