// Hocuspocus (@hocuspocus/server) with its defaults: no persistence extension, no auth hook.
// With REDIS_URL it adds @hocuspocus/extension-redis, Hocuspocus's own way to run several
// instances, for the cross-instance scenario. Exits cleanly on SIGTERM so that
// `node --cpu-prof` can write a profile.
import { Server } from '@hocuspocus/server';
import { Redis } from '@hocuspocus/extension-redis';

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? '1234');
const extensions = [];
if (process.env.REDIS_URL) {
	const url = new URL(process.env.REDIS_URL);
	extensions.push(new Redis({ host: url.hostname, port: Number(url.port || 6379) }));
}

const server = new Server({ port, address: host, quiet: true, stopOnSignals: false, extensions });
await server.listen();
console.log(`hocuspocus-server ready on ${host}:${port}`);

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
