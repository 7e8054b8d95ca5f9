/**
 * The aggregated map's layout, off the main thread: dagre on a big mission must never hold up the
 * page (its heartbeats, its freshness indicator, its other views). One request at a time; the
 * page sends only the latest (`PairLayoutJob`).
 */
import { layoutPairs, type PairLayout, type PairLayoutRequest } from './pair-layout.ts';

export type WorkerRequest = PairLayoutRequest & { seq: number };
export type WorkerReply = { seq: number; layout: PairLayout } | { seq: number; error: string };

const scope = self as unknown as { onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null; postMessage(reply: WorkerReply): void };

scope.onmessage = (event) => {
	const { seq, ...request } = event.data;
	try {
		scope.postMessage({ seq, layout: layoutPairs(request) });
	} catch (error) {
		scope.postMessage({ seq, error: error instanceof Error ? error.message : String(error) });
	}
};
