/**
 * The production server: `npm run build` bundles server/ into build/backend/ and `npm run serve`
 * runs `node build/backend/main.js`, JavaScript only. These check that the bundle finds the files it
 * names relative to itself (the SvelteKit handler, package.json, the worker threads' built files, never a
 * `.ts` source, which would load Node's type stripper after all) and serves.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { summariseLive } from '../server/redis/anti-entropy-compare.ts';
import type { YjsAnswer, YjsRequest } from '../server/redis/yjs-worker.ts';
import { spawnServer, tempDir, testAdminToken } from './helpers/server.ts';

const backendDir = fileURLToPath(new URL('../build/backend/', import.meta.url));
const packageVersion = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('the built server (build/backend)', () => {
	it('names only files that exist with new URL(…, import.meta.url)', () => {
		const named: string[] = [];
		for (const file of readdirSync(backendDir).filter((name) => name.endsWith('.js'))) {
			const code = readFileSync(join(backendDir, file), 'utf8');
			for (const [, path] of code.matchAll(/new URL\([`'"]([^`'"]+)[`'"],\s*import\.meta\.url\)/g)) named.push(fileURLToPath(new URL(path!, pathToFileURL(join(backendDir, file)))));
		}
		expect(named.length).toBeGreaterThanOrEqual(3);
		expect(named.filter((path) => !existsSync(path))).toEqual([]);
		expect(named.filter((path) => path.endsWith('.ts'))).toEqual([]);
	});

	it('starts, reports the package version and serves pages and the API', async () => {
		const data = tempDir();
		const server = await spawnServer({ DATA_DIR: data.path }, 'build/backend/main.js');
		try {
			const health = (await (await fetch(`${server.url}/healthz`)).json()) as { status: string; version: string };
			expect(health).toMatchObject({ status: 'ok', version: packageVersion });
			expect((await fetch(`${server.url}/login`)).status).toBe(200);
			const missions = await fetch(`${server.url}/api/missions`, { headers: { authorization: `Bearer ${testAdminToken}` } });
			expect(missions.status).toBe(200);
		} finally {
			expect(await server.stop()).toBe(0);
			data.remove();
		}
	});

	it('loads the libraries of rarely used features on first use, not at start', async () => {
		const data = tempDir();
		const out = join(data.path, 'loaded-modules.txt');
		const hook = fileURLToPath(new URL('./helpers/loaded-modules.mjs', import.meta.url));
		let urls: string[];
		try {
			const server = await spawnServer({ DATA_DIR: data.path, NODE_OPTIONS: `--import ${hook}`, LOADED_MODULES_OUT: out }, 'build/backend/main.js');
			expect((await fetch(`${server.url}/login`)).status).toBe(200);
			expect(await server.stop()).toBe(0);
			urls = readFileSync(out, 'utf8').split('\n');
		} finally {
			data.remove();
		}
		const packages = new Set(urls.map((url) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1]));
		// The hook saw the server's own dependencies load, so an absence below means something.
		expect(packages).toContain('yjs');
		expect(packages).toContain('socket.io');
		// Imports and exports (CSV, spreadsheets, PDF), mail and single sign-on load when first used.
		const onFirstUse = ['csv-parse', 'csv-stringify', 'exceljs', 'pdfkit', 'nodemailer', 'openid-client'];
		expect(onFirstUse.filter((name) => packages.has(name))).toEqual([]);
		// rate-limiter-flexible: the files of the limiter in use, not the index that requires all of its limiters.
		const limiterFiles = urls.filter((url) => url.includes('/rate-limiter-flexible/'));
		expect(limiterFiles.some((url) => url.endsWith('/lib/RateLimiterMemory.js'))).toBe(true);
		expect(limiterFiles.filter((url) => /\/(index|RateLimiterMongo|RateLimiterRedis)\.js$/.test(url))).toEqual([]);
	});

	it('runs the Yjs thread (anti-entropy compare and compaction merge) from its built file', async () => {
		const stored = new Y.Doc();
		stored.getMap('records').set('r1', 'stored only');
		const worker = new Worker(join(backendDir, 'yjs-worker.js'));
		const ask = (request: YjsRequest) =>
			new Promise<YjsAnswer>((resolve, reject) => {
				worker.once('message', resolve);
				worker.once('error', reject);
				worker.postMessage(request);
			});
		try {
			const answer = await ask({ id: 1, kind: 'compare', stored: [Y.encodeStateAsUpdate(stored)], live: summariseLive(new Y.Doc()) });
			expect('missing' in answer && answer.missing).toBeTruthy();
			const live = new Y.Doc();
			if ('missing' in answer && answer.missing) Y.applyUpdate(live, answer.missing);
			expect(live.getMap('records').get('r1')).toBe('stored only');
			const merged = await ask({ id: 2, kind: 'merge', updates: [Y.encodeStateAsUpdate(stored), Y.encodeStateAsUpdate(live)] });
			expect('merged' in merged && merged.merged).toBeInstanceOf(Uint8Array);
		} finally {
			await worker.terminate();
		}
	});
});
