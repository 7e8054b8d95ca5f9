/**
 * Recognises, without applying or checking it, an update that can change nothing in a document:
 * no structs, and a delete set whose every range the document already holds, deleted. That is
 * what a y-websocket client answers each acknowledgement with (a sync step 2 of the empty
 * difference plus its whole delete set), and what it costs the hub per edit, so it is read here
 * in one pass over the bytes, allocating nothing, instead of being decoded, checked by the board
 * rules and applied as a no-op.
 *
 * Any doubt answers false (the update then takes the normal path): structs, a range that reaches
 * past what the document has seen, one live item in a range, bytes that do not parse, trailing
 * bytes, or a document holding pending updates (applying anything retries those).
 */
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';

export function bringsNothingNew(doc: Y.Doc, update: Uint8Array): boolean {
	const store = doc.store;
	if (store.pendingStructs !== null || store.pendingDs !== null) return false;
	try {
		const decoder = decoding.createDecoder(update);
		// Update v1: the number of clients with structs, then the delete set.
		if (decoding.readVarUint(decoder) !== 0) return false;
		const clients = decoding.readVarUint(decoder);
		for (let c = 0; c < clients; c++) {
			const client = decoding.readVarUint(decoder);
			const ranges = decoding.readVarUint(decoder);
			const structs = store.clients.get(client);
			const known = Y.getState(store, client);
			for (let r = 0; r < ranges; r++) {
				const clock = decoding.readVarUint(decoder);
				const end = clock + decoding.readVarUint(decoder);
				if (end > known || !structs) return false;
				for (let index = Y.findIndexSS(structs, clock); index < structs.length; index++) {
					const struct = structs[index]!;
					if (struct.id.clock >= end) break;
					if (!struct.deleted) return false;
				}
			}
		}
		return !decoding.hasContent(decoder);
	} catch {
		return false;
	}
}
