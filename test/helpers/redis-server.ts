/**
 * Starts a real `redis-server` for tests: its own loopback port and temp directory, AOF on by
 * default, no RDB snapshots. Tests never skip when Redis is missing: they fail with how to install it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface RedisServerOptions {
	/** AOF persistence (`--appendonly`); on by default so a restart keeps the data. */
	appendonly?: boolean;
	/** A fixed port; a free loopback port is picked when absent. */
	port?: number;
}

export interface RunningRedis {
	url: string;
	port: number;
	dir: string;
	/** Stops the server (SIGTERM) and removes its directory. Idempotent. */
	stop(): Promise<void>;
	/** Kills the server with SIGKILL, as a crash would; the directory stays for `restart`. */
	kill(): Promise<void>;
	/** Starts the server again on the same port and directory (stopping it first if it runs). */
	restart(): Promise<void>;
	/** Freezes the server (SIGSTOP): connections stay open but nothing is answered. */
	pause(): void;
	/** Thaws a paused server (SIGCONT). */
	resume(): void;
}

export const missingRedisMessage =
	'redis-server is required for the tests: apt-get install redis-server (Debian/Ubuntu) or brew install redis (macOS)';

const defaults = {
	readyTimeoutMs: 10_000,
	readyPollMs: 25,
	stopTimeoutMs: 10_000,
	portAttempts: 3
} as const;

export async function startRedis(options: RedisServerOptions = {}): Promise<RunningRedis> {
	const binary = findRedisServer();
	const dir = await mkdtemp(join(tmpdir(), 'mc-redis-'));
	const appendonly = options.appendonly ?? true;
	let port = options.port ?? 0;
	let child: ChildProcess | undefined;

	for (let attempt = 1; child === undefined; attempt++) {
		const tryPort = port === 0 ? await freePort() : port;
		try {
			child = await launch(binary, tryPort, dir, appendonly);
			port = tryPort;
		} catch (err) {
			// A picked free port can be taken before redis-server binds it: pick another.
			if (options.port !== undefined || attempt >= defaults.portAttempts) {
				await rm(dir, { recursive: true, force: true });
				throw err;
			}
		}
	}

	let current: ChildProcess | undefined = child;
	let removed = false;

	const terminate = async (signal: NodeJS.Signals): Promise<void> => {
		const running = current;
		current = undefined;
		if (!running) return;
		if (signal !== 'SIGKILL') running.kill('SIGCONT');
		await signalAndWait(running, signal);
	};

	return {
		url: `redis://127.0.0.1:${port}`,
		port,
		dir,
		async stop() {
			await terminate('SIGTERM');
			if (!removed) {
				removed = true;
				await rm(dir, { recursive: true, force: true });
			}
		},
		async kill() {
			await terminate('SIGKILL');
		},
		async restart() {
			if (removed) throw new Error('this redis-server was stopped and its directory removed');
			await terminate('SIGTERM');
			current = await launch(binary, port, dir, appendonly);
		},
		pause() {
			current?.kill('SIGSTOP');
		},
		resume() {
			current?.kill('SIGCONT');
		}
	};
}

function findRedisServer(): string {
	const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/local/bin', '/opt/homebrew/bin'];
	for (const dir of dirs) {
		if (!dir) continue;
		const candidate = join(dir, 'redis-server');
		try {
			accessSync(candidate, constants.X_OK);
			return candidate;
		} catch {
			// not in this directory; try the next one
		}
	}
	throw new Error(missingRedisMessage);
}

async function launch(binary: string, port: number, dir: string, appendonly: boolean): Promise<ChildProcess> {
	const args = [
		'--port', String(port),
		'--bind', '127.0.0.1',
		'--dir', dir,
		'--save', '',
		'--appendonly', appendonly ? 'yes' : 'no',
		'--daemonize', 'no',
		'--logfile', ''
	];
	const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	const collect = (chunk: Buffer) => {
		output = (output + chunk.toString('utf8')).slice(-4_000);
	};
	child.stdout?.on('data', collect);
	child.stderr?.on('data', collect);

	let exited = false;
	let spawnError: Error | undefined;
	child.once('exit', () => {
		exited = true;
	});
	child.once('error', (err) => {
		spawnError = err;
		exited = true;
	});

	const deadline = Date.now() + defaults.readyTimeoutMs;
	while (Date.now() < deadline) {
		if (exited) {
			const reason = spawnError ? spawnError.message : `exited with code ${child.exitCode}`;
			throw new Error(`redis-server on port ${port} did not start (${reason}):\n${output}`);
		}
		if (await answersPing(port)) return child;
		await sleep(defaults.readyPollMs);
	}
	await signalAndWait(child, 'SIGKILL');
	throw new Error(`redis-server on port ${port} did not answer PING within ${defaults.readyTimeoutMs} ms:\n${output}`);
}

function answersPing(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect({ host: '127.0.0.1', port });
		let reply = '';
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1_000, () => done(false));
		socket.once('error', () => done(false));
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			reply += chunk.toString('utf8');
			// "-LOADING …" while the AOF is read back counts as not ready yet.
			if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
		});
	});
}

function signalAndWait(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`redis-server (pid ${child.pid}) did not exit on ${signal}`));
		}, defaults.stopTimeoutMs);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve();
		});
		child.kill(signal);
	});
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
		});
	});
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
