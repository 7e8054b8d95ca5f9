/**
 * What one load-generator worker does: holds its share of the peers (real provider clients),
 * writes edits and presence on a schedule, and measures what its peers receive.
 *
 * Each edit adds a new key `<instance>:<peer>:<seq>` to the shared map `bench`, holding its send
 * time, so every receiver computes edit-to-peer latency on the shared monotonic clock. Keys are
 * never overwritten (overwrites cost the Yjs clients more and would hide edits a server merges
 * into one message), so every edit is seen by every peer exactly once.
 *
 * Only some peers apply what they receive: the writers and one peer in `applySampleEvery`. The
 * others find the edits a message carries by scanning its bytes for their send-time markers
 * (`edit-marker.ts`) and drop it, once they have synced: a Yjs apply on each of 200 receiving
 * peers is what saturated the generator's core on the busy board (about 40 µs a delivery). The
 * sample still measures "incl. client apply", and messages without a marker (acknowledgements,
 * presence) go to every provider as before.
 */
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';
import { every, nowMs, sleep, whenOrTimeout } from './clock.ts';
import { Histogram } from './histogram.ts';
import { ArrivalWatch, DeliveryQueue, queuedWebSocket } from './delivery-queue.ts';
import { boardRecordsKey, recordFields, recordId } from './board-fixture.ts';
import { editMarker, messageBytes, parseMarker, scanMarkers } from './edit-marker.ts';
import type { BenchPeer, ClientAdapter } from './client-adapter.ts';
import type { PeerSpec, WorkerCommand, StatsResult, SentResult, ConnectResult } from './worker-protocol.ts';

type Command<T extends WorkerCommand['type']> = Extract<WorkerCommand, { type: T }>;

type LivePeer = {
	spec: PeerSpec;
	peer: BenchPeer;
	startedAt: number;
	connectedAt: number | null;
	syncedAt: number | null;
	connects: number;
	watch: ArrivalWatch | undefined;
	lastPresence: Map<number, number>;
	/** As a writer: edits sent so far. */
	seq: number;
	/** Applies every message (a writer, or in the sample); otherwise scans edits' markers once synced. */
	applies: boolean;
};

export const benchMapKey = 'bench';

/** One receiving peer in this many (by id) applies every message, to measure "incl. client apply". */
export const applySampleEvery = 10;

/** Event-loop delay sampling period; Node's histogram includes it, so it is subtracted. */
const lagResolutionMs = 2;

export class LoadGenerator {
	readonly #adapter: ClientAdapter;
	readonly #peers = new Map<number, LivePeer>();
	readonly #seeders: BenchPeer[] = [];
	readonly #queue = new DeliveryQueue();
	#windowStart = Number.POSITIVE_INFINITY;
	#received = 0;
	#latency = new Histogram();
	#appliedLatency = new Histogram();
	#crossLatency = new Histogram();
	#latencySeries: Histogram[] = [];
	#crossSeries: Histogram[] = [];
	#presenceReceived = 0;
	#presenceLatency = new Histogram();
	#presenceAppliedLatency = new Histogram();
	#lag: ReturnType<typeof monitorEventLoopDelay> | undefined;
	#eluStart: EventLoopUtilization | undefined;
	#connectsAtReset = 0;

	constructor(adapter: ClientAdapter) {
		this.#adapter = adapter;
	}

	async connect(command: Command<'connect'>): Promise<ConnectResult> {
		const queue = [...command.peers];
		const results: ConnectResult['peers'] = [];
		const runner = async () => {
			for (let spec = queue.shift(); spec !== undefined; spec = queue.shift()) {
				const live = this.#open(spec, command.watch && new ArrivalWatch(command.watch));
				const ok = await whenOrTimeout(
					(done) => (live.watch ? live.peer.onConnected(done) : live.peer.onSynced(done)),
					command.timeoutMs
				);
				results.push({
					id: spec.id,
					startedAt: live.startedAt,
					connectedAt: live.connectedAt,
					syncedAt: live.syncedAt,
					error: ok ? null : `not ${live.watch ? 'connected' : 'synced'} within ${command.timeoutMs} ms`
				});
			}
		};
		await Promise.all(Array.from({ length: Math.min(command.concurrency, queue.length) }, runner));
		return { peers: results };
	}

