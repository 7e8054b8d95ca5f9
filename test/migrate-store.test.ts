/**
 * `npm run migrate-store -- --from sqlite:./data --to $DATABASE_URL` on a real workspace: the sample
 * mission loaded through the API, plus a 5,000-record board with a snapshot, a log after it, a
 * checkpoint, ledger entries and a pruned stretch of history. The command verifies the move itself;
 * the test reads both stores again and compares everything, then checks a second move is refused.
 * Also `npm run migrate` on its own.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fillLargeBoard } from '../src/lib/board/large-board.ts';
import { boardDocName } from '../src/lib/protocol/doc-names.ts';
import { createPostgresStore } from '../server/store/postgres-store.ts';
import { createSqliteStore } from '../server/store/sqlite-store.ts';
import type { Store } from '../server/store/store.ts';
import { startPostgres, type RunningPostgres } from './helpers/postgres-server.ts';
import { startTestServer, tempDir, testAdminToken } from './helpers/server.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

function npmRun(script: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
	const child = spawn('npm', ['run', '--silent', script, '--', ...args], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

const migrateStore = (args: string[]) => npmRun('migrate-store', args);

async function docOf(store: Store, name: string): Promise<Y.Doc> {
	const doc = new Y.Doc();
	for (const update of (await store.loadDoc(name)).updates) Y.applyUpdate(doc, update);
	return doc;
}

describe('npm run migrate-store: SQLite to PostgreSQL', () => {
	let postgres: RunningPostgres;
	const data = tempDir('mc-move-');
	beforeAll(async () => {
		postgres = await startPostgres();
	}, 60_000);
	afterAll(async () => {
		await postgres?.stop();
		data.remove();
	});

	it('moves the sample mission and a 5,000-record board with history, ledger and checkpoints, verified document by document', async () => {
		// The sample mission, loaded through the API of a server on the SQLite store.
		const server = await startTestServer({ dataDir: data.path });
		const response = await fetch(`${server.url}/api/workspace/sample`, { method: 'POST', headers: { authorization: `Bearer ${testAdminToken}` } });
		expect(response.status).toBe(201);
		const { sample } = (await response.json()) as { sample: { boardIds: string[] } };
		await server.close();

		// A 5,000-record board: one update per register, compacted, then more after the snapshot.
		const sqlite = createSqliteStore({ dataDir: data.path, checkpointIntervalMs: 0 });
		const large = new Y.Doc();
		const updates: Uint8Array[] = [];
		large.on('update', (update: Uint8Array) => updates.push(update));
		fillLargeBoard(large, 5_000);
		const hour = 3_600_000;
		const by = { id: 'person:alice', name: 'Alice', department: 'dfe' };
		const largeName = boardDocName('large-5000');
		for (const [i, update] of updates.entries()) {
			await sqlite.appendUpdates(largeName, [{
				update,
				meta: { by: 'person:alice', at: 1_767_000_000_000 + i * hour },
				ledger: [{ by, register: 'dependencies', recordId: `r${i}`, ref: `DEP-${i}`, changes: [{ field: 'title', before: null, after: `T${i}` }] }]
			}]);
			if (i === 1) await sqlite.compact(largeName);
		}
		const [newest] = await sqlite.history(largeName, { limit: 1 });
		await sqlite.putCheckpoint(largeName, newest!.seq, Y.encodeStateAsUpdate(large));
		await sqlite.pruneHistory(largeName, 2, []);
		const sourceNames = (await sqlite.listDocs()).sort();
		const sourceSessions = await sqlite.listRecords('sessions');
		const sourceBoards = await sqlite.listRecords('boards');
		await sqlite.close();
		expect(sourceNames).toContain(largeName);
		for (const id of sample.boardIds) expect(sourceNames).toContain(boardDocName(id));

		const databaseUrl = await postgres.createDatabase();
		const moved = await migrateStore(['--from', `sqlite:${data.path}`, '--to', databaseUrl]);
		expect(moved.stderr).toBe('');
		expect(moved.code).toBe(0);
		expect(moved.stdout).toMatch(new RegExp(`Moved ${sourceNames.length} documents`));
		expect(moved.stdout).toMatch(new RegExp(`Verified: ${sourceNames.length} documents have equal state vectors and states`));

		// Read both stores again, independently of the command's own check.
		const before = createSqliteStore({ dataDir: data.path });
		const after = await createPostgresStore({ url: databaseUrl });
		try {
			expect((await after.listDocs()).sort()).toEqual(sourceNames);
			for (const name of sourceNames) {
				const [a, b] = await Promise.all([docOf(before, name), docOf(after, name)]);
				expect(Y.encodeStateVector(b)).toEqual(Y.encodeStateVector(a));
				expect(b.getMap('dependencies').toJSON()).toEqual(a.getMap('dependencies').toJSON());
				expect(await after.history(name, { limit: Infinity })).toEqual(await before.history(name, { limit: Infinity }));
				expect((await after.loadDoc(name)).logLength).toBe((await before.loadDoc(name)).logLength);
			}
			const largeAfter = await docOf(after, largeName);
			expect(largeAfter.getMap('dependencies').size + largeAfter.getMap('blockers').size + largeAfter.getMap('actions').size + largeAfter.getMap('decisions').size).toBe(5_000);
			expect(await after.ledger(largeName, { limit: 1_000 })).toEqual(await before.ledger(largeName, { limit: 1_000 }));
			// "As at" answers the same, including where retention dropped the updates.
			for (const moment of [1_767_000_000_000, 1_767_000_000_000 + 2 * hour, Number.MAX_SAFE_INTEGER]) {
				const [pastBefore, pastAfter] = await Promise.all([before.loadAsAt(largeName, moment), after.loadAsAt(largeName, moment)]);
				expect(pastAfter).toEqual(pastBefore);
			}
			expect(await after.listRecords('sessions')).toEqual(sourceSessions);
			expect(await after.listRecords('boards')).toEqual(sourceBoards);
			expect(sourceBoards.length).toBeGreaterThanOrEqual(2);
			// The moved log keeps counting from where it was.
			const next = await after.appendUpdates(largeName, [{ update: Y.encodeStateAsUpdate(new Y.Doc()), meta: { by: 'person:alice', at: 0 } }]);
			expect(next.firstSeq).toBe(updates.length + 1);
		} finally {
			await before.close();
			await after.close();
		}

		// A second move into the same database is refused, and leaves it as it was.
		const again = await migrateStore(['--from', `sqlite:${data.path}`, '--to', databaseUrl]);
		expect(again.code).toBe(1);
		expect(again.stderr).toMatch(/the target database is not empty/);
	}, 180_000);

	it('explains its arguments when they are missing or wrong', async () => {
		const missing = await migrateStore([]);
		expect(missing.code).toBe(2);
		expect(missing.stderr).toMatch(/--from is required/);
		const wrong = await migrateStore(['--from', './data', '--to', 'mysql://db']);
		expect(wrong.code).toBe(2);
		expect(wrong.stderr).toMatch(/--from must be sqlite:<data directory>/);
		expect(wrong.stderr).toMatch(/--to must be a postgres:\/\/ or postgresql:\/\/ URL/);
		const nothing = await migrateStore(['--from', 'sqlite:/nonexistent-mc-data', '--to', postgres.url]);
		expect(nothing.code).toBe(1);
		expect(nothing.stderr).toMatch(/there is no SQLite workspace at/);
	}, 60_000);

	it('npm run migrate applies the schema once, then finds nothing to do, and needs DATABASE_URL', async () => {
		const databaseUrl = await postgres.createDatabase();
		const first = await npmRun('migrate', [], { DATABASE_URL: databaseUrl });
		expect(first).toMatchObject({ code: 0, stderr: '' });
		expect(first.stdout).toMatch(/^Applied migration 1; the database is at schema version 1\./);
		const second = await npmRun('migrate', [], { DATABASE_URL: databaseUrl });
		expect(second.stdout).toMatch(/nothing to apply/);
		const unset = await npmRun('migrate', [], { DATABASE_URL: '' });
		expect(unset.code).toBe(1);
		expect(unset.stderr).toMatch(/DATABASE_URL is not set/);
	}, 60_000);
});
