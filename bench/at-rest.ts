/**
 * RSS at rest of the production server, the whole app: `node bench/at-rest.ts [--runs 3]
 * [--wait 40,120] [--flags="--max-semi-space-size=4"] [--modules]`. Needs `npm run build`.
 *
 * Seeds one data directory once (a mission with one board, through the API), then for each run
 * starts `npm run serve`'s command line (package.json; `--flags` replaces its node flags) on a fresh
 * copy of it, SQLite store, `NODE_ENV=production`; signs in with the sign-in link, loads the home page
 * and the board page once, and at each of the `--wait` seconds after the pages reads RSS
 * (/proc/<pid>/status) and `mc_memory_bytes` (/metrics). Prints each run and the median per wait.
 * The default waits: 40 s is past the hub's 30 s unload grace (the board's document has gone) and
 * the server's own release at rest 5 s later (`server/rest-memory.ts`, with `--expose-gc`); 120 s is
 * past V8's memory reducer, which at rest runs its first GC about 100 s after the last one and gives
 * back the young generation's pages (about 16 MB with `--max-semi-space-size=8`) by itself.
 * `--modules` also prints the files the server had loaded (a module hook), by package.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sampleProc } from './lib/proc-stats.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const adminToken = 'at-rest-admin-token-0123456789abcdef';
const { values: options } = parseArgs({
	options: {
		runs: { type: 'string', default: '3' },
		wait: { type: 'string', default: '40,120' },
		flags: { type: 'string' },
		modules: { type: 'boolean', default: false }
	}
});

interface Started {
	child: ChildProcess;
	url: string;
	output(): string;
}

function serveCommand(): { script: string; flags: string[] } {
	const { scripts } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: { serve: string } };
	const [, ...args] = scripts.serve.split(/\s+/);
	const script = args.pop() ?? '';
	return { script: join(repoRoot, script), flags: options.flags === undefined ? args : options.flags.split(/\s+/).filter(Boolean) };
}

/** A module hook, preloaded with --import: on SIGUSR2, writes every file URL loaded so far. */
const moduleListerSource = `
import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';
const seen = new Set();
registerHooks({ load(url, context, next) { seen.add(url); return next(url, context); } });
process.on('SIGUSR2', () => writeFileSync(process.env.AT_REST_MODULES_OUT, [...seen].join('\\n')));
`;

async function start(dataDir: string, extraFlags: string[] = [], env: Record<string, string> = {}): Promise<Started> {
	const { script, flags } = serveCommand();
	const child = spawn(process.execPath, [...flags, ...extraFlags, script], {
		cwd: repoRoot,
		env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_TOKEN: adminToken, LOG_LEVEL: 'info', NODE_ENV: 'production', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const port = await new Promise<number>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
		const check = () => {
			const match = /"port":(\d+)/.exec(output);
			if (match) {
				clearTimeout(timer);
				resolve(Number(match[1]));
			} else if (child.exitCode !== null) reject(new Error(`server exited:\n${output}`));
			else setTimeout(check, 50);
		};
		check();
	});
	return { child, url: `http://127.0.0.1:${port}`, output: () => output };
}

async function stop(started: Started): Promise<void> {
	const exited = new Promise((resolve) => started.child.once('exit', resolve));
	started.child.kill('SIGTERM');
	await exited;
}

async function api<T>(url: string, path: string, body: unknown): Promise<T> {
	const answer = await fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
	if (!answer.ok) throw new Error(`${path}: ${answer.status} ${await answer.text()}`);
	return (await answer.json()) as T;
}

async function seed(): Promise<{ dir: string; boardId: string }> {
	const dir = mkdtempSync(join(tmpdir(), 'mc-at-rest-seed-'));
	const server = await start(dir);
	try {
		const mission = await api<{ id: string }>(server.url, '/api/missions', { title: 'At rest' });
		const board = await api<{ id: string }>(server.url, `/api/missions/${mission.id}/boards`, { title: 'At rest board' });
		return { dir, boardId: board.id };
	} finally {
		await stop(server);
	}
}

