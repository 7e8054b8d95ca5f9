/**
 * The worker thread for the Yjs work kept off the event loop: the Redis store's compaction merge
 * (`server/store/redis-merge-worker.ts`) and the full anti-entropy check's compare
 * (`anti-entropy-worker.ts`), and the plain reading of a board kept for a meeting's moments
 * (`server/ledger/past-registers.ts`). One thread of a process serves both (`yjs-thread.ts`): each thread
 * holds its own V8 heap and copy of Yjs, about 20 MB of RSS, and both jobs run while a document is
 * being written.
 */
import { parentPort } from 'node:worker_threads';
import { answerMerge, type MergeAnswer, type MergeRequest } from '../store/redis-merge-worker.ts';
import { answerCompare, type CompareAnswer, type CompareRequest } from './anti-entropy-worker.ts';
import { answerReading, type ReadingAnswer, type ReadingRequest } from '../ledger/past-registers.ts';

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
		const { answer, transfer } = answerReading(request);
		port.postMessage(answer, transfer);
		return;
	}
	port.postMessage(answerCompare(request));
});
