/**
 * Real y-websocket clients (the project's `y-websocket` 3 and `yjs` 13), used against our server
 * and the reference y-websocket server.
 */
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import { boardEdits } from '../lib/board-edits.ts';
import type { BenchAwareness, BenchDoc, BenchPeer, ClientAdapter, ClientTarget, WebSocketClass } from '../lib/client-adapter.ts';

function openPeer(target: ClientTarget, webSocketClass: WebSocketClass): BenchPeer {
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(target.serverUrl, target.docName, doc, {
		WebSocketPolyfill: webSocketClass as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		params: target.params
	});
	return {
		doc: doc as unknown as BenchDoc,
		awareness: provider.awareness as unknown as BenchAwareness,
		onConnected(listener) {
			let last = '';
			provider.on('status', (event: { status: string }) => {
				if (event.status === 'connected' && last !== 'connected') listener();
				last = event.status;
			});
		},
		onSynced(listener) {
			provider.on('sync', (isSynced: boolean) => {
				if (isSynced) listener();
			});
		},
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
}

export const clientAdapter: ClientAdapter = {
	name: 'y-websocket',
	WebSocket,
	openPeer,
	newMap: (entries) => new Y.Map(entries),
	stateBytes: (doc) => Y.encodeStateAsUpdate(doc as unknown as Y.Doc).byteLength,
	board: boardEdits(Y)
};
