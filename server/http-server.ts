/**
 * One HTTP server on one port: health and metrics, `/yjs` and socket.io upgrades, and the SvelteKit
 * handler for pages and the JSON API.
 */
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runWithBackend } from '#lib/server/backend.ts';
import { createBackend, type Backend, type BackendOptions } from './backend.ts';
import type { Config } from './config.ts';
import { exposedCollect, RestMemory } from './rest-memory.ts';
import { importLimits } from '#lib/protocol/raid-import.ts';

type NodeHandler = (request: IncomingMessage, response: ServerResponse, next?: () => void) => void;

export const buildHandlerPath = fileURLToPath(new URL('../build/handler.js', import.meta.url));

export class MissingBuildError extends Error {
	readonly code = 'missing_build';
	constructor() {
		super(`The app is not built (${buildHandlerPath} is missing): run \`npm run build\` first, or \`npm start\` to build and serve.`);
		this.name = 'MissingBuildError';
	}
}

export interface RunningServer {
	backend: Backend;
	server: Server;
	port: number;
	/** `http://host:port` as reachable from this machine. */
	url: string;
	/** Stops accepting, closes sockets with "going away", writes everything pending. Idempotent. */
	close(): Promise<void>;
}

export const shutdownDefaults = { forceCloseAfterMs: 10_000 } as const;

/**
 * adapter-node assumes https unless told otherwise; without ORIGIN, we tell it the protocol the
 * request really arrived on through a header we always overwrite (a client cannot choose it).
 */
const protocolHeader = 'x-mission-control-protocol';

/** adapter-node serves the built service worker as a static file; this is the policy its fetches run under. */
const serviceWorker = { path: '/service-worker.js', policy: "default-src 'self'" } as const;

async function loadPages(config: Config): Promise<NodeHandler> {
	if (!existsSync(buildHandlerPath)) throw new MissingBuildError();
	if (config.origin) process.env.ORIGIN = config.origin;
	else process.env.PROTOCOL_HEADER = protocolHeader;
	// adapter-node refuses bodies over BODY_SIZE_LIMIT (512 KB by default); a RAID import uploads up to
	// importLimits.maxFileBytes. JSON bodies keep their own smaller limit in readJson.
	process.env.BODY_SIZE_LIMIT ??= String(importLimits.maxFileBytes + 64 * 1024);
	const module = (await import(pathToFileURL(buildHandlerPath).href)) as { handler: NodeHandler };
	return module.handler;
}

export async function startServer(config: Config, options: BackendOptions = {}): Promise<RunningServer> {
	const pages = await loadPages(config);
	const backend = await createBackend(config, options);
	const server = createServer((request, response) => {
		if (backend.handleHttp(request, response)) return;
		request.headers[protocolHeader] = 'encrypted' in request.socket && request.socket.encrypted ? 'https' : 'http';
		if (request.url?.split('?')[0] === serviceWorker.path) response.setHeader('content-security-policy', serviceWorker.policy);
		runWithBackend(backend, () => pages(request, response));
	});
	backend.attach(server);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(config.port, config.host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const collect = exposedCollect();
	const rest = collect ? new RestMemory({ collect, log: backend.log, busy: async () => backend.hub.loadedDocs.length > 0 || (await connectionsOf(server)) > 0 }) : undefined;
	rest?.start();
	const { port } = server.address() as AddressInfo;
	const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
	let closing: Promise<void> | undefined;
	return {
		backend,
		server,
		port,
		url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
		close() {
			closing ??= (async () => {
				rest?.close();
				const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
				await backend.close();
				server.closeIdleConnections();
				const force = setTimeout(() => server.closeAllConnections(), shutdownDefaults.forceCloseAfterMs);
				await stopped;
				clearTimeout(force);
			})();
			return closing;
		}
	};
}

/** Open connections to the server (pages, websockets, API calls); an error counts as busy. */
function connectionsOf(server: Server): Promise<number> {
	return new Promise((resolve) => server.getConnections((error, count) => resolve(error ? 1 : count)));
}
