/**
 * The test rig for one scenario and one server: the server process(es), an optional Redis and a
 * pool of load-generator workers, torn down whatever happens. Plus the measurements every
 * scenario shares (connect times, server resources, generator health).
 */
import { startServers, clientKindOf, type RunningServers, type ServerKind } from './servers.ts';
import { startRedis, type RunningRedis } from './redis-server.ts';
import { startPostgres, type RunningPostgres } from '../../test/helpers/postgres-server.ts';
import { WorkerPool } from './workers.ts';
import { sampleProc, sampleLive, procDelta, machineBusySeconds, type ProcSample } from './proc-stats.ts';
import { connectResult, type ConnectResult, type PeerSpec, type StatsResult } from './worker-protocol.ts';
import { nowMs } from './clock.ts';
import type { Figures } from './figures.ts';
import type { RunContext } from '../scenarios/scenario.ts';

export type Rig = {
	servers: RunningServers;
	pool: WorkerPool;
	redis: RunningRedis | undefined;
	/** With `postgres`: the server holding the data (DATABASE_URL). */
	postgres: RunningPostgres | undefined;
};

export async function withRig<T>(
	server: ServerKind,
	context: RunContext,
	options: { instances?: number; redis?: boolean; postgres?: boolean },
	body: (rig: Rig) => Promise<T>
): Promise<T> {
	const redis = options.redis ? await startRedis(context.plan) : undefined;
	let postgres: RunningPostgres | undefined;
	try {
		postgres = options.postgres ? await startPostgres() : undefined;
		const databaseUrl = postgres ? await postgres.createDatabase() : undefined;
		const servers = await startServers({
			kind: server,
			plan: context.plan,
			instances: options.instances ?? 1,
			...(redis ? { redisUrl: redis.url } : {}),
			...(databaseUrl ? { databaseUrl } : {}),
			...(context.profileDir ? { profileDir: context.profileDir } : {})
		});
		try {
			const pool = await WorkerPool.start(clientKindOf(server), context.workers);
			try {
				return await body({ servers, pool, redis, postgres });
			} finally {
				await pool.stop();
			}
		} finally {
			await servers.stop();
		}
	} finally {
		await postgres?.stop();
		await redis?.stop();
	}
}

export function percentile(values: number[], p: number): number {
	if (values.length === 0) return 0;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
	return sorted[Math.min(sorted.length, rank) - 1] ?? 0;
}

/** Spreads peers over workers round-robin, so every board's peers live in several threads. */
export function spread(peers: PeerSpec[], workers: number): PeerSpec[][] {
	const shares: PeerSpec[][] = Array.from({ length: workers }, () => []);
	peers.forEach((peer, index) => shares[index % workers]?.push(peer));
	return shares;
}

export type ConnectSummary = { figures: Figures; failures: string[] };

export async function connectAll(rig: Rig, shares: PeerSpec[][], concurrency: number, timeoutMs: number): Promise<ConnectSummary> {
	const replies = await rig.pool.each((index) => {
		const peers = shares[index] ?? [];
		return peers.length > 0 ? { type: 'connect', peers, concurrency, timeoutMs } : undefined;
	}, connectResult);
	return summariseConnects(replies.flatMap((reply: ConnectResult) => reply.peers));
}

export function summariseConnects(peers: ConnectResult['peers']): ConnectSummary {
	const connect = peers.flatMap((peer) => (peer.connectedAt === null ? [] : [peer.connectedAt - peer.startedAt]));
	const sync = peers.flatMap((peer) => (peer.syncedAt === null ? [] : [peer.syncedAt - peer.startedAt]));
	const failures = peers.flatMap((peer) => (peer.error ? [`peer ${peer.id}: ${peer.error}`] : []));
	return {
		figures: {
			connectP50Ms: percentile(connect, 50),
			connectP99Ms: percentile(connect, 99),
			...(sync.length > 0 ? { syncP50Ms: percentile(sync, 50), syncP99Ms: percentile(sync, 99) } : {})
		},
		failures
	};
}

