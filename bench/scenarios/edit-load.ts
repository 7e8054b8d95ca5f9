/**
 * The shared runner of the steady-load scenarios (meeting, busy board, many boards, presence
 * storm, cross-instance): peers join boards, some of them edit (or move their presence) at a fixed
 * rate for a window, every peer measures what it receives.
 */
import { sleep, nowMs } from '../lib/clock.ts';
import { waitForQuietMachine } from '../lib/quiet-machine.ts';
import { Histogram } from '../lib/histogram.ts';
import { withRig, type Rig, spread, connectAll, ResourceWindow, trustLimits, generatorLag, noiseLimits } from '../lib/rig.ts';
import { nullResult, progressResult, sentResult, statsResult, type PeerSpec, type SentResult, type StatsResult } from '../lib/worker-protocol.ts';
import { createBoard } from '../lib/browser-board.ts';
import type { Figures, FigureKey } from '../lib/figures.ts';
import { serverKinds, type ServerKind } from '../lib/servers.ts';
import { boardDocName } from '../../src/lib/protocol/doc-names.ts';
import { resultStatus, type LatencySeries, type RunContext, type ServerResult } from './scenario.ts';

export const loadKinds = { edits: 'edits', presence: 'presence' } as const;

export type EditLoad = {
	scenario: string;
	boards: number;
	peersPerBoard: number;
	/** Peers per board that write (edits) or move (presence). */
	activePerBoard: number;
	/** Edits or presence moves per second per active peer. */
	rate: number;
	kind: (typeof loadKinds)[keyof typeof loadKinds];
	instances?: number;
	redis?: boolean;
	/** PostgreSQL holds the data (ours only); Redis, if set, only fans out. */
	postgres?: boolean;
	/**
	 * `board`: `board:` documents (made through our API) with board-shaped edits, so our server's
	 * protection check, ledger and stamps are on the measured path; `map` (default): a new key in
	 * one shared map per edit, on documents no rules apply to.
	 */
	shape?: 'map' | 'board';
	/**
	 * false: board-shaped edits on plain documents, which no rules apply to (ours: no protection
	 * check, ledger or stamps). Beside the same load on `board:` documents, the difference is what the
	 * rules cost end to end.
	 */
	rules?: false;
	/**
	 * Edits made before the warm-up, at `primeSpeedup` × the rate: enough for V8 to optimise code run
	 * once per edit (TurboFan after 3,000 calls), as in a server that has been up for a while. At a
	 * meeting's rate a 3-second warm-up leaves such code in V8's first tiers for the whole window.
	 */
	primeEdits?: number;
};

const primeSpeedup = 10;

export const loadTimings = {
	quick: { warmupMs: 1_500, measureMs: 3_000, drainMs: 3_000, settleMs: 500 },
	// 30 s by default: long enough to meet periodic work (anti-entropy every 10 s, compaction).
	full: { warmupMs: 3_000, measureMs: 30_000, drainMs: 5_000, settleMs: 1_000 },
	connectConcurrency: 25,
	connectTimeoutMs: 30_000
} as const;

/** The measured window: `--duration` when given, else the quick or full default. */
export function windowMs(quick: boolean, durationMs: number | undefined): number {
	return durationMs ?? (quick ? loadTimings.quick : loadTimings.full).measureMs;
}

export function describeLoad(load: EditLoad, quick: boolean, durationMs?: number): string {
	const what = load.kind === loadKinds.edits ? (load.shape === 'board' ? `writers (board-shaped edits${load.rules === false ? ' on plain documents: no board rules' : ''})` : 'writers') : 'peers moving presence';
	const where = load.instances && load.instances > 1 ? ` over ${load.instances} instances on one Redis` : '';
	return `${load.boards} board(s) × ${load.peersPerBoard} peers, ${load.activePerBoard * load.boards} ${what} at ${load.rate}/s${where}, ${windowMs(quick, durationMs) / 1000} s window`;
}

/** The documents of the load: `board:` documents (ours: boards made through the API) or plain ones. */
async function docNamesOf(load: EditLoad, rig: Rig, server: ServerKind): Promise<string[]> {
	const names: string[] = [];
	for (let board = 0; board < load.boards; board++) {
		if (load.shape !== 'board' || load.rules === false) names.push(`bench-${load.scenario}-${board}`);
		else if (server === serverKinds.ours) names.push(boardDocName(await createBoard(apiOf(rig), `Bench ${load.scenario} ${board}`)));
		else names.push(boardDocName(`bench-${load.scenario}-${board}`));
	}
	return names;
}

