import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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
	'rate_limited'
] as const;
export type RejectReason = (typeof rejectReasons)[number];

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
		rejected: new Counter({ name: 'mc_rejected_total', help: 'Rejected connections and messages by reason', labelNames: ['reason'] as const, registers: [registry] })
	};
	for (const reason of rejectReasons) metrics.rejected.inc({ reason }, 0);
	return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
