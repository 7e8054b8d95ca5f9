/**
 * The anti-entropy compare as the worker thread runs it: what a document's stored updates hold that
 * the live document lacks (`missingFromLive`), so a full anti-entropy check does not hold the event
 * loop for the O(document) decode. Answered in the process's one Yjs thread (`yjs-worker.ts`), asked
 * by `CompareThread` in `anti-entropy.ts`.
 */
import { missingFromLive, type LiveSummary } from './anti-entropy-compare.ts';

export interface CompareRequest {
	id: number;
	kind: 'compare';
	stored: Uint8Array[];
	live: LiveSummary;
}

export type CompareAnswer = { id: number; missing: Uint8Array | undefined } | { id: number; error: string };

export function answerCompare({ id, stored, live }: CompareRequest): CompareAnswer {
	try {
		return { id, missing: missingFromLive(stored, live) };
	} catch (error) {
		return { id, error: error instanceof Error ? error.message : String(error) };
	}
}
