/**
 * A load-generator worker thread. It loads one client adapter (y-websocket or Hocuspocus, never
 * both, so one Yjs per thread) and answers the parent's commands (see lib/worker-protocol.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import { clientKinds, loadClientAdapter } from './lib/client-adapter.ts';
import { LoadGenerator } from './lib/load-generator.ts';
import { workerRequest, type WorkerCommand, type WorkerReply } from './lib/worker-protocol.ts';

const workerInput = z.object({ clientKind: z.enum([clientKinds.yWebsocket, clientKinds.hocuspocus]) });

async function dispatch(generator: LoadGenerator, command: WorkerCommand): Promise<unknown> {
	switch (command.type) {
		case 'connect':
			return generator.connect(command);
		case 'seed':
			return generator.seed(command);
		case 'count-records':
			return generator.countRecords(command);
		case 'reset':
			return generator.reset();
		case 'edits':
			return generator.edits(command);
		case 'presence':
			return generator.presence(command);
		case 'progress':
			return generator.progress();
		case 'stats':
			return generator.stats();
		case 'arrivals':
			return generator.arrivals(command);
		case 'release':
			return generator.release(command);
		case 'close':
			return generator.close();
	}
}

async function main(): Promise<void> {
	const port = parentPort;
	if (!port) throw new Error('bench/worker.ts runs as a worker thread');
	const { clientKind } = workerInput.parse(workerData);
	// y-websocket adds a process 'exit' listener per provider; hundreds of peers are expected here.
	process.setMaxListeners(0);
	const generator = new LoadGenerator(await loadClientAdapter(clientKind));
	port.on('message', (raw: unknown) => {
		const request = workerRequest.safeParse(raw);
		if (!request.success) {
			port.postMessage({ id: -1, ok: false, error: `malformed command: ${request.error.message}` } satisfies WorkerReply);
			return;
		}
		const { id, command } = request.data;
		dispatch(generator, command).then(
			(result) => port.postMessage({ id, ok: true, result: result ?? null } satisfies WorkerReply),
			(error: unknown) => port.postMessage({ id, ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) } satisfies WorkerReply)
		);
	});
	port.postMessage({ ready: true });
}

await main();
