/**
 * The wall's board connections off the main thread (`BoardSync`): the page sends `start` once,
 * then `reconnect` when it wakes or comes back online; it hears every `BoardSyncEvent`.
 */
import { BoardSync, type BoardSyncEvent, type BoardSyncOptions } from './board-sync.ts';

export type BoardFeedRequest = { type: 'start'; options: BoardSyncOptions } | { type: 'reconnect' };

const scope = self as unknown as { onmessage: ((event: MessageEvent<BoardFeedRequest>) => void) | null; postMessage(event: BoardSyncEvent): void };
let sync: BoardSync | undefined;

scope.onmessage = (event) => {
	const request = event.data;
	if (request.type === 'start') sync ??= new BoardSync(request.options, (syncEvent) => scope.postMessage(syncEvent));
	else sync?.reconnect();
};
