/**
 * The thread that merges a document's snapshot and log into one update for a compaction
 * (`Y.mergeUpdates`, O(document)), so compacting never holds the event loop. Started by
 * `MergeThread` in `redis-merge-thread.ts`.
 */
import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';

export interface MergeRequest {
	id: number;
	updates: Uint8Array[];
}

export type MergeAnswer = { id: number; merged: Uint8Array } | { id: number; error: string };

const port = parentPort;
if (!port) throw new Error('redis-merge-worker.ts runs as a worker thread only');
port.on('message', ({ id, updates }: MergeRequest) => {
	let merged: Uint8Array;
	try {
		merged = Y.mergeUpdates(updates);
	} catch (error) {
		const answer: MergeAnswer = { id, error: error instanceof Error ? error.message : String(error) };
		port.postMessage(answer);
		return;
	}
	const answer: MergeAnswer = { id, merged };
	port.postMessage(answer, [merged.buffer as ArrayBuffer]);
});
