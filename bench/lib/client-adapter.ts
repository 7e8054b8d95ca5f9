/**
 * The seam between the load generator and a Yjs client library. The generator never imports
 * `yjs` itself: each adapter brings its own copy (the project's for y-websocket clients, the one in
 * bench/baselines for Hocuspocus's provider), so two Yjs copies never meet in one worker.
 */
import type { BoardEdits } from './board-edits.ts';

/** Where a peer connects: a y-websocket server URL and room, or a Hocuspocus URL and name. */
export type ClientTarget = {
	serverUrl: string;
	docName: string;
	params: Record<string, string>;
};

export type MapEvent = {
	keysChanged: Set<string>;
	transaction: { local: boolean };
};

export interface BenchMap {
	get(key: string): unknown;
	set(key: string, value: unknown): unknown;
	observe(listener: (event: MapEvent) => void): void;
	readonly size: number;
}

export interface BenchDoc {
	getMap(name: string): BenchMap;
	transact(fn: () => void): void;
}

export type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };

export interface BenchAwareness {
	readonly clientID: number;
	setLocalStateField(field: string, value: unknown): void;
	getStates(): Map<number, Record<string, unknown>>;
	on(event: 'change', listener: (change: AwarenessChange, origin: unknown) => void): void;
}

export interface BenchPeer {
	readonly doc: BenchDoc;
	readonly awareness: BenchAwareness;
	onConnected(listener: () => void): void;
	onSynced(listener: () => void): void;
	destroy(): void;
}

/** A `ws`-compatible WebSocket class (what both providers accept as a polyfill). */
export type WebSocketClass = abstract new (...args: never[]) => unknown;

export interface ClientAdapter {
	readonly name: 'y-websocket' | 'hocuspocus';
	/** The `ws` WebSocket class this adapter's provider is tested with. */
	readonly WebSocket: WebSocketClass;
	openPeer(target: ClientTarget, webSocketClass: WebSocketClass): BenchPeer;
	/** A new shared map, to be set into a document (board records). */
	newMap(entries: Array<[string, unknown]>): unknown;
	/** Size of the document's whole state as one update, in bytes. */
	stateBytes(doc: BenchDoc): number;
	/** Board-shaped edits made with this adapter's own Yjs (`board-edits.ts`). */
	readonly board: BoardEdits;
}

export const clientKinds = { yWebsocket: 'y-websocket', hocuspocus: 'hocuspocus' } as const;
export type ClientKind = (typeof clientKinds)[keyof typeof clientKinds];

const adapterModules: Record<ClientKind, string> = {
	'y-websocket': '../clients/y-websocket-client.ts',
	// Lives in bench/baselines so that its bare imports resolve to bench/baselines/node_modules.
	hocuspocus: '../baselines/hocuspocus-client.ts'
};

export async function loadClientAdapter(kind: ClientKind): Promise<ClientAdapter> {
	// A computed specifier: the type checker must not follow it into bench/baselines, which is
	// only installed when the benchmark first runs.
	const specifier = new URL(adapterModules[kind], import.meta.url).href;
	const module = (await import(specifier)) as { clientAdapter: ClientAdapter };
	return module.clientAdapter;
}
