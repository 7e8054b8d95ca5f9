/**
 * Real servers for tests: in-process on port 0 (`startTestServer`) or as a child process
 * (`spawnServer`) when the test needs to SIGKILL it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../../server/config.ts';
import { startServer, type RunningServer } from '../../server/http-server.ts';
import type { BackendOptions } from '../../server/backend.ts';

export const testAdminToken = 'test-admin-token-0123456789abcdef';
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export function tempDir(prefix = 'mc-test-'): { path: string; remove(): void } {
	const path = mkdtempSync(join(tmpdir(), prefix));
	return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface TestServer extends RunningServer {
	wsUrl: string;
	dataDir: string;
}

export async function startTestServer(options: BackendOptions & { dataDir?: string; env?: Record<string, string> } = {}): Promise<TestServer> {
	const dataDir = options.dataDir ?? tempDir().path;
	const config = parseConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_TOKEN: testAdminToken, LOG_LEVEL: 'silent', ...options.env });
	const running = await startServer(config, options);
	return Object.assign(running, { wsUrl: running.url.replace(/^http/, 'ws'), dataDir });
}

export interface SpawnedServer {
	process: ChildProcess;
	url: string;
	wsUrl: string;
	port: number;
	output(): string;
	/** SIGTERM and wait for exit; resolves the exit code. */
	stop(): Promise<number | null>;
	kill(): Promise<void>;
}

/** Starts `node server/main.ts` (or `script`, such as the built `build/backend/main.js`) and waits until it listens. */
export async function spawnServer(env: Record<string, string>, script = 'server/main.ts'): Promise<SpawnedServer> {
	const child = spawn(process.execPath, [script], {
		cwd: repoRoot,
		env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ADMIN_TOKEN: testAdminToken, LOG_LEVEL: 'info', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	const port = await new Promise<number>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${output}`)), 20_000);
		const check = () => {
			const match = /"port":(\d+)/.exec(output);
			if (match) {
				clearTimeout(timer);
				resolve(Number(match[1]));
			}
		};
		child.stdout.on('data', check);
		void exited.then((code) => {
			clearTimeout(timer);
			reject(new Error(`server exited with ${code}:\n${output}`));
		});
	});
	const url = `http://127.0.0.1:${port}`;
	return {
		process: child,
		url,
		wsUrl: url.replace(/^http/, 'ws'),
		port,
		output: () => output,
		async stop() {
			child.kill('SIGTERM');
			return exited;
		},
		async kill() {
			child.kill('SIGKILL');
			await exited;
		}
	};
}

/**
 * PORT and ORIGIN for a server whose address must be known before it starts (mail needs ORIGIN:
 * links in emails name the site, never a request's Host header). The port is free when picked.
 */
export async function knownOriginEnv(): Promise<{ PORT: string; ORIGIN: string }> {
	const { createServer } = await import('node:net');
	const probe = createServer();
	await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
	const { port } = probe.address() as { port: number };
	await new Promise<void>((resolve) => probe.close(() => resolve()));
	return { PORT: String(port), ORIGIN: `http://127.0.0.1:${port}` };
}
