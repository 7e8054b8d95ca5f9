import { closeCodes } from '#lib/protocol/close-codes.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import type { DocHub } from '../hub/doc-hub.ts';
import type { DocStore, RecordStore } from '../store/store.ts';
import { forgetReadings } from '../ledger/as-at-readings.ts';

/**
 * Removes a board's document for good: closes its peers (access revoked: the board is gone),
 * lets anything pending reach the store, then deletes the document, its log and its history, and
 * the readings kept of it at meetings.
 */
export async function deleteBoardDocument(hub: DocHub, store: DocStore & RecordStore, boardId: string): Promise<void> {
	const name = boardDocName(boardId);
	hub.disconnectWhere((peer) => peer.docName === name, closeCodes.accessRevoked);
	await hub.loaded(name)?.whenDurable();
	await store.deleteDoc(name);
	await forgetReadings(store, boardId);
}
