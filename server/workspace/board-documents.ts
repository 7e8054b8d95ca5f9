import { closeCodes } from '#lib/protocol/close-codes.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import type { DocHub } from '../hub/doc-hub.ts';
import type { DocStore } from '../store/store.ts';

/**
 * Removes a board's document for good: closes its peers (access revoked: the board is gone),
 * lets anything pending reach the store, then deletes the document, its log and its history.
 */
export async function deleteBoardDocument(hub: DocHub, store: DocStore, boardId: string): Promise<void> {
	const name = boardDocName(boardId);
	hub.disconnectWhere((peer) => peer.docName === name, closeCodes.accessRevoked);
	await hub.loaded(name)?.whenDurable();
	await store.deleteDoc(name);
}
