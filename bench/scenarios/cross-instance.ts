import { describeLoad, runEditLoad, type EditLoad } from './edit-load.ts';
import { redisServerPath } from '../lib/redis-server.ts';
import { serverKinds } from '../lib/servers.ts';
import { findPostgresBin } from '../../test/helpers/postgres-server.ts';
import type { Scenario } from './scenario.ts';

/**
 * Two instances on one Redis, 100 peers of one board split between them, 10 writers at 5 board-shaped
 * edits/s.
 * Hocuspocus runs with its own @hocuspocus/extension-redis; the reference y-websocket server has
 * no way to share a document between instances.
 */
const load: EditLoad = {
	scenario: 'cross-instance',
	boards: 1,
	peersPerBoard: 100,
	activePerBoard: 10,
	rate: 5,
	kind: 'edits',
	instances: 2,
	redis: true,
	shape: 'board'
};

export const crossInstance: Scenario = {
	name: 'cross-instance',
	title: 'Cross-instance',
	describe: (quick, durationMs) => describeLoad(load, quick, durationMs),
	unavailable: () => (redisServerPath() ? undefined : 'redis-server is not installed'),
	notApplicable: (server) => (server === serverKinds.yWebsocket ? 'the reference server has no scale-out (no way to share a document between instances)' : undefined),
	run: (server, context) => runEditLoad(load, server, context)
};

/** The same load with PostgreSQL holding the data and Redis only fanning out (the production picture). */
const onPostgres: EditLoad = { ...load, scenario: 'cross-instance-postgres', postgres: true };

function postgresMissing(): string | undefined {
	try {
		findPostgresBin();
		return redisServerPath() ? undefined : 'redis-server is not installed';
	} catch {
		return 'PostgreSQL (initdb, postgres) is not installed';
	}
}

export const crossInstancePostgres: Scenario = {
	name: 'cross-instance-postgres',
	title: 'Cross-instance on PostgreSQL',
	describe: (quick, durationMs) => `${describeLoad(onPostgres, quick, durationMs)}; PostgreSQL holds the data`,
	unavailable: postgresMissing,
	notApplicable: (server) => (server === serverKinds.ours ? undefined : 'only ours has a PostgreSQL store (this scenario sits beside cross-instance on Redis)'),
	run: (server, context) => runEditLoad(onPostgres, server, context)
};