	#open(spec: PeerSpec, watch: ArrivalWatch | undefined): LivePeer {
		let live: LivePeer | undefined;
		const scan = (data: unknown, arrivedAt: number) => live !== undefined && this.#scan(live, data, arrivedAt);
		const socketClass = queuedWebSocket(this.#adapter.WebSocket, this.#queue, watch, scan);
		const startedAt = nowMs();
		const peer = this.#adapter.openPeer(spec.target, socketClass);
		live = { spec, peer, startedAt, connectedAt: null, syncedAt: null, connects: 0, watch, lastPresence: new Map(), seq: 0, applies: spec.id % applySampleEvery === 0 };
		this.#peers.set(spec.id, live);
		peer.onConnected(() => {
			live.connects += 1;
			live.connectedAt ??= nowMs();
		});
		peer.onSynced(() => {
			live.syncedAt ??= nowMs();
		});
		this.#observeEdits(live);
		this.#observeBoardEdits(live);
		this.#observePresence(live);
		return live;
	}

	/** A peer that does not apply: records the edits a message carries and drops it (true) if it carries any. */
	#scan(live: LivePeer, data: unknown, arrivedAt: number): boolean {
		if (live.applies || live.syncedAt === null || live.watch) return false;
		const bytes = messageBytes(data);
		if (!bytes) return false;
		const found = scanMarkers(bytes, (sentAt, instance) => {
			if (sentAt >= this.#windowStart) this.#recordEdit(live, sentAt, arrivedAt, undefined, instance);
		});
		return found > 0;
	}

	#observeEdits(live: LivePeer): void {
		const map = live.peer.doc.getMap(benchMapKey);
		map.observe((event) => {
			if (event.transaction.local) return;
			const now = nowMs();
			const arrivedAt = this.#queue.currentArrival ?? now;
			for (const key of event.keysChanged) {
				const marker = parseMarker(map.get(key));
				if (!marker || marker.sentAt < this.#windowStart) continue;
				this.#recordEdit(live, marker.sentAt, arrivedAt, now, marker.instance);
			}
		});
	}

