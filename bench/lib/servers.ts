/**
 * Starts the servers under test as child processes on loopback, each on the server cores: ours
 * (what `npm run serve` runs: the built `build/backend/main.js` with its node flags, on a fresh DATA_DIR), the reference y-websocket server and Hocuspocus
 * (launchers in bench/baselines). Optionally several instances on one Redis.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { sleep } from './clock.ts';
import { onServerCpus, type CpuPlan } from './cpu-plan.ts';
import type { ClientKind, ClientTarget } from './client-adapter.ts';

export const serverKinds = { ours: 'ours', yWebsocket: 'y-websocket', hocuspocus: 'hocuspocus' } as const;
export type ServerKind = (typeof serverKinds)[keyof typeof serverKinds];
export const allServerKinds: ServerKind[] = [serverKinds.ours, serverKinds.yWebsocket, serverKinds.hocuspocus];

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const baselinesDir = fileURLToPath(new URL('../baselines/', import.meta.url));

export const serverDefaults = {
	host: '127.0.0.1',
	readyTimeoutMs: 90_000,
	stopTimeoutMs: 5_000,
	logTailBytes: 16_384
} as const;

export class ServerStartError extends Error {
	readonly code = 'BENCH_SERVER_START_FAILED';
}

type Launch = { script: string; nodeArgs?: string[]; cwd: string; healthPath: string; clientKind: ClientKind; env: Record<string, string> };

/** The node flags and script of `npm run serve` (`node [flags] build/backend/main.js`). */
function serveCommand(): { script: string; nodeArgs: string[] } {
	const { scripts } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: { serve: string } };
	const [command, ...args] = scripts.serve.split(/\s+/);
	const script = args.pop();
	if (command !== 'node' || !script || args.some((arg) => !arg.startsWith('--'))) throw new ServerStartError(`npm run serve is not "node [flags] <script>": ${scripts.serve}`);
	return { script: join(repoRoot, script), nodeArgs: args };
}

function launchFor(kind: ServerKind, dataDir: string, adminToken: string): Launch {
	switch (kind) {
		case serverKinds.ours:
			return {
				// `npm run serve`'s own command line (package.json), so the bench measures what runs in production.
				...serveCommand(),
				cwd: repoRoot,
				healthPath: '/healthz',
				clientKind: 'y-websocket',
				env: { DATA_DIR: dataDir, ADMIN_TOKEN: adminToken, LOG_LEVEL: 'warn', NODE_ENV: 'production', MAX_CONNECTIONS_PER_PRINCIPAL: '100000', MAX_CONNECTIONS_PER_ADDRESS: '100000' }
			};
		case serverKinds.yWebsocket:
			return { script: join(baselinesDir, 'y-websocket-server.mjs'), cwd: baselinesDir, healthPath: '/', clientKind: 'y-websocket', env: {} };
		case serverKinds.hocuspocus:
			return { script: join(baselinesDir, 'hocuspocus-server.mjs'), cwd: baselinesDir, healthPath: '/', clientKind: 'hocuspocus', env: {} };
	}
}

export function clientKindOf(kind: ServerKind): ClientKind {
	return kind === serverKinds.hocuspocus ? 'hocuspocus' : 'y-websocket';
}

/** Why a server cannot run here, or undefined when it can. */
export function unavailableReason(kind: ServerKind): string | undefined {
	if (kind === serverKinds.ours && !existsSync(join(repoRoot, 'build/backend/main.js'))) return 'build/backend/main.js is missing: run `npm run build` first';
	return undefined;
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, serverDefaults.host, () => {
			const address = probe.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			probe.close(() => resolve(port));
		});
	});
}

/** Keeps the last few KB of a child's output for error messages. */
function tailOf(child: ChildProcess): () => string {
	let tail = '';
	const keep = (chunk: Buffer) => {
		tail = (tail + chunk.toString('utf8')).slice(-serverDefaults.logTailBytes);
	};
	child.stdout?.on('data', keep);
	child.stderr?.on('data', keep);
	return () => tail;
}

