/**
 * Real y-websocket clients in Node (WebSocket from `ws`, no BroadcastChannel, so nothing syncs
 * except through the server).
 */
import { request as httpRequest } from 'node:http';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { testAdminToken } from './server.ts';

export interface TestClient {
	doc: Y.Doc;
	provider: WebsocketProvider;
	synced: Promise<void>;
	destroy(): void;
}

export function connectClient(wsUrl: string, docName: string, options: { token?: string | null; doc?: Y.Doc; connect?: boolean } = {}): TestClient {
	const doc = options.doc ?? new Y.Doc();
	const token = options.token === undefined ? testAdminToken : options.token;
	const provider = new WebsocketProvider(`${wsUrl}/yjs`, docName, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		connect: options.connect ?? true,
		params: token ? { token } : {},
		maxBackoffTime: 300
	});
	const synced = new Promise<void>((resolve) => {
		if (provider.synced) resolve();
		else provider.once('sync', (isSynced: boolean) => isSynced && resolve());
	});
	return {
		doc,
		provider,
		synced,
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
}

/** Polls until `check` passes or the time is up (then throws with the last failure). */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 10_000, intervalMs = 20): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			await check();
			return;
		} catch (error) {
			if (Date.now() > deadline) throw error;
			await new Promise((resolve) => setTimeout(resolve, intervalMs));
		}
	}
}

/** Opens a raw websocket (for malformed input); resolves once open or rejects with the HTTP status. */
export function rawSocket(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
	return new Promise((resolve, reject) => {
		const socket = new WebSocket(url, { headers });
		socket.binaryType = 'nodebuffer';
		socket.once('open', () => resolve(socket));
		socket.once('unexpected-response', (_request, response) => reject(Object.assign(new Error(`HTTP ${response.statusCode}`), { status: response.statusCode })));
		socket.once('error', reject);
	});
}

export function closeCodeOf(socket: WebSocket): Promise<number> {
	return new Promise((resolve) => {
		if (socket.readyState === WebSocket.CLOSED) resolve(1006);
		socket.once('close', (code) => resolve(code));
	});
}

/** Sends a websocket upgrade request and returns the plain HTTP answer (for rejected upgrades). */
export function upgradeAnswer(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const request = httpRequest(url.replace(/^ws/, 'http'), {
			headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers }
		});
		request.once('upgrade', (response, socket) => {
			socket.destroy();
			resolve({ status: response.statusCode ?? 101, body: '' });
		});
		request.once('response', (response) => {
			let body = '';
			response.on('data', (chunk: Buffer) => (body += chunk.toString()));
			response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
		});
		request.once('error', reject);
		request.end();
	});
}
