/**
 * The worker thread for the Yjs work kept off the event loop: every store's compaction merge
 * (`server/store/merge-worker.ts`) and the full anti-entropy check's compare
 * (`anti-entropy-worker.ts`), and the plain reading of a board kept for a meeting's moments
 * (`server/ledger/past-registers.ts`). One thread of a process serves all three (`yjs-thread.ts`): each
 * thread holds its own V8 heap and copy of Yjs, about 30 MB of RSS, and merges and compares both run
 * while a document is being written.
 */
import { parentPort } from 'node:worker_threads';
import { answerMerge, type MergeAnswer, type MergeRequest } from '../store/merge-worker.ts';
import { answerCompare, type CompareAnswer, type CompareRequest } from './anti-entropy-worker.ts';
import type { ReadingAnswer, ReadingRequest } from '../ledger/past-registers.ts';

/**
 * The readings' code, loaded on the first reading: it reads records through their schemas, and
 * zod with the schemas is about 16 MB of this thread's RSS (46 MB with it, 30 without), which the
 * merges and compares of a steady write load never need. Readings come at a meeting's moments.
 */
let readings: Promise<typeof import('../ledger/past-registers.ts')> | undefined;

export type YjsRequest = MergeRequest | CompareRequest | ReadingRequest;
export type YjsAnswer = MergeAnswer | CompareAnswer | ReadingAnswer;

const port = parentPort;
if (!port) throw new Error('yjs-worker.ts runs as a worker thread only');
port.on('message', (request: YjsRequest) => {
	if (request.kind === 'merge') {
		const { answer, transfer } = answerMerge(request);
		port.postMessage(answer, transfer);
		return;
	}
	if (request.kind === 'reading') {
		readings ??= import('../ledger/past-registers.ts');
		readings.then(
			({ answerReading }) => {
				const { answer, transfer } = answerReading(request);
				port.postMessage(answer, transfer);
			},
			(error: unknown) => {
				readings = undefined;
				port.postMessage({ id: request.id, error: `the readings' code did not load: ${error instanceof Error ? error.message : String(error)}` } satisfies ReadingAnswer);
			}
		);
		return;
	}
	port.postMessage(answerCompare(request));
});
