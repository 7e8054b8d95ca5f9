/**
 * Cold open: a board with 5,000 records (seeded in batches by one peer that stays connected, since
 * the baselines drop a document when its last peer leaves), then 50 peers join at once. Per peer:
 * connect → its whole initial state received, measured at the socket with the client's own parsing
 * held back until every peer has it (see lib/arrival-watch.ts); then the clients apply it and each
 * must end with all 5,000 records.
 */
import { sleep } from '../lib/clock.ts';
import { waitForQuietMachine } from '../lib/quiet-machine.ts';
import { withRig, spread, ResourceWindow, percentile, summariseConnects, trustLimits, noiseLimits } from '../lib/rig.ts';
import { arrivalsResult, connectResult, countResult, releaseResult, seedResult, type PeerSpec } from '../lib/worker-protocol.ts';
import type { Figures, FigureKey } from '../lib/figures.ts';
import type { ServerKind } from '../lib/servers.ts';
import { failed, resultStatus, type RunContext, type Scenario, type ServerResult } from './scenario.ts';

export const coldOpenLoad = {
	records: 5_000,
	seedBatch: 250,
	joiners: 50,
	/** The state counts as received once this share of the seeded state's bytes has arrived. */
	completeShare: 0.9,
	holdFromBytes: 65_536,
	timeoutMs: 60_000,
	settleMs: 1_000
} as const;

async function run(server: ServerKind, context: RunContext): Promise<ServerResult> {
	return withRig(server, context, {}, async (rig) => {
		const docName = 'bench-cold-open-0';
		const target = rig.servers.target(docName, 0);
		context.log(`seeding ${coldOpenLoad.records} records`);
		const seeded = await rig.pool.one(0, { type: 'seed', target, records: coldOpenLoad.records, batch: coldOpenLoad.seedBatch }, seedResult);
		const check = await rig.pool.one(1, { type: 'count-records', target, expect: coldOpenLoad.records, timeoutMs: coldOpenLoad.timeoutMs }, countResult);
		if (check.records < coldOpenLoad.records) return failed(server, `the server holds ${check.records} of ${coldOpenLoad.records} seeded records`);
		await sleep(coldOpenLoad.settleMs);
		await waitForQuietMachine(context.quietWaitMs, context.log);

		const joiners: PeerSpec[] = Array.from({ length: coldOpenLoad.joiners }, (_, id) => ({ id, board: docName, instance: 0, target }));
		const shares = spread(joiners, rig.pool.size);
		const window = new ResourceWindow(rig, context.plan);
		window.start();
		context.log(`${coldOpenLoad.joiners} peers join at once (state ${(seeded.stateBytes / 1_048_576).toFixed(2)} MB)`);
		const watch = { completeAtBytes: seeded.stateBytes * coldOpenLoad.completeShare, holdFromBytes: coldOpenLoad.holdFromBytes };
		const connects = await rig.pool.each((index) => {
			const peers = shares[index] ?? [];
			return peers.length > 0 ? { type: 'connect', peers, concurrency: peers.length, timeoutMs: coldOpenLoad.timeoutMs, watch } : undefined;
		}, connectResult);
		const arrivals = (await rig.pool.all({ type: 'arrivals', timeoutMs: coldOpenLoad.timeoutMs }, arrivalsResult)).flatMap((reply) => reply.peers);
		const resources = window.end();
		const released = await rig.pool.all({ type: 'release', expectRecords: coldOpenLoad.records, timeoutMs: coldOpenLoad.timeoutMs }, releaseResult);

		const peers = connects.flatMap((reply) => reply.peers);
		const startedAt = new Map(peers.map((peer) => [peer.id, peer.startedAt]));
		const firstStart = Math.min(...peers.map((peer) => peer.startedAt));
		const received = arrivals.flatMap((peer) => (peer.receivedAt === null ? [] : [peer.receivedAt - (startedAt.get(peer.id) ?? firstStart)]));
		const lastReceived = Math.max(...arrivals.map((peer) => peer.receivedAt ?? Number.NaN)) - firstStart;
		const applied = released.flatMap((reply) => reply.peers.map((peer) => (peer.appliedAt === null ? Number.NaN : peer.appliedAt - reply.releasedAt)));
		const complete = released.reduce((sum, reply) => sum + reply.peers.filter((peer) => peer.records >= coldOpenLoad.records).length, 0);
		const connected = summariseConnects(peers);
		const figures: Figures = {
			coldReceivedP50Ms: percentile(received, 50),
			coldReceivedLastMs: received.length === arrivals.length ? lastReceived : Number.NaN,
			coldAppliedAllMs: Math.max(...applied),
			coldPeersComplete: complete,
			connectP50Ms: connected.figures.connectP50Ms ?? 0,
			connectP99Ms: connected.figures.connectP99Ms ?? 0,
			...resources.figures
		};
		const warnings: string[] = [...resources.warnings];
		const untrustworthy: FigureKey[] = [];
		const generatorCpuPct = resources.figures.generatorCpuPct ?? 0;
		if (resources.othersCores > noiseLimits.untrustedCores) untrustworthy.push('coldReceivedP50Ms', 'coldReceivedLastMs');
		if (generatorCpuPct > trustLimits.generatorCpuPct) {
			warnings.push(
				`load generator busy (${generatorCpuPct.toFixed(0)} % of its cores) reading ${coldOpenLoad.joiners} initial states: the server may be faster than these figures show`
			);
			untrustworthy.push('coldReceivedP50Ms', 'coldReceivedLastMs');
		}
		if (received.length < arrivals.length) warnings.push(`${arrivals.length - received.length} peer(s) never received the whole state within ${coldOpenLoad.timeoutMs / 1000} s`);
		if (complete < coldOpenLoad.joiners) warnings.push(`${coldOpenLoad.joiners - complete} peer(s) did not end with all ${coldOpenLoad.records} records`);
		warnings.push(...connected.failures);
		return { server, status: resultStatus.ok, figures, untrustworthy, warnings };
	});
}

export const coldOpen: Scenario = {
	name: 'cold-open',
	title: 'Cold open',
	describe: () =>
		`a board of ${coldOpenLoad.records.toLocaleString('en')} records (10 fields each), then ${coldOpenLoad.joiners} peers join at once; "received" = the peer's whole initial state arrived at its socket`,
	run
};
