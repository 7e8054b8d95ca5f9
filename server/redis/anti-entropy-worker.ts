/**
 * The thread that compares a document's stored updates with what the live document holds
 * (`missingFromLive`), so a full anti-entropy check does not hold the event loop for the
 * O(document) decode. Started by `CompareThread` in `anti-entropy.ts`.
 */
import { parentPort } from 'node:worker_threads';
import { missingFromLive, type LiveSummary } from './anti-entropy-compare.ts';

export interface CompareRequest {
	id: number;
	stored: Uint8Array[];
	live: LiveSummary;
}

export type CompareAnswer = { id: number; missing: Uint8Array | undefined } | { id: number; error: string };

const port = parentPort;
if (!port) throw new Error('anti-entropy-worker.ts runs as a worker thread only');
port.on('message', ({ id, stored, live }: CompareRequest) => {
	let answer: CompareAnswer;
	try {
		answer = { id, missing: missingFromLive(stored, live) };
	} catch (error) {
		answer = { id, error: error instanceof Error ? error.message : String(error) };
	}
	port.postMessage(answer);
});
