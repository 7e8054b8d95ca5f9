/**
 * Starts a real PostgreSQL server for tests: `initdb` into a temp directory, then `postgres` on a
 * free loopback port (TCP only, trust authentication for the `mc` role). PostgreSQL refuses to run
 * as root, so when the tests run as root the cluster belongs to `nobody` and both programs run as
 * that user. Tests never skip when PostgreSQL is missing: they fail with how to install it.
 *
 * `fsync` is off: a killed server (SIGKILL) still keeps every committed transaction, because the
 * WAL is written to the kernel at commit; only a power cut would lose it, which tests do not cause.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';

export interface RunningPostgres {
	/** The `postgres` database (for administration); use `createDatabase()` for a test's own. */
	url: string;
	port: number;
	dir: string;
	/** The server's processes while it runs: the postmaster and its children (backends, writers). */
	pids(): number[];
	/** A new empty database on this server, and its URL. */
	createDatabase(): Promise<string>;
	/** Stops the server (fast shutdown) and removes its directory. Idempotent. */
	stop(): Promise<void>;
	/** Kills the server and all its backends with SIGKILL, as a crash would; the data stays for `restart`. */
	kill(): Promise<void>;
	/** Starts the server again on the same port and data (crash recovery runs if it was killed). */
	restart(): Promise<void>;
}

export const missingPostgresMessage =
	'PostgreSQL is required for the tests (initdb and postgres): apt-get install postgresql (Debian/Ubuntu) or brew install postgresql (macOS); or set PG_BIN to the directory holding initdb';

const defaults = {
	role: 'mc',
	readyTimeoutMs: 30_000,
	stopTimeoutMs: 15_000,
	portAttempts: 3
} as const;

/** The directory holding `initdb` and `postgres`: PG_BIN, Debian's newest version, or the PATH. */
export function findPostgresBin(): string {
	const candidates: string[] = [];
	if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
	try {
		const versions = readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
		candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
	} catch {
		// not Debian's layout; try the PATH
	}
	candidates.push(...(process.env.PATH ?? '').split(':').filter(Boolean), '/usr/local/bin', '/opt/homebrew/bin');
	for (const dir of candidates) {
		try {
			accessSync(join(dir, 'initdb'), constants.X_OK);
			accessSync(join(dir, 'postgres'), constants.X_OK);
			return dir;
		} catch {
			// not here; try the next one
		}
	}
	throw new Error(missingPostgresMessage);
}

/** Root cannot run PostgreSQL: the uid and gid of `nobody` then, else none (run as ourselves). */
function serverUser(): { uid: number; gid: number } | undefined {
	if (process.getuid?.() !== 0) return undefined;
	const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('nobody:'));
	const [, , uid, gid] = line?.split(':') ?? [];
	if (uid === undefined || gid === undefined) throw new Error('running as root, and there is no "nobody" user to run PostgreSQL as');
	return { uid: Number(uid), gid: Number(gid) };
}

