/**
 * The worker thread for the Yjs work kept off the event loop: every store's compaction merge
 * (`server/store/merge-worker.ts`) and the full anti-entropy check's compare
 * (`anti-entropy-worker.ts`), and the plain reading of a board kept for a meeting's moments
 * (`server/ledger/past-registers.ts`). One thread of a process serves all three (`yjs-thread.ts`): each
 * thread holds its own V8 heap and copy of Yjs, about 30 MB of RSS, and merges and compares both run
 * while a document is being written.
 *
 * A merge leaves its document behind as garbage (a busy board's: 20-30 MB), and a thread that has
 * stopped allocating never collects it: V8 collects as it allocates, and its memory reducer waits for
 * its watchdog. So once the thread has been quiet for `yjsWorkerDefaults.giveBackAfterMs`, it makes
 * the collection that reducer would (`exposedCollect`, when node runs with `--expose-gc`, as
 * `npm run serve` does): in the busy-board bench, 174 → 152 MB of the server's RSS for a few
 * milliseconds of the thread's time after each merge.
 */
import { parentPort } from 'node:worker_threads';
import { answerMerge, type MergeAnswer, type MergeRequest } from '../store/merge-worker.ts';
import { answerCompare, type CompareAnswer, type CompareRequest } from './anti-entropy-worker.ts';
import type { ReadingAnswer, ReadingRequest } from '../ledger/past-registers.ts';
import { exposedCollect } from '../rest-memory.ts';

export const yjsWorkerDefaults = {
	/** Quiet this long after an answer, the thread collects its garbage (see the header). */
	giveBackAfterMs: 500
} as const;

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

const collect = exposedCollect();
let giveBack: NodeJS.Timeout | undefined;

/** Answers, then (re)arms the collection for when the thread is next quiet. */
function answer(message: YjsAnswer, transfer: ArrayBuffer[] = []): void {
	port?.postMessage(message, transfer);
	if (!collect) return;
	clearTimeout(giveBack);
	giveBack = setTimeout(collect, yjsWorkerDefaults.giveBackAfterMs);
	giveBack.unref();
}

port.on('message', (request: YjsRequest) => {
	if (request.kind === 'merge') {
		const { answer: merged, transfer } = answerMerge(request);
		answer(merged, transfer);
		return;
	}
	if (request.kind === 'reading') {
		readings ??= import('../ledger/past-registers.ts');
		readings.then(
			({ answerReading }) => {
				const { answer: reading, transfer } = answerReading(request);
				answer(reading, transfer);
			},
			(error: unknown) => {
				readings = undefined;
				answer({ id: request.id, error: `the readings' code did not load: ${error instanceof Error ? error.message : String(error)}` } satisfies ReadingAnswer);
			}
		);
		return;
	}
	answer(answerCompare(request));
});