	#observeBoardEdits(live: LivePeer): void {
		this.#adapter.board.observe(live.peer.doc, (comment) => {
			if (comment.sentAt < this.#windowStart) return;
			const now = nowMs();
			this.#recordEdit(live, comment.sentAt, this.#queue.currentArrival ?? now, now, comment.instance);
		});
	}

	/** One edit seen by `live`: sent at `sentAt` by a peer of instance `from`; applied at `appliedAt` if it applies. */
	#recordEdit(live: LivePeer, sentAt: number, arrivedAt: number, appliedAt: number | undefined, from: number): void {
		const latency = arrivedAt - sentAt;
		const second = Math.floor((sentAt - this.#windowStart) / 1000);
		this.#received += 1;
		this.#latency.recordMs(latency);
		if (appliedAt !== undefined) this.#appliedLatency.recordMs(appliedAt - sentAt);
		(this.#latencySeries[second] ??= new Histogram()).recordMs(latency);
		if (from !== live.spec.instance) {
			this.#crossLatency.recordMs(latency);
			(this.#crossSeries[second] ??= new Histogram()).recordMs(latency);
		}
	}

	#observePresence(live: LivePeer): void {
		const awareness = live.peer.awareness;
		awareness.on('change', (change) => {
			const now = nowMs();
			const arrivedAt = this.#queue.currentArrival ?? now;
			for (const clientId of [...change.added, ...change.updated]) {
				if (clientId === awareness.clientID) continue;
				const cursor = awareness.getStates().get(clientId)?.cursor as { t?: unknown } | undefined;
				const sentAt = cursor?.t;
				if (typeof sentAt !== 'number' || sentAt < this.#windowStart) continue;
				if (sentAt <= (live.lastPresence.get(clientId) ?? 0)) continue;
				live.lastPresence.set(clientId, sentAt);
				this.#presenceReceived += 1;
				this.#presenceLatency.recordMs(arrivedAt - sentAt);
				this.#presenceAppliedLatency.recordMs(now - sentAt);
			}
		});
	}

	async seed(command: Command<'seed'>): Promise<{ records: number; stateBytes: number; ms: number }> {
		const peer = this.#adapter.openPeer(command.target, this.#adapter.WebSocket);
		if (!(await whenOrTimeout((done) => peer.onSynced(done), 30_000))) throw new Error('seeding peer did not sync');
		this.#seeders.push(peer);
		const started = nowMs();
		const records = peer.doc.getMap(boardRecordsKey);
		for (let start = 0; start < command.records; start += command.batch) {
			const end = Math.min(command.records, start + command.batch);
			peer.doc.transact(() => {
				for (let index = start; index < end; index++) records.set(recordId(index), this.#adapter.newMap(recordFields(index)));
			});
			await sleep(10);
		}
		return { records: records.size, stateBytes: this.#adapter.stateBytes(peer.doc), ms: nowMs() - started };
	}

	async countRecords(command: Command<'count-records'>): Promise<{ records: number }> {
		const peer = this.#adapter.openPeer(command.target, this.#adapter.WebSocket);
		try {
			const deadline = nowMs() + command.timeoutMs;
			await whenOrTimeout((done) => peer.onSynced(done), command.timeoutMs);
			const records = peer.doc.getMap(boardRecordsKey);
			while (records.size < command.expect && nowMs() < deadline) await sleep(50);
			return { records: records.size };
		} finally {
			peer.destroy();
		}
	}

	reset(): void {
		this.#windowStart = nowMs();
		this.#received = 0;
		this.#latency = new Histogram();
		this.#appliedLatency = new Histogram();
		this.#crossLatency = new Histogram();
		this.#latencySeries = [];
		this.#crossSeries = [];
		this.#presenceReceived = 0;
		this.#presenceLatency = new Histogram();
		this.#presenceAppliedLatency = new Histogram();
		this.#lag?.disable();
		this.#lag = monitorEventLoopDelay({ resolution: lagResolutionMs });
		this.#lag.enable();
		this.#eluStart = performance.eventLoopUtilization();
		this.#connectsAtReset = this.#totalConnects();
	}

	#totalConnects(): number {
		let total = 0;
		for (const live of this.#peers.values()) total += live.connects;
		return total;
	}

	edits(command: Command<'edits'>): Promise<SentResult> {
		for (const { peerId } of command.writers) {
			const live = this.#peers.get(peerId);
			if (live) live.applies = true;
		}
		if (command.shape === 'board') {
			return this.#drive(command.writers, command.durationMs, (live) => {
				const recordId = `bench-${live.spec.instance}-${live.spec.id}`;
				return (sentAt) => {
					live.seq += 1;
					this.#adapter.board.edit(live.peer.doc, recordId, live.seq, sentAt, live.spec.instance);
				};
			});
		}
		return this.#drive(command.writers, command.durationMs, (live) => {
			const map = live.peer.doc.getMap(benchMapKey);
			const prefix = `${live.spec.instance}:${live.spec.id}:`;
			return (sentAt) => {
				live.seq += 1;
				map.set(prefix + live.seq, editMarker(sentAt, live.spec.instance));
			};
		});
	}

	presence(command: Command<'presence'>): Promise<SentResult> {
		const movers = command.movers.map((peerId) => ({ peerId, rate: command.rate }));
		return this.#drive(movers, command.durationMs, (live) => {
			let step = 0;
			return (sentAt) => {
				step += 1;
				live.peer.awareness.setLocalStateField('cursor', { x: (live.spec.id * 37 + step * 13) % 1920, y: (step * 7) % 1080, t: sentAt });
			};
		});
	}

	/** Runs each active peer's action at its rate (first one at a random phase) for `durationMs`. */
	async #drive(
		active: Array<{ peerId: number; rate: number }>,
		durationMs: number,
		actionFor: (live: LivePeer) => (sentAt: number) => void
	): Promise<SentResult> {
		const sentByBoard: Record<string, number> = {};
		let firstAt = Number.POSITIVE_INFINITY;
		let lastAt = 0;
		const endAt = nowMs() + durationMs;
		await Promise.all(
			active.map(({ peerId, rate }) => {
				const live = this.#peers.get(peerId);
				if (!live) throw new Error(`no peer ${peerId} in this worker`);
				const act = actionFor(live);
				return every(1000 / rate, endAt, () => {
					const sentAt = nowMs();
					act(sentAt);
					sentByBoard[live.spec.board] = (sentByBoard[live.spec.board] ?? 0) + 1;
					if (sentAt < firstAt) firstAt = sentAt;
					lastAt = sentAt;
				});
			})
		);
		this.#lag?.disable();
		return { sentByBoard, firstAt: Number.isFinite(firstAt) ? firstAt : 0, lastAt };
	}

	progress(): { received: number; presenceReceived: number } {
		return { received: this.#received, presenceReceived: this.#presenceReceived };
	}

	stats(): StatsResult {
		const lag = this.#lag;
		lag?.disable();
		const ms = (ns: number) => Math.max(0, Math.round(ns / 1000) / 1000 - lagResolutionMs);
		const elu = this.#eluStart ? performance.eventLoopUtilization(this.#eluStart).utilization : 0;
		return {
			received: this.#received,
			latency: this.#latency.toJSON(),
			appliedLatency: this.#appliedLatency.toJSON(),
			crossLatency: this.#crossLatency.toJSON(),
			latencySeries: Array.from(this.#latencySeries, (h) => (h ?? new Histogram()).toJSON()),
			crossSeries: Array.from(this.#crossSeries, (h) => (h ?? new Histogram()).toJSON()),
			presenceReceived: this.#presenceReceived,
			presenceLatency: this.#presenceLatency.toJSON(),
			presenceAppliedLatency: this.#presenceAppliedLatency.toJSON(),
			deliveryErrors: this.#queue.errors.count,
			firstDeliveryError: this.#queue.errors.first ?? null,
			lag: lag ? { p50Ms: ms(lag.percentile(50)), p99Ms: ms(lag.percentile(99)), maxMs: ms(lag.max) } : { p50Ms: 0, p99Ms: 0, maxMs: 0 },
			elu,
			reconnects: this.#totalConnects() - this.#connectsAtReset
		};
	}

	async arrivals(command: Command<'arrivals'>): Promise<{ peers: Array<{ id: number; receivedAt: number | null; bytes: number }> }> {
		const watched = [...this.#peers.values()].filter((live) => live.watch);
		await Promise.all(watched.map((live) => whenOrTimeout((done) => live.watch?.onReceived(done), command.timeoutMs)));
		return { peers: watched.map((live) => ({ id: live.spec.id, receivedAt: live.watch?.receivedAt ?? null, bytes: live.watch?.bytes ?? 0 })) };
	}

	async release(command: Command<'release'>): Promise<{ releasedAt: number; peers: Array<{ id: number; appliedAt: number | null; records: number }> }> {
		const releasedAt = nowMs();
		const applied = new Map<number, number>();
		const watched = [...this.#peers.values()].filter((live) => live.watch);
		const isComplete = (live: LivePeer) => live.syncedAt !== null && live.peer.doc.getMap(boardRecordsKey).size >= command.expectRecords;
		for (const live of watched) {
			live.watch?.release(this.#queue);
			if (isComplete(live)) applied.set(live.spec.id, nowMs());
		}
		const deadline = releasedAt + command.timeoutMs;
		while (applied.size < watched.length && nowMs() < deadline) {
			await sleep(20);
			for (const live of watched) if (!applied.has(live.spec.id) && isComplete(live)) applied.set(live.spec.id, nowMs());
		}
		return {
			releasedAt,
			peers: watched.map((live) => ({
				id: live.spec.id,
				appliedAt: applied.get(live.spec.id) ?? null,
				records: live.peer.doc.getMap(boardRecordsKey).size
			}))
		};
	}

	close(): void {
		for (const live of this.#peers.values()) live.peer.destroy();
		for (const peer of this.#seeders) peer.destroy();
		this.#peers.clear();
		this.#seeders.length = 0;
		this.#lag?.disable();
	}
}