export async function startPostgres(): Promise<RunningPostgres> {
	const bin = findPostgresBin();
	const user = serverUser();
	const dir = await mkdtemp(join(tmpdir(), 'mc-pg-'));
	const data = join(dir, 'data');
	if (user) {
		await chown(dir, user.uid, user.gid);
		await chmod(dir, 0o700);
	}
	await run(join(bin, 'initdb'), ['-D', data, '-U', defaults.role, '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'], user);

	let port = 0;
	let child: ChildProcess | undefined;
	for (let attempt = 1; child === undefined; attempt++) {
		const tryPort = await freePort();
		try {
			child = await launch(bin, data, tryPort, user);
			port = tryPort;
		} catch (error) {
			// A picked free port can be taken before postgres binds it: pick another.
			if (attempt >= defaults.portAttempts) {
				await rm(dir, { recursive: true, force: true });
				throw error;
			}
		}
	}

	let current: ChildProcess | undefined = child;
	let removed = false;
	const url = (database: string) => `postgres://${defaults.role}@127.0.0.1:${port}/${database}`;

	const terminate = async (signal: NodeJS.Signals): Promise<void> => {
		const running = current;
		current = undefined;
		if (running) await signalAndWait(running, signal);
	};

	return {
		url: url('postgres'),
		port,
		dir,
		pids: () => (current?.pid === undefined ? [] : [current.pid, ...childrenOf(current.pid)]),
		async createDatabase() {
			const name = `t_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
			const admin = postgres(url('postgres'), { max: 1, onnotice: () => undefined });
			try {
				await admin.unsafe(`CREATE DATABASE ${name}`);
			} finally {
				await admin.end();
			}
			return url(name);
		},
		async stop() {
			await terminate('SIGINT'); // PostgreSQL's "fast" shutdown
			if (!removed) {
				removed = true;
				await rm(dir, { recursive: true, force: true });
			}
		},
		async kill() {
			await terminate('SIGKILL');
		},
		async restart() {
			if (removed) throw new Error('this PostgreSQL server was stopped and its directory removed');
			await terminate('SIGINT');
			current = await launch(bin, data, port, user);
		}
	};
}

function run(command: string, args: string[], user: { uid: number; gid: number } | undefined): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: '/', ...user });
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-4_000)));
		child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-4_000)));
		child.once('error', (error) => reject(new Error(`${command} did not run: ${error.message}`)));
		child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with code ${code}:\n${output}`))));
	});
}

/** Runs `postgres` detached from the test's process group, so a signal to the tests never reaches it. */
async function launch(bin: string, data: string, port: number, user: { uid: number; gid: number } | undefined): Promise<ChildProcess> {
	const args = [
		'-D', data,
		'-p', String(port),
		'-c', 'listen_addresses=127.0.0.1',
		'-c', 'unix_socket_directories=',
		'-c', 'fsync=off',
		'-c', 'full_page_writes=off',
		'-c', 'max_connections=200',
		'-c', 'shared_buffers=32MB'
	];
	const child = spawn(join(bin, 'postgres'), args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: '/', detached: true, ...user });
	let output = '';
	let ready: () => void = () => undefined;
	const becameReady = new Promise<void>((resolve) => (ready = resolve));
	const collect = (chunk: Buffer) => {
		output = (output + chunk.toString('utf8')).slice(-8_000);
		if (output.includes('database system is ready to accept connections')) ready();
	};
	child.stdout?.on('data', collect);
	child.stderr?.on('data', collect);
	const exited = new Promise<string>((resolve) => {
		child.once('exit', (code, signal) => resolve(`exited with ${signal ?? `code ${code}`}`));
		child.once('error', (error) => resolve(error.message));
	});
	let timer: NodeJS.Timeout | undefined;
	const timedOut = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('timed out'), defaults.readyTimeoutMs)));
	const outcome = await Promise.race([becameReady.then(() => 'ready'), exited, timedOut]);
	clearTimeout(timer);
	if (outcome === 'ready') return child;
	await signalAndWait(child, 'SIGKILL');
	throw new Error(`postgres on port ${port} did not start (${outcome}):\n${output}`);
}

function signalAndWait(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			killGroup(child, 'SIGKILL');
			reject(new Error(`postgres (pid ${child.pid}) did not exit on ${signal}`));
		}, defaults.stopTimeoutMs);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve();
		});
		if (signal === 'SIGKILL') killGroup(child, signal);
		else child.kill(signal);
	});
}

/**
 * Signals the postmaster and every child of it at once: each backend leads a process group of its
 * own, and a postmaster killed alone leaves backends holding its shared memory for a while.
 */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined) return;
	for (const pid of [child.pid, ...childrenOf(child.pid)]) {
		try {
			process.kill(pid, signal);
		} catch {
			// exited meanwhile
		}
	}
}

/** The pids whose parent is `pid`, from /proc (Linux); none where there is no /proc. */
function childrenOf(pid: number): number[] {
	let entries: string[];
	try {
		entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
	} catch {
		return [];
	}
	return entries.flatMap((entry) => {
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			// Fields after the command name: state, ppid, …
			return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid ? [Number(entry)] : [];
		} catch {
			return []; // exited while we looked
		}
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
