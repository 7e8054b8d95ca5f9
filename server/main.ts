/**
 * The composition root: `node server/main.ts`. Parses config, starts the one server, prints the
 * sign-in link on first start, shuts down gracefully on SIGTERM/SIGINT.
 */
import { ConfigError, parseConfig } from './config.ts';
import { MissingBuildError, startServer } from './http-server.ts';

async function main(): Promise<void> {
	const config = parseConfig(process.env);
	const running = await startServer(config);
	const { backend } = running;
	const origin = config.origin ?? running.url;
	if (backend.generatedAdminToken) {
		process.stdout.write(
			`\n  Mission Control is running at ${origin}\n\n  Sign in as the administrator (this link is shown once; keep it safe):\n  ${origin}/login?token=${backend.generatedAdminToken}\n\n`
		);
	} else {
		process.stdout.write(`\n  Mission Control is running at ${origin}\n  (sign in with ${origin}/login?token=<ADMIN_TOKEN>, or the link printed on first start)\n\n`);
	}
	backend.log.info({ url: running.url, port: running.port, store: backend.store.kind, version: backend.version }, 'Mission Control is listening');
	let stopping = false;
	const stop = (signal: NodeJS.Signals) => {
		if (stopping) return;
		stopping = true;
		backend.log.info({ signal }, 'shutting down: closing sockets and writing pending updates');
		running.close().then(
			() => process.exit(0),
			(error: unknown) => {
				backend.log.error({ err: error }, 'shutdown failed');
				process.exit(1);
			}
		);
	};
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
	if (error instanceof ConfigError || error instanceof MissingBuildError) {
		process.stderr.write(`${error.message}\n`);
	} else {
		process.stderr.write(`Mission Control could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	}
	process.exit(1);
});
