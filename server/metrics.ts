import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { yjsThreadHeap } from './redis/yjs-thread.ts';

/** Reasons a message or connection is rejected; each is a label value of `mc_rejected_total`. */
export const rejectReasons = [
	'unauthenticated',
	'forbidden',
	'bad_doc_name',
	'too_big',
	'malformed',
	'read_only',
	'slow_consumer',
	'ping_timeout',
	'rate_limited',
	/** A write that would delete or rewrite a protected log, or forge an author (server/ledger/update-check.ts). */
	'protected',
	'cross_site',
	'too_many_connections',
	'awareness_too_big',
	'awareness_too_fast'
] as const;
export type RejectReason = (typeof rejectReasons)[number];

/** Kinds of messages the Redis relay sends between instances (label of `mc_relay_*_total`). */
export const relayMessageKinds = ['update', 'awareness', 'awareness_query'] as const;
/** Outcomes of one anti-entropy check (label of `mc_reconciliations_total`). */
export const reconcileOutcomes = ['unchanged', 'counted', 'in_sync', 'missing', 'failed'] as const;

/** The Prometheus metrics of one backend instance, in a registry of its own (no global state). */
export function createMetrics() {
	const registry = new Registry();
	collectDefaultMetrics({ register: registry, prefix: 'mc_process_' });
	const metrics = {
		registry,
		connections: new Gauge({ name: 'mc_connections', help: 'Open /yjs websocket connections', registers: [registry] }),
		socketConnections: new Gauge({ name: 'mc_socketio_connections', help: 'Open socket.io connections', registers: [registry] }),
		docsLoaded: new Gauge({ name: 'mc_docs_loaded', help: 'Documents held in memory', registers: [registry] }),
		updatesIn: new Counter({ name: 'mc_updates_in_total', help: 'Document updates accepted from peers', registers: [registry] }),
		updatesOut: new Counter({ name: 'mc_updates_out_total', help: 'Document update messages sent to peers', registers: [registry] }),
		bytesIn: new Counter({ name: 'mc_bytes_in_total', help: 'Bytes received on /yjs', registers: [registry] }),
		bytesOut: new Counter({ name: 'mc_bytes_out_total', help: 'Bytes sent on /yjs', registers: [registry] }),
		storeWriteSeconds: new Histogram({
			name: 'mc_store_write_seconds',
			help: 'Time to make a batch of updates durable',
			buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
			registers: [registry]
		}),
		storeLoadSeconds: new Histogram({
			name: 'mc_store_load_seconds',
			help: 'Time to load a document from the store',
			buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
			registers: [registry]
		}),
		storeErrors: new Counter({ name: 'mc_store_errors_total', help: 'Failed store operations (retried)', labelNames: ['op'] as const, registers: [registry] }),
		queuedWrites: new Gauge({ name: 'mc_store_queued_updates', help: 'Updates accepted but not yet durable in the store', registers: [registry] }),
		compactions: new Counter({ name: 'mc_compactions_total', help: 'Document logs compacted into a snapshot', registers: [registry] }),
		ledgerEntries: new Counter({ name: 'mc_ledger_entries_total', help: 'Ledger entries written (one per record per accepted update)', registers: [registry] }),
		rejected: new Counter({ name: 'mc_rejected_total', help: 'Rejected connections and messages by reason', labelNames: ['reason'] as const, registers: [registry] }),
		// The Redis relay between instances (server/redis/relay.ts); zero without REDIS_URL.
		relayLagSeconds: new Histogram({
			name: 'mc_relay_lag_seconds',
			help: 'Time from publishing a relayed message on one instance to receiving it on another (clocks of different machines must be in sync)',
			labelNames: ['kind'] as const,
			buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
			registers: [registry]
		}),
		relayPublished: new Counter({ name: 'mc_relay_published_total', help: 'Messages published to other instances', labelNames: ['kind'] as const, registers: [registry] }),
		relayReceived: new Counter({ name: 'mc_relay_received_total', help: 'Messages received from other instances', labelNames: ['kind'] as const, registers: [registry] }),
		relayDropped: new Counter({
			name: 'mc_relay_dropped_total',
			help: 'Relay messages not published or not applied (anti-entropy repairs the documents)',
			labelNames: ['reason'] as const,
			registers: [registry]
		}),
		// process.memoryUsage() read at each scrape: where the resident memory goes.
		memory: new Gauge({
			name: 'mc_memory_bytes',
			help: 'process.memoryUsage() at scrape time: rss, heap_total, heap_used, external (C++ objects bound to JS, Buffers included), array_buffers (Buffers and ArrayBuffers)',
			labelNames: ['kind'] as const,
			registers: [registry],
			collect() {
				const usage = process.memoryUsage();
				this.set({ kind: 'rss' }, usage.rss);
				this.set({ kind: 'heap_total' }, usage.heapTotal);
				this.set({ kind: 'heap_used' }, usage.heapUsed);
				this.set({ kind: 'external' }, usage.external);
				this.set({ kind: 'array_buffers' }, usage.arrayBuffers);
			}
		}),
		// The Yjs thread's heap is its own, outside process.memoryUsage()'s heap figures (but in its rss).
		yjsThreadHeap: new Gauge({
			name: 'mc_yjs_thread_heap_bytes',
			help: "The Yjs worker thread's own V8 heap at scrape time (total, used); 0 while no thread runs (it ends when idle)",
			labelNames: ['kind'] as const,
			registers: [registry],
			async collect() {
				const heap = await yjsThreadHeap();
				this.set({ kind: 'total' }, heap?.total_heap_size ?? 0);
				this.set({ kind: 'used' }, heap?.used_heap_size ?? 0);
			}
		}),
		reconciliations: new Counter({
			name: 'mc_reconciliations_total',
			help: 'Anti-entropy checks of a loaded document against the store, by outcome (missing = it found updates this instance lacked)',
			labelNames: ['outcome'] as const,
			registers: [registry]
		})
	};
	for (const kind of relayMessageKinds) {
		metrics.relayPublished.inc({ kind }, 0);
		metrics.relayReceived.inc({ kind }, 0);
	}
	for (const outcome of reconcileOutcomes) metrics.reconciliations.inc({ outcome }, 0);
	for (const reason of rejectReasons) metrics.rejected.inc({ reason }, 0);
	return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