/** Our server's API as the admin reaches it (the token the peers use). */
function apiOf(rig: Rig): Parameters<typeof createBoard>[0] {
	const target = rig.servers.target('board:api', 0);
	const adminToken = target.params.token;
	if (!adminToken) throw new Error('our server was started without an admin token');
	return { origin: target.serverUrl.replace(/^ws/, 'http').replace(/\/yjs$/, ''), syncUrl: target.serverUrl, adminToken };
}

function peersOf(load: EditLoad, docNames: readonly string[], target: (docName: string, instance: number) => PeerSpec['target']): PeerSpec[] {
	const instances = load.instances ?? 1;
	const peers: PeerSpec[] = [];
	for (let board = 0; board < load.boards; board++) {
		const docName = docNames[board] ?? '';
		for (let member = 0; member < load.peersPerBoard; member++) {
			const instance = member % instances;
			peers.push({ id: board * load.peersPerBoard + member, board: docName, instance, target: target(docName, instance) });
		}
	}
	return peers;
}

function isActive(load: EditLoad, peer: PeerSpec): boolean {
	return peer.id % load.peersPerBoard < load.activePerBoard;
}

function expectedDeliveries(load: EditLoad, sent: SentResult[]): number {
	let expected = 0;
	for (const reply of sent) for (const count of Object.values(reply.sentByBoard)) expected += count * (load.peersPerBoard - 1);
	return expected;
}

async function drain(rig: Parameters<Parameters<typeof withRig>[3]>[0], load: EditLoad, expected: number, drainMs: number): Promise<void> {
	const deadline = nowMs() + drainMs;
	while (nowMs() < deadline) {
		const progress = await rig.pool.all({ type: 'progress' }, progressResult);
		const received = progress.reduce((sum, p) => sum + (load.kind === loadKinds.edits ? p.received : p.presenceReceived), 0);
		if (received >= expected) return;
		await sleep(100);
	}
}

/**
 * Loads that take turns (`rules-cost-turns`): the measured window is cut into `count` turns and this
 * load runs only in the turns `mine` says (the other load in the rest), each turn opened and closed
 * by `meet`. The CPU counted is this server's during its own turns, when it has the core to itself;
 * two turns apart are seconds apart, so a drift of the machine's speed meets both loads alike.
 */
export interface Turns {
	count: number;
	mine(turn: number): boolean;
	meet(): Promise<void>;
}

/**
 * `together`: awaited once the peers are connected and the machine is quiet, and again right before
 * the measured window, so that two loads run side by side (`rules-cost`) warm up and measure at once;
 * `turns`: their windows in turns instead (`rules-cost-turns`).
 */
