/**
 * A compaction's merge as the worker thread runs it: a document's snapshot and log into one update
 * (`mergeStoredUpdates`, O(document)), so compacting never holds the event loop. Answered in the
 * process's one Yjs thread (`server/redis/yjs-worker.ts`), asked by `MergeThread` in
 * `merge-thread.ts`, for every store.
 */
import { mergeStoredUpdates } from './merge-updates.ts';

export interface MergeRequest {
	id: number;
	kind: 'merge';
	updates: Uint8Array[];
}

export type MergeAnswer = { id: number; merged: Uint8Array } | { id: number; error: string };

/** The answer, and the buffers to move back with it. */
export function answerMerge({ id, updates }: MergeRequest): { answer: MergeAnswer; transfer: ArrayBuffer[] } {
	try {
		const merged = mergeStoredUpdates(updates);
		return { answer: { id, merged }, transfer: [merged.buffer as ArrayBuffer] };
	} catch (error) {
		return { answer: { id, error: error instanceof Error ? error.message : String(error) }, transfer: [] };
	}
}
