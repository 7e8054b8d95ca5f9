/**
 * Hocuspocus's own provider (its wire format prefixes every message with the document name, so
 * plain y-websocket clients cannot talk to it). Everything here resolves from
 * bench/baselines/node_modules: this Yjs copy never meets the project's in one worker.
 * One HocuspocusProviderWebsocket per peer, so each peer has its own socket as with y-websocket.
 */
import * as Y from 'yjs';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import { boardEdits } from '../lib/board-edits.ts';

type Target = { serverUrl: string; docName: string; params: Record<string, string> };

function openPeer(target: Target, webSocketClass: unknown) {
	const doc = new Y.Doc();
	const websocketProvider = new HocuspocusProviderWebsocket({
		url: target.serverUrl,
		WebSocketPolyfill: webSocketClass
	});
	const provider = new HocuspocusProvider({
		websocketProvider,
		name: target.docName,
		document: doc,
		token: target.params.token ?? null
	});
	provider.attach();
	return {
		doc,
		awareness: provider.awareness,
		onConnected(listener: () => void) {
			// The provider reports 'connected' twice per connection; count transitions only.
			let last = '';
			websocketProvider.on('status', (event: { status: string }) => {
				if (event.status === 'connected' && last !== 'connected') listener();
				last = event.status;
			});
		},
		onSynced(listener: () => void) {
			provider.on('synced', (event: { state: boolean }) => {
				if (event.state) listener();
			});
		},
		destroy() {
			provider.destroy();
			websocketProvider.destroy();
			doc.destroy();
		}
	};
}

export const clientAdapter = {
	name: 'hocuspocus',
	WebSocket,
	openPeer,
	newMap: (entries: Array<[string, unknown]>) => new Y.Map(entries),
	stateBytes: (doc: Y.Doc) => Y.encodeStateAsUpdate(doc).byteLength,
	board: boardEdits(Y)
};