export async function runEditLoad(load: EditLoad, server: ServerKind, context: RunContext, together?: () => Promise<void>, turns?: Turns): Promise<ServerResult> {
	const timing = { ...(context.quick ? loadTimings.quick : loadTimings.full), measureMs: windowMs(context.quick, context.durationMs) };
	return withRig(server, context, { instances: load.instances ?? 1, redis: load.redis ?? false, postgres: load.postgres ?? false }, async (rig) => {
		const docNames = await docNamesOf(load, rig, server);
		const shares = spread(peersOf(load, docNames, rig.servers.target), rig.pool.size);
		context.log(`connecting ${load.boards * load.peersPerBoard} peers`);
		const connected = await connectAll(rig, shares, loadTimings.connectConcurrency, loadTimings.connectTimeoutMs);
		const applyLoad = (durationMs: number, rate = load.rate) =>
			rig.pool.each((index) => {
				const active = (shares[index] ?? []).filter((peer) => isActive(load, peer)).map((peer) => peer.id);
				if (load.kind === loadKinds.edits) return { type: 'edits', writers: active.map((peerId) => ({ peerId, rate })), durationMs, shape: load.shape ?? 'map' };
				return { type: 'presence', movers: active, rate, durationMs };
			}, sentResult);

		await waitForQuietMachine(context.quietWaitMs, context.log);
		await together?.();
		if (load.primeEdits) {
			const rate = load.rate * primeSpeedup;
			const primeMs = Math.ceil((load.primeEdits / (rate * load.activePerBoard * load.boards)) * 1000);
			context.log(`priming: ${load.primeEdits} edits in ${primeMs / 1000} s`);
			await applyLoad(primeMs, rate);
		}
		// Warm-up: the same load, not measured, so that the window sees JIT-compiled code everywhere.
		context.log(`warm-up ${timing.warmupMs / 1000} s`);
		await applyLoad(timing.warmupMs);
		await sleep(timing.settleMs);
		await together?.();

		let sent: SentResult[];
		let resources: ReturnType<ResourceWindow['end']>;
		if (turns) {
			await rig.pool.all({ type: 'reset' }, nullResult);
			({ sent, resources } = await takeTurns(turns, timing, context, () => new ResourceWindow(rig, context.plan), applyLoad, (sentSoFar) => drain(rig, load, expectedDeliveries(load, sentSoFar), timing.drainMs)));
		} else {
			const window = new ResourceWindow(rig, context.plan);
			window.start();
			await rig.pool.all({ type: 'reset' }, nullResult);
			context.log(`${load.kind} for ${timing.measureMs / 1000} s`);
			sent = await applyLoad(timing.measureMs);
			window.loadDone();
			await drain(rig, load, expectedDeliveries(load, sent), timing.drainMs);
			resources = window.end();
		}
		const expected = expectedDeliveries(load, sent);
		const stats = await rig.pool.all({ type: 'stats' }, statsResult);

		const latency = new Histogram();
		const applied = new Histogram();
		const cross = new Histogram();
		for (const s of stats) {
			latency.merge(load.kind === loadKinds.edits ? s.latency : s.presenceLatency);
			applied.merge(load.kind === loadKinds.edits ? s.appliedLatency : s.presenceAppliedLatency);
			cross.merge(s.crossLatency);
		}
		const series = load.kind === loadKinds.edits ? latencySeries(stats, timing.measureMs) : undefined;
		const received = stats.reduce((sum, s) => sum + (load.kind === loadKinds.edits ? s.received : s.presenceReceived), 0);
		const totalSent = sent.reduce((sum, reply) => sum + Object.values(reply.sentByBoard).reduce((a, b) => a + b, 0), 0);
		const summary = latency.summary();
		const lag = generatorLag(stats);
		const latencyFigures: Figures =
			summary.count === 0
				? {}
				: {
						latencyP50Ms: summary.p50Ms,
						latencyP95Ms: summary.p95Ms,
						latencyP99Ms: summary.p99Ms,
						latencyMaxMs: summary.maxMs,
						appliedP99Ms: applied.summary().p99Ms,
						...((load.instances ?? 1) > 1 && cross.count > 0 ? { crossP99Ms: cross.summary().p99Ms } : {})
					};
		const figures: Figures = {
			...latencyFigures,
			deliveriesExpected: expected,
			deliveriesReceived: received,
			deliveriesLost: Math.max(0, expected - received),
			editsPerSec: totalSent / (timing.measureMs / 1000),
			...connected.figures,
			...resources.figures,
			...(received > 0 ? { cpuUsPerDelivery: (resources.serverCpuSeconds * 1e6) / received, generatorCpuUsPerDelivery: (resources.generatorCpuSeconds * 1e6) / received } : {}),
			reconnects: stats.reduce((sum, s) => sum + s.reconnects, 0),
			generatorLagP99Ms: lag.p99Ms
		};

		const warnings: string[] = [...resources.warnings];
		const untrustworthy: FigureKey[] = [];
		const latencyKeys: FigureKey[] = ['latencyP50Ms', 'latencyP95Ms', 'latencyP99Ms', 'latencyMaxMs', 'crossP99Ms'];
		const generatorCpuPct = figures.generatorCpuPct ?? 0;
		if (generatorCpuPct > trustLimits.generatorCpuPct) {
			warnings.push(`load generator busy (${generatorCpuPct.toFixed(0)} % of its cores while sending): latency includes queueing in the generator`);
			untrustworthy.push(...latencyKeys);
		} else if (lag.p99Ms > trustLimits.lagFloorMs && lag.p99Ms > trustLimits.lagShareOfP99 * summary.p99Ms) {
			warnings.push(`generator event-loop lag p99 ${lag.p99Ms} ms against a latency p99 of ${summary.p99Ms} ms: latency figures untrustworthy`);
			untrustworthy.push(...latencyKeys);
		}
		const deliveryErrors = stats.reduce((sum, s) => sum + s.deliveryErrors, 0);
		if (deliveryErrors > 0) warnings.push(`a client threw on ${deliveryErrors} message(s): ${stats.find((s) => s.firstDeliveryError)?.firstDeliveryError ?? ''}`);
		if (resources.othersCores > noiseLimits.untrustedCores) untrustworthy.push(...latencyKeys, 'deliveriesLost');
		if (connected.failures.length > 0) warnings.push(`${connected.failures.length} peer(s) failed to connect: ${connected.failures.slice(0, 3).join('; ')}`);
		if (received < expected) warnings.push(`${expected - received} of ${expected} deliveries not received within ${timing.drainMs / 1000} s after the window`);
		if (load.kind === loadKinds.presence && received < expected) warnings.push('presence is last-writer-wins state: a server may legitimately coalesce moves, so "lost" here can mean "superseded"');
		return { server, status: resultStatus.ok, figures, untrustworthy: [...new Set(untrustworthy)], warnings, ...(series ? { series } : {}), histograms: { latency: latency.toJSON() } };
	});
}