/** Server processes (and Redis, reported apart) plus the generator's own CPU, over a window. */
export class ResourceWindow {
	readonly #rig: Rig;
	readonly #plan: RunContext['plan'];
	#servers: ProcSample[] = [];
	#redis: ProcSample[] = [];
	#database: ProcSample[] = [];
	#generator = process.cpuUsage();
	#startedAt = 0;
	#generatorPct: number | undefined;
	#machineBusy = 0;

	constructor(rig: Rig, plan: RunContext['plan']) {
		this.#rig = rig;
		this.#plan = plan;
	}

	#databasePids(): number[] {
		return this.#rig.postgres?.pids() ?? [];
	}

	start(): void {
		this.#servers = this.#rig.servers.pids.map(sampleProc);
		this.#redis = this.#rig.redis ? [sampleProc(this.#rig.redis.pid)] : [];
		this.#database = sampleLive(this.#databasePids());
		this.#generator = process.cpuUsage();
		this.#startedAt = nowMs();
		this.#generatorPct = undefined;
		this.#machineBusy = machineBusySeconds();
	}

	#generatorCpuPct(): number {
		const used = process.cpuUsage(this.#generator);
		const wallS = (nowMs() - this.#startedAt) / 1000;
		return ((used.user + used.system) / 1e6 / wallS / this.#plan.generatorCores) * 100;
	}

	/** The load has stopped (the drain follows): the generator's CPU share is taken up to here. */
	loadDone(): void {
		this.#generatorPct = this.#generatorCpuPct();
	}

	end(): { figures: Figures; serverCpuSeconds: number; generatorCpuSeconds: number; warnings: string[]; othersCores: number } {
		const servers = procDelta(this.#servers, this.#rig.servers.pids.map(sampleProc));
		const generatorCpuPct = this.#generatorPct ?? this.#generatorCpuPct();
		const generatorUsed = process.cpuUsage(this.#generator);
		const wallS = (nowMs() - this.#startedAt) / 1000;
		const redisSeconds = this.#rig.redis ? procDelta(this.#redis, [sampleProc(this.#rig.redis.pid)]).cpuSeconds : 0;
		// Backends opened during the window count from zero: their whole CPU falls inside it.
		const databaseSeconds = this.#rig.postgres ? procDelta(this.#database, sampleLive(this.#databasePids())).cpuSeconds : 0;
		const ours = servers.cpuSeconds + redisSeconds + databaseSeconds + (generatorUsed.user + generatorUsed.system) / 1e6;
		const others = machineBusySeconds() - this.#machineBusy - ours;
		const warnings =
			others / wallS > noiseLimits.otherCpuShare
				? [`other processes on this machine used ${((others / wallS) * 100).toFixed(0)} % of a core during the window: figures are noisy`]
				: [];
		const figures: Figures = {
			serverCpuSeconds: servers.cpuSeconds,
			serverRssMb: servers.rssBytes / 1_048_576,
			serverPeakRssMb: servers.peakRssBytes / 1_048_576,
			generatorCpuPct
		};
		if (this.#rig.redis) figures.redisCpuSeconds = redisSeconds;
		if (this.#rig.postgres) figures.databaseCpuSeconds = databaseSeconds;
		return { figures, serverCpuSeconds: servers.cpuSeconds, generatorCpuSeconds: (generatorUsed.user + generatorUsed.system) / 1e6, warnings, othersCores: others / wallS };
	}
}

export const noiseLimits = {
	/** Other processes using more than this share of one core during a window make it noisy. */
	otherCpuShare: 0.1,
	/** Above this many cores used by others, latency and delivery figures say more about them than us. */
	untrustedCores: 0.5
} as const;

export const trustLimits = {
	/** Above this share of its cores the generator queues work (bursts of fan-out) and inflates latency. */
	generatorCpuPct: 70,
	/** Lag p99 above this share of the measured p99 makes the latency figures untrustworthy. */
	lagShareOfP99: 0.5,
	/** Lag below this is noise whatever the latency. */
	lagFloorMs: 1
} as const;

export function generatorLag(stats: StatsResult[]): { p99Ms: number; maxMs: number } {
	return {
		p99Ms: Math.max(0, ...stats.map((s) => s.lag.p99Ms)),
		maxMs: Math.max(0, ...stats.map((s) => s.lag.maxMs))
	};
}
