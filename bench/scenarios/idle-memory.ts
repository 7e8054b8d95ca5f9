/**
 * Idle memory: server RSS growth per idle connection. One peer per board first (so the documents
 * exist), then two batches of idle peers join. The figure is the first batch's growth per peer, as
 * it always was; it includes what a burst of handshakes grows once (V8's young generation up to its
 * limit, pools), so it moves between runs of one build (6.2 to 12.9 KB per peer on 3 December)
 * as much as a change to what a connection keeps. The second batch's growth is reported beside it:
 * it meets a grown heap (and the old generation's free space), so it is what further idle peers
 * add, a lower bound of what each holds.
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
		const batch = async (first: number) => {
			context.log(`connecting ${count} idle peers`);
			const idle = Array.from({ length: count }, (_, index) => peer(first + index));
			const connected = await connectAll(rig, spread(idle, rig.pool.size), 25, 30_000);
			await sleep(idleLoad.settleMs);
			return { connected, sample: sampleProc(pid) };
		};
		const one = await batch(idleLoad.boards);
		const two = await batch(idleLoad.boards + count);
		const failures = one.connected.failures.length + two.connected.failures.length;
		return {
			server,
			status: resultStatus.ok,
			figures: {
				idleKbPerConnection: (one.sample.rssBytes - before.rssBytes) / count / 1024,
				idleKbPerConnectionNext: (two.sample.rssBytes - one.sample.rssBytes) / count / 1024,
				serverRssMb: two.sample.rssBytes / 1_048_576,
				serverPeakRssMb: two.sample.peakRssBytes / 1_048_576,
				...one.connected.figures
			},
			untrustworthy: [],
			warnings: failures > 0 ? [`${failures} idle peer(s) failed to connect`] : []
		};
	});
}

export const idleMemory: Scenario = {
	name: 'idle-memory',
	title: 'Idle memory',
	describe: (quick) => {
		const count = (quick ? idleLoad.quickPeers : idleLoad.fullPeers).toLocaleString('en');
		return `${count} idle peers over ${idleLoad.boards} boards, then ${count} more; server RSS growth per connection of each ${count}`;
	},
	run
};
