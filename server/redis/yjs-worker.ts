/**
 * The worker thread for the Yjs work kept off the event loop: the Redis store's compaction merge
 * (`server/store/redis-merge-worker.ts`) and the full anti-entropy check's compare
 * (`anti-entropy-worker.ts`). One thread of a process serves both (`yjs-thread.ts`): each thread
 * holds its own V8 heap and copy of Yjs, about 20 MB of RSS, and both jobs run while a document is
 * being written.
 */
import { parentPort } from 'node:worker_threads';
import { answerMerge, type MergeAnswer, type MergeRequest } from '../store/redis-merge-worker.ts';
import { answerCompare, type CompareAnswer, type CompareRequest } from './anti-entropy-worker.ts';

export type YjsRequest = MergeRequest | CompareRequest;
export type YjsAnswer = MergeAnswer | CompareAnswer;

const port = parentPort;
if (!port) throw new Error('yjs-worker.ts runs as a worker thread only');
port.on('message', (request: YjsRequest) => {
	if (request.kind === 'merge') {
		const { answer, transfer } = answerMerge(request);
		port.postMessage(answer, transfer);
		return;
	}
	port.postMessage(answerCompare(request));
});