/**
 * The measured window in turns: this load's share of `timing.measureMs` in its own turns, each one
 * measured on its own (server CPU from the turn's start to the end of its drain) and summed.
 */
async function takeTurns(
	turns: Turns,
	timing: { measureMs: number },
	context: RunContext,
	newWindow: () => ResourceWindow,
	applyLoad: (durationMs: number) => Promise<SentResult[]>,
	drainSoFar: (sent: SentResult[]) => Promise<void>
): Promise<{ sent: SentResult[]; resources: ReturnType<ResourceWindow['end']> }> {
	let own = 0;
	for (let turn = 0; turn < turns.count; turn++) if (turns.mine(turn)) own++;
	if (own === 0) throw new Error('a load that takes turns needs at least one turn of its own');
	const turnMs = timing.measureMs / own;
	context.log(`${own} turns of ${(turnMs / 1000).toFixed(1)} s in ${turns.count}`);
	const sent: SentResult[] = [];
	let last: ReturnType<ResourceWindow['end']> | undefined;
	let serverCpuSeconds = 0;
	let generatorCpuSeconds = 0;
	const warnings = new Set<string>();
	for (let turn = 0; turn < turns.count; turn++) {
		await turns.meet();
		if (turns.mine(turn)) {
			const window = newWindow();
			window.start();
			sent.push(...(await applyLoad(turnMs)));
			window.loadDone();
			await drainSoFar(sent);
			last = window.end();
			serverCpuSeconds += last.serverCpuSeconds;
			generatorCpuSeconds += last.generatorCpuSeconds;
			for (const warning of last.warnings) warnings.add(warning);
		}
		await turns.meet();
	}
	if (!last) throw new Error('no turn was taken');
	return {
		sent,
		resources: { ...last, figures: { ...last.figures, serverCpuSeconds }, serverCpuSeconds, generatorCpuSeconds, warnings: [...warnings] }
	};
}

/** Per second of the window (by send time): edits seen, p50/p99/max, and p99 across instances. */
function latencySeries(stats: readonly StatsResult[], measureMs: number): LatencySeries {
	const seconds = Math.ceil(measureMs / 1000);
	const at = (pick: (s: StatsResult) => StatsResult['latencySeries'], second: number) => {
		const merged = new Histogram();
		for (const s of stats) {
			const data = pick(s)[second];
			if (data) merged.merge(data);
		}
		return merged;
	};
	const series: LatencySeries = { count: [], p50Ms: [], p99Ms: [], maxMs: [] };
	const cross: number[] = [];
	for (let second = 0; second < seconds; second++) {
		const summary = at((s) => s.latencySeries, second).summary();
		series.count.push(summary.count);
		series.p50Ms.push(round2(summary.p50Ms));
		series.p99Ms.push(round2(summary.p99Ms));
		series.maxMs.push(round2(summary.maxMs));
		const crossSummary = at((s) => s.crossSeries, second).summary();
		cross.push(round2(crossSummary.p99Ms));
		if (crossSummary.count > 0) series.crossP99Ms = cross;
	}
	return series;
}

const round2 = (value: number) => Math.round(value * 100) / 100;
