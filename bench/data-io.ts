/**
 * `node bench/data-io.ts`: how long exports of a 5,000-record board take through the real HTTP
 * API (CSV of the dependencies, XLSX and HTML of the whole board), each the median of 3 runs.
 * Needs `npm run build` (the server loads build/). Prints figures; asserts nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fillLargeBoard } from '#lib/board/large-board.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import { adminPrincipal } from '../server/auth/principal.ts';
import { parseConfig } from '../server/config.ts';
import { startServer } from '../server/http-server.ts';

const token = 'bench-admin-token-0123456789abcdef';
const records = Number(process.env.RECORDS ?? 5_000);
const runs = 3;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
	const dataDir = mkdtempSync(join(tmpdir(), 'mc-bench-io-'));
	const server = await startServer(parseConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_TOKEN: token, LOG_LEVEL: 'silent' }));
	const call = async (method: string, path: string, body?: unknown) => {
		const response = await fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
		return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
	};
	try {
		const mission = JSON.parse((await call('POST', '/api/missions', { title: 'Bench' })).bytes.toString());
		const board = JSON.parse((await call('POST', `/api/missions/${mission.id}/boards`, { title: 'Large board' })).bytes.toString());
		await server.backend.hub.transact(boardDocName(board.id), adminPrincipal, (doc) => fillLargeBoard(doc, records));
		console.log(`board of ${records} records`);
		for (const path of ['export.csv?register=dependencies', 'export.xlsx', 'export.html']) {
			const times: number[] = [];
			let size = 0;
			for (let i = 0; i < runs; i++) {
				const started = performance.now();
				const answer = await call('GET', `/api/boards/${board.id}/${path}`);
				times.push(performance.now() - started);
				if (answer.status !== 200) throw new Error(`${path}: HTTP ${answer.status} ${answer.bytes.toString().slice(0, 200)}`);
				size = answer.bytes.length;
			}
			console.log(`${path.padEnd(34)} median ${median(times).toFixed(0).padStart(6)} ms  (${times.map((t) => t.toFixed(0)).join(', ')})  ${(size / 1024 / 1024).toFixed(2)} MB`);
		}
	} finally {
		await server.close();
		rmSync(dataDir, { recursive: true, force: true });
	}
}

await main();
