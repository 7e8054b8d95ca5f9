/**
 * `npm run dev`: the same backend attached to Vite's HTTP server, so pages hot-reload while
 * `/yjs` and socket.io keep working. Loaded by the plugin in vite.config.ts.
 */
import type { ViteDevServer } from 'vite';
import { setFallbackBackend } from '#lib/server/backend.ts';
import { createBackend } from './backend.ts';
import { parseConfig } from './config.ts';

export async function attachDevBackend(server: ViteDevServer): Promise<void> {
	const httpServer = server.httpServer;
	if (!httpServer || !('on' in httpServer)) throw new Error('Mission Control needs Vite in server mode (no middleware mode) to attach its websockets.');
	const config = parseConfig(process.env);
	const backend = await createBackend(config);
	setFallbackBackend(backend);
	backend.attach(httpServer as import('node:http').Server);
	server.middlewares.use((request, response, next) => {
		if (!backend.handleHttp(request, response)) next();
	});
	httpServer.once('listening', () => {
		const address = httpServer.address();
		const port = typeof address === 'object' && address ? address.port : config.port;
		const origin = config.origin ?? `http://localhost:${port}`;
		if (backend.generatedAdminToken) process.stdout.write(`\n  Sign in as the administrator (shown once): ${origin}/login?token=${backend.generatedAdminToken}\n\n`);
	});
	httpServer.once('close', () => {
		setFallbackBackend(undefined);
		void backend.close();
	});
}