function exited(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stopChild(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	child.kill('SIGTERM');
	const stopped = await Promise.race([exited(child).then(() => true), sleep(serverDefaults.stopTimeoutMs).then(() => false)]);
	if (!stopped) {
		child.kill('SIGKILL');
		await exited(child);
	}
}

async function waitHealthy(url: string, child: ChildProcess, logs: () => string): Promise<void> {
	const deadline = Date.now() + serverDefaults.readyTimeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null) throw new ServerStartError(`exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${logs()}`);
		try {
			const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
			if (response.status === 200) return;
		} catch {
			// not listening yet
		}
		await sleep(100);
	}
	throw new ServerStartError(`not ready within ${serverDefaults.readyTimeoutMs} ms at ${url}:\n${logs()}`);
}

export type RunningServers = {
	kind: ServerKind;
	clientKind: ClientKind;
	pids: number[];
	/** Where a peer of `instance` connects to open `docName`. */
	target(docName: string, instance: number): ClientTarget;
	logs(): string;
	stop(): Promise<void>;
};

export type StartOptions = {
	kind: ServerKind;
	plan: CpuPlan;
	instances?: number;
	redisUrl?: string;
	/** PostgreSQL as the store (ours only). */
	databaseUrl?: string;
	/** Start each instance with `node --cpu-prof` writing into this folder. */
	profileDir?: string;
};

export async function startServers(options: StartOptions): Promise<RunningServers> {
	const adminToken = randomBytes(24).toString('hex');
	const dataDir = mkdtempSync(join(tmpdir(), 'mc-bench-'));
	const launch = launchFor(options.kind, dataDir, adminToken);
	const children: Array<{ child: ChildProcess; port: number; logs: () => string }> = [];
	const stop = async () => {
		await Promise.all(children.map(({ child }) => stopChild(child)));
		rmSync(dataDir, { recursive: true, force: true });
	};
	try {
		for (let instance = 0; instance < (options.instances ?? 1); instance++) {
			const port = await freePort();
			const nodeArgs: string[] = [...(launch.nodeArgs ?? [])];
			if (options.profileDir) {
				mkdirSync(options.profileDir, { recursive: true });
				nodeArgs.push('--cpu-prof', ...(process.env.BENCH_PROF_INTERVAL ? ['--cpu-prof-interval', process.env.BENCH_PROF_INTERVAL] : []), '--cpu-prof-dir', options.profileDir, '--cpu-prof-name', `${options.kind}-${instance}-${Date.now()}.cpuprofile`);
			}
			const { command, args } = onServerCpus(options.plan, [process.execPath, ...nodeArgs, launch.script]);
			const child = spawn(command, args, {
				cwd: launch.cwd,
				env: {
					...process.env,
					...launch.env,
					PORT: String(port),
					HOST: serverDefaults.host,
					...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
					...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {})
				},
				stdio: ['ignore', 'pipe', 'pipe']
			});
			const logs = tailOf(child);
			children.push({ child, port, logs });
			await waitHealthy(`http://${serverDefaults.host}:${port}${launch.healthPath}`, child, logs);
		}
	} catch (error) {
		await stop();
		throw error;
	}
	const ports = children.map(({ port }) => port);
	return {
		kind: options.kind,
		clientKind: launch.clientKind,
		pids: children.map(({ child }) => child.pid ?? 0),
		target(docName, instance): ClientTarget {
			const port = ports[instance % ports.length];
			if (options.kind === serverKinds.hocuspocus) return { serverUrl: `ws://${serverDefaults.host}:${port}`, docName, params: {} };
			return { serverUrl: `ws://${serverDefaults.host}:${port}/yjs`, docName, params: { token: adminToken } };
		},
		logs: () => children.map(({ logs }, index) => `--- instance ${index} ---\n${logs()}`).join('\n'),
		stop
	};
}
