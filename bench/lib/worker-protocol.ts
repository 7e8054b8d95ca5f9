/**
 * Messages between the benchmark's parent and its load-generator workers, one zod schema each.
 * Times are absolute readings of `nowMs()` (one monotonic clock for all threads).
 */
import { z } from 'zod';

export const clientTarget = z.object({
	serverUrl: z.string(),
	docName: z.string(),
	params: z.record(z.string(), z.string())
});

export const peerSpec = z.object({
	id: z.number().int(),
	/** The board (document) this peer joins; deliveries are counted per board. */
	board: z.string(),
	/** Which server instance it talks to (cross-instance scenario), 0 otherwise. */
	instance: z.number().int(),
	target: clientTarget
});
export type PeerSpec = z.infer<typeof peerSpec>;

export const arrivalWatchOptions = z.object({ completeAtBytes: z.number(), holdFromBytes: z.number() });


export const workerCommand = z.discriminatedUnion('type', [
	z.object({
		type: z.literal('connect'),
		peers: z.array(peerSpec),
		concurrency: z.number().int().positive(),
		timeoutMs: z.number(),
		watch: arrivalWatchOptions.optional()
	}),
	z.object({ type: z.literal('seed'), target: clientTarget, records: z.number().int(), batch: z.number().int().positive() }),
	z.object({ type: z.literal('count-records'), target: clientTarget, expect: z.number().int(), timeoutMs: z.number() }),
	z.object({ type: z.literal('reset') }),
	z.object({
		type: z.literal('edits'),
		writers: z.array(z.object({ peerId: z.number().int(), rate: z.number().positive() })),
		durationMs: z.number(),
		/** `map`: a new key in one shared map per edit; `board`: a board-shaped edit (`board-edits.ts`). */
		shape: z.enum(['map', 'board'])
	}),
	z.object({ type: z.literal('presence'), movers: z.array(z.number().int()), rate: z.number().positive(), durationMs: z.number() }),
	z.object({ type: z.literal('progress') }),
	z.object({ type: z.literal('stats') }),
	z.object({ type: z.literal('arrivals'), timeoutMs: z.number() }),
	z.object({ type: z.literal('release'), expectRecords: z.number().int(), timeoutMs: z.number() }),
	z.object({ type: z.literal('close') })
]);
export type WorkerCommand = z.infer<typeof workerCommand>;

export const histogramData = z.object({
	buckets: z.array(z.tuple([z.number(), z.number()])),
	count: z.number(),
	minUs: z.number(),
	maxUs: z.number(),
	sumUs: z.number()
});

export const connectResult = z.object({
	peers: z.array(
		z.object({
			id: z.number(),
			startedAt: z.number(),
			connectedAt: z.number().nullable(),
			syncedAt: z.number().nullable(),
			error: z.string().nullable()
		})
	)
});
export type ConnectResult = z.infer<typeof connectResult>;

/** Commands that answer nothing (reset, close). */
export const nullResult = z.null();

export const seedResult = z.object({ records: z.number(), stateBytes: z.number(), ms: z.number() });
export const countResult = z.object({ records: z.number() });
export const sentResult = z.object({ sentByBoard: z.record(z.string(), z.number()), firstAt: z.number(), lastAt: z.number() });
export type SentResult = z.infer<typeof sentResult>;
export const progressResult = z.object({ received: z.number(), presenceReceived: z.number() });

export const statsResult = z.object({
	received: z.number(),
	/** Edit-to-peer latency up to the message's arrival at the peer's socket. */
	latency: histogramData,
	/** Edit-to-peer latency up to the peer's client having applied it (shared generator core). */
	appliedLatency: histogramData,
	crossLatency: histogramData,
	/** Edit-to-peer latency per second of the window (by send time), index 0 = the first second. */
	latencySeries: z.array(histogramData),
	crossSeries: z.array(histogramData),
	presenceReceived: z.number(),
	presenceLatency: histogramData,
	presenceAppliedLatency: histogramData,
	/** Messages a provider threw on. */
	deliveryErrors: z.number(),
	firstDeliveryError: z.string().nullable(),
	lag: z.object({ p50Ms: z.number(), p99Ms: z.number(), maxMs: z.number() }),
	/** Event-loop utilisation of this worker over the window, 0–1. */
	elu: z.number(),
	reconnects: z.number()
});
export type StatsResult = z.infer<typeof statsResult>;

export const arrivalsResult = z.object({
	peers: z.array(z.object({ id: z.number(), receivedAt: z.number().nullable(), bytes: z.number() }))
});
export const releaseResult = z.object({
	releasedAt: z.number(),
	peers: z.array(z.object({ id: z.number(), appliedAt: z.number().nullable(), records: z.number() }))
});

export const workerReply = z.discriminatedUnion('ok', [
	z.object({ id: z.number(), ok: z.literal(true), result: z.unknown() }),
	z.object({ id: z.number(), ok: z.literal(false), error: z.string() })
]);
export type WorkerReply = z.infer<typeof workerReply>;

export const workerRequest = z.object({ id: z.number(), command: workerCommand });