async function page(url: string, path: string, cookie: string): Promise<void> {
	const answer = await fetch(`${url}${path}`, { headers: { cookie } });
	if (answer.status !== 200) throw new Error(`${path}: ${answer.status}`);
	await answer.arrayBuffer();
}

function memoryMetric(text: string, kind: string): number {
	const match = new RegExp(`^mc_memory_bytes\\{kind="${kind}"\\} (\\S+)$`, 'm').exec(text);
	return match ? Number(match[1]) / 1_048_576 : NaN;
}

function byPackage(urls: string[]): string[] {
	const groups = new Map<string, number>();
	for (const url of urls) {
		if (!url.startsWith('file:')) continue;
		const match = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
		const key = match ? match[1]! : url.replace(`file://${repoRoot}`, '');
		groups.set(key, (groups.get(key) ?? 0) + 1);
	}
	return [...groups].sort((a, b) => b[1] - a[1]).map(([key, count]) => `${String(count).padStart(5)}  ${key}`);
}

const waits = options.wait.split(',').map(Number);

async function run(seeded: { dir: string; boardId: string }, index: number): Promise<number[]> {
	const dir = mkdtempSync(join(tmpdir(), 'mc-at-rest-'));
	cpSync(seeded.dir, dir, { recursive: true });
	const modulesOut = join(dir, 'modules.txt');
	const lister = join(dir, 'module-lister.mjs');
	if (options.modules) writeFileSync(lister, moduleListerSource);
	const server = await start(dir, options.modules ? ['--import', lister] : [], { AT_REST_MODULES_OUT: modulesOut });
	try {
		const login = await fetch(`${server.url}/login?token=${adminToken}`, { redirect: 'manual' });
		const cookie = login.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
		if (!cookie) throw new Error(`sign-in set no cookie (${login.status})`);
		await page(server.url, '/', cookie);
		await page(server.url, `/boards/${seeded.boardId}`, cookie);
		const loaded = Date.now();
		const samples: number[] = [];
		for (const wait of waits) {
			await new Promise((resolve) => setTimeout(resolve, Math.max(0, loaded + wait * 1000 - Date.now())));
			const rss = sampleProc(server.child.pid!).rssBytes / 1_048_576;
			const metrics = await (await fetch(`${server.url}/metrics`)).text();
			console.log(`run ${index + 1}, ${wait} s: RSS ${rss.toFixed(1)} MB; heap used ${memoryMetric(metrics, 'heap_used').toFixed(1)} / total ${memoryMetric(metrics, 'heap_total').toFixed(1)} MB; external ${memoryMetric(metrics, 'external').toFixed(1)} MB`);
			samples.push(rss);
		}
		if (options.modules) {
			server.child.kill('SIGUSR2');
			await new Promise((resolve) => setTimeout(resolve, 500));
			const urls = readFileSync(modulesOut, 'utf8').split('\n');
			console.log(`modules loaded: ${urls.length}\n${byPackage(urls).join('\n')}`);
		}
		return samples;
	} finally {
		await stop(server);
		rmSync(dir, { recursive: true, force: true });
	}
}

const seeded = await seed();
try {
	const { flags } = serveCommand();
	console.log(`node ${flags.join(' ')} build/backend/main.js; RSS ${waits.join(', ')} s after the pages`);
	const runs: number[][] = [];
	for (let index = 0; index < Number(options.runs); index++) runs.push(await run(seeded, index));
	waits.forEach((wait, at) => {
		const samples = runs.map((samples) => samples[at]!);
		const sorted = [...samples].sort((a, b) => a - b);
		console.log(`median RSS at rest, ${wait} s after the pages: ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} MB (of ${samples.map((value) => value.toFixed(1)).join(', ')})`);
	});
} finally {
	rmSync(seeded.dir, { recursive: true, force: true });
}
