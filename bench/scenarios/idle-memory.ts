/**
 * Idle memory: server RSS growth per idle connection. One peer per board first (so the documents
 * exist), then many idle peers join; (RSS after − RSS before) / peers.
 */
import { sleep } from '../lib/clock.ts';
import { waitForQuietMachine } from '../lib/quiet-machine.ts';
import { withRig, spread, connectAll } from '../lib/rig.ts';
import { sampleProc } from '../lib/proc-stats.ts';
import type { PeerSpec } from '../lib/worker-protocol.ts';
import type { ServerKind } from '../lib/servers.ts';
import { resultStatus, type RunContext, type Scenario, type ServerResult } from './scenario.ts';

export const idleLoad = { boards: 10, quickPeers: 500, fullPeers: 1_000, settleMs: 2_000 } as const;

async function run(server: ServerKind, context: RunContext): Promise<ServerResult> {
	const count = context.quick ? idleLoad.quickPeers : idleLoad.fullPeers;
	return withRig(server, context, {}, async (rig) => {
		const peer = (id: number): PeerSpec => {
			const docName = `bench-idle-${id % idleLoad.boards}`;
			return { id, board: docName, instance: 0, target: rig.servers.target(docName, 0) };
		};
		const warm = Array.from({ length: idleLoad.boards }, (_, id) => peer(id));
		await connectAll(rig, spread(warm, rig.pool.size), 10, 30_000);
		await sleep(idleLoad.settleMs);
		await waitForQuietMachine(context.quietWaitMs, context.log);
		const pid = rig.servers.pids[0] ?? 0;
		const before = sampleProc(pid);
		context.log(`connecting ${count} idle peers`);
		const idle = Array.from({ length: count }, (_, index) => peer(idleLoad.boards + index));
		const connected = await connectAll(rig, spread(idle, rig.pool.size), 25, 30_000);
		await sleep(idleLoad.settleMs);
		const after = sampleProc(pid);
		return {
			server,
			status: resultStatus.ok,
			figures: {
				idleKbPerConnection: (after.rssBytes - before.rssBytes) / count / 1024,
				serverRssMb: after.rssBytes / 1_048_576,
				serverPeakRssMb: after.peakRssBytes / 1_048_576,
				...connected.figures
			},
			untrustworthy: [],
			warnings: connected.failures.length > 0 ? [`${connected.failures.length} idle peer(s) failed to connect`] : []
		};
	});
}

export const idleMemory: Scenario = {
	name: 'idle-memory',
	title: 'Idle memory',
	describe: (quick) => `${(quick ? idleLoad.quickPeers : idleLoad.fullPeers).toLocaleString('en')} idle peers over ${idleLoad.boards} boards; server RSS growth per connection`,
	run
};
