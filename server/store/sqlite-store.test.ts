import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openSqliteDatabase, sqliteDatabaseDefaults, sqliteMigrations, sqliteSchemaVersion } from './sqlite-database.ts';
import { createSqliteStore, sqliteStoreDefaults } from './sqlite-store.ts';
import { describeStoreContract } from './store-contract.ts';
import { StoreUnavailableError, type Store } from './store.ts';

const storeModuleUrl = new URL('./sqlite-store.ts', import.meta.url).href;

describeStoreContract('sqlite', async () => {
	const dataDir = await mkdtemp(join(tmpdir(), 'mc-sqlite-contract-'));
	const opened: Store[] = [];
	const open = (): Store => {
		const store = createSqliteStore({ dataDir });
		opened.push(store);
		return store;
	};
	return {
		store: open(),
		reopen: async () => open(),
		cleanup: async () => {
			for (const store of opened) await store.close();
			await rm(dataDir, { recursive: true, force: true });
		}
	};
});

/**
 * A second process on the same file: appends each update (base64 lines in `updatesFile`) in its own
 * call to `docName`, then either kills itself with SIGKILL the moment the last append resolved, or exits.
 */
const childScript = `
import { readFileSync } from 'node:fs';
const [storeUrl, dataDir, docName, updatesFile, ending] = process.argv.slice(1);
const { createSqliteStore } = await import(storeUrl);
const store = createSqliteStore({ dataDir });
const lines = readFileSync(updatesFile, 'utf8').split('\\n').filter(Boolean);
for (const [i, line] of lines.entries()) {
	await store.appendUpdates(docName, [{ update: Buffer.from(line, 'base64'), meta: { by: 'person:child', at: i } }]);
	if (i % 25 === 24) await new Promise((resolve) => setTimeout(resolve, 1));
}
if (ending === 'kill') process.kill(process.pid, 'SIGKILL');
await store.close();
`;

interface ChildExit {
	code: number | null;
	signal: NodeJS.Signals | null;
	stderr: string;
}

function runChild(args: string[]): Promise<ChildExit> {
	const child = spawn(process.execPath, ['--input-type=module', '--no-warnings', '-e', childScript, ...args], {
		stdio: ['ignore', 'ignore', 'pipe']
	});
	let stderr = '';
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	return new Promise((resolve, reject) => {
		child.once('error', reject);
		child.once('exit', (code, signal) => resolve({ code, signal, stderr }));
	});
}

/** `count` edits by one client, each as its own update, and the text they produce. */
function textEdits(count: number, padding = ''): { updates: Uint8Array[]; text: string } {
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => updates.push(update));
	for (let i = 0; i < count; i += 1) doc.getText('t').insert(doc.getText('t').length, `${i},${padding}`);
	return { updates, text: doc.getText('t').toString() };
}

describe('sqlite store', () => {
	let dataDir: string;
	beforeEach(async () => {
		dataDir = await mkdtemp(join(tmpdir(), 'mc-sqlite-'));
	});
	afterEach(async () => {
		await rm(dataDir, { recursive: true, force: true });
	});

	it('creates a missing data directory, uses WAL and records its schema version', async () => {
		const nested = join(dataDir, 'a', 'b');
		const store = createSqliteStore({ dataDir: nested });
		await store.putRecord('people', 'p', { name: 'Ada' });
		const db = new DatabaseSync(join(nested, sqliteStoreDefaults.fileName), { readOnly: true });
		expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
		expect(db.prepare('PRAGMA user_version').get()).toEqual({ user_version: sqliteSchemaVersion });
		expect(db.prepare('SELECT json FROM records').get()).toEqual({ json: '{"name":"Ada"}' });
		db.close();
		await store.close();
	});

	it('checkpoints its WAL every walAutocheckpointPages pages, not SQLite\'s 1,000', async () => {
		const db = openSqliteDatabase(join(dataDir, 'pragmas.db'));
		expect(db.prepare('PRAGMA wal_autocheckpoint').get()).toEqual({ wal_autocheckpoint: sqliteDatabaseDefaults.walAutocheckpointPages });
		expect(sqliteDatabaseDefaults.walAutocheckpointPages).toBeGreaterThan(1_000);
		db.close();
	});

	it('uses the given file name', async () => {
		const store = createSqliteStore({ dataDir, fileName: 'other.db' });
		await store.putRecord('c', 'i', 1);
		await store.close();
		expect((await readFile(join(dataDir, 'other.db'))).subarray(0, 15).toString()).toBe('SQLite format 3');
	});

	it('reports a data directory that cannot be created as unavailable', async () => {
		await writeFile(join(dataDir, 'a-file'), 'not a directory');
		expect(() => createSqliteStore({ dataDir: join(dataDir, 'a-file', 'data') })).toThrow(StoreUnavailableError);
	});

	it('reports a file that is not a database as unavailable', async () => {
		await writeFile(join(dataDir, 'bad.db'), 'x'.repeat(4_096));
		expect(() => createSqliteStore({ dataDir, fileName: 'bad.db' })).toThrow(StoreUnavailableError);
	});

	it('moves the ledger of a database written before it lived in the history rows, and reads it the same', async () => {
		const file = join(dataDir, sqliteStoreDefaults.fileName);
		const old = new DatabaseSync(file);
		const before = sqliteSchemaVersion - 1;
		for (const sql of sqliteMigrations.slice(0, before)) old.exec(sql);
		old.exec(`PRAGMA user_version = ${before}`);
		const by = { id: 'person:alice', name: 'Alice', department: null };
		const ledgerEntry = (seq: number, recordId: string, field: string) => ({ seq, at: seq * 1_000, by, register: 'actions', recordId, ref: `ACT-${recordId}`, changes: [{ field, before: null, after: seq }] });
		old.exec("INSERT INTO docs (name) VALUES ('board:old')");
		const log = old.prepare(`INSERT INTO doc_log (doc, seq, kind, data, "by", at) VALUES (?, ?, 'update', ?, 'person:alice', ?)`);
		const history = old.prepare('INSERT INTO doc_history (doc, seq, "by", at, bytes, data) VALUES (?, ?, ?, ?, 1, ?)');
		const ledger = old.prepare('INSERT INTO doc_ledger (doc, seq, n, record_id, entry) VALUES (?, ?, ?, ?, ?)');
		const written = [ledgerEntry(1, 'a', 'title'), ledgerEntry(1, 'b', 'title'), ledgerEntry(3, 'a', 'status')];
		for (const seq of [1, 2, 3]) {
			log.run('board:old', seq, new Uint8Array([seq]), seq * 1_000);
			history.run('board:old', seq, 'person:alice', seq * 1_000, new Uint8Array([seq]));
		}
		written.forEach((entry, index) => ledger.run('board:old', entry.seq, index === 1 ? 1 : 0, entry.recordId, JSON.stringify(entry)));
		old.close();

		const store = createSqliteStore({ dataDir });
		expect(await store.ledger('board:old')).toEqual([written[2], written[1], written[0]]);
		expect(await store.ledger('board:old', { recordId: 'a' })).toEqual([written[2], written[0]]);
		expect(await store.ledger('board:old', { recordId: 'b' })).toEqual([written[1]]);
		const { firstSeq } = await store.appendUpdates('board:old', [{ update: new Uint8Array([4]), meta: { by: 'person:alice', at: 4_000 }, ledger: [{ by, register: 'actions', recordId: 'b', ref: 'ACT-b', changes: [] }] }]);
		expect(firstSeq).toBe(4);
		expect((await store.ledger('board:old', { recordId: 'b' })).map((entry) => entry.seq)).toEqual([4, 1]);
		await store.close();
		const db = new DatabaseSync(file, { readOnly: true });
		expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'doc_ledger'").get()).toBeUndefined();
		expect(db.prepare('SELECT ledger_indexed FROM docs').get()).toEqual({ ledger_indexed: 3 });
		db.close();
	});

	it('refuses a database written by a newer schema', async () => {
		const db = new DatabaseSync(join(dataDir, sqliteStoreDefaults.fileName));
		db.exec('PRAGMA user_version = 99');
		db.close();
		expect(() => createSqliteStore({ dataDir })).toThrow(/schema version 99/);
	});

	it('rejects every call with StoreUnavailableError once closed', async () => {
		const store = createSqliteStore({ dataDir });
		await store.close();
		await expect(store.loadDoc('board:1')).rejects.toBeInstanceOf(StoreUnavailableError);
		await expect(store.appendUpdates('board:1', [])).rejects.toBeInstanceOf(StoreUnavailableError);
		await expect(store.getRecord('c', 'i')).rejects.toBeInstanceOf(StoreUnavailableError);
	});

	it('rolls back a compaction that cannot merge, keeping the log intact', async () => {
		const store = createSqliteStore({ dataDir });
		const { updates } = textEdits(2);
		const garbage = new Uint8Array([255, 255, 255, 255]);
		for (const update of [...updates, garbage]) {
			await store.appendUpdates('board:1', [{ update, meta: { by: 'person:a', at: 1 } }]);
		}
		await expect(store.compact('board:1')).rejects.toThrow();
		const loaded = await store.loadDoc('board:1');
		expect(loaded.logLength).toBe(3);
		expect(loaded.updates.map((u) => Buffer.from(u))).toEqual([...updates, garbage].map((u) => Buffer.from(u)));
		await store.close();
	});

	it('merges a small document on the event loop', async () => {
		const store = createSqliteStore({ dataDir });
		const { updates, text } = textEdits(50);
		for (const update of updates) await store.appendUpdates('board:1', [{ update, meta: { by: 'person:a', at: 1 } }]);
		let loopTurned = false;
		setImmediate(() => {
			loopTurned = true;
		});
		await store.compact('board:1');
		expect(loopTurned).toBe(false);
		const loaded = await store.loadDoc('board:1');
		expect(loaded.logLength).toBe(0);
		const doc = new Y.Doc();
		Y.applyUpdate(doc, loaded.updates[0]!);
		expect(doc.getText('t').toString()).toBe(text);
		await store.close();
	});

	it('merges a large document off the event loop, keeping what is appended meanwhile', async () => {
		const store = createSqliteStore({ dataDir });
		// More than mergeOnLoopBelowBytes stored: 300 edits of 1 KB.
		const { updates, text } = textEdits(300, 'x'.repeat(1024));
		expect(updates.reduce((sum, update) => sum + update.byteLength, 0)).toBeGreaterThan(sqliteStoreDefaults.mergeOnLoopBelowBytes);
		for (const update of updates) await store.appendUpdates('board:1', [{ update, meta: { by: 'person:a', at: 1 } }]);
		// Merged on the loop, the compaction was done before compact() returned: nothing else ran.
		let loopTurned = false;
		setImmediate(() => {
			loopTurned = true;
		});
		const compaction = store.compact('board:1');
		const more = new Y.Doc();
		for (const update of updates) Y.applyUpdate(more, update);
		let appended: Uint8Array | undefined;
		more.on('update', (update: Uint8Array) => (appended = update));
		more.getText('t').insert(0, '!');
		await store.appendUpdates('board:1', [{ update: appended!, meta: { by: 'person:b', at: 2 } }]);
		await compaction;
		expect(loopTurned).toBe(true);
		// Merged with the rest or left in the log after the snapshot, the late update is there.
		const loaded = await store.loadDoc('board:1');
		expect(loaded.logLength).toBeLessThanOrEqual(1);
		expect(loaded.updates).toHaveLength(loaded.logLength + 1);
		const doc = new Y.Doc();
		for (const update of loaded.updates) Y.applyUpdate(doc, update);
		expect(doc.getText('t').toString()).toBe(`!${text}`);
		await store.close();
	});

	it('keeps what a process appended when it is killed with SIGKILL right after the append resolved', async () => {
		const { updates, text } = textEdits(40);
		const updatesFile = join(dataDir, 'updates.txt');
		await writeFile(updatesFile, updates.map((u) => Buffer.from(u).toString('base64')).join('\n'));
		const exit = await runChild([storeModuleUrl, dataDir, 'board:kill', updatesFile, 'kill']);
		expect(exit).toMatchObject({ signal: 'SIGKILL', stderr: '' });

		const store = createSqliteStore({ dataDir });
		const loaded = await store.loadDoc('board:kill');
		expect(loaded.logLength).toBe(40);
		const doc = new Y.Doc();
		for (const update of loaded.updates) Y.applyUpdate(doc, update);
		expect(doc.getText('t').toString()).toBe(text);
		expect(await store.history('board:kill', { limit: 1 })).toMatchObject([{ by: 'person:child', at: 39 }]);
		await store.close();
	});

	it('loses nothing when another process appends while this one compacts the same document', async () => {
		const { updates, text } = textEdits(400);
		const updatesFile = join(dataDir, 'updates.txt');
		await writeFile(updatesFile, updates.map((u) => Buffer.from(u).toString('base64')).join('\n'));
		const store = createSqliteStore({ dataDir });
		let exited = false;
		const exit = runChild([storeModuleUrl, dataDir, 'board:shared', updatesFile, 'exit']).finally(() => {
			exited = true;
		});
		while (!exited) {
			await store.compact('board:shared');
			await new Promise((resolve) => setTimeout(resolve, 1));
		}
		expect(await exit).toMatchObject({ code: 0, stderr: '' });

		const loaded = await store.loadDoc('board:shared');
		expect(loaded.updates.length).toBeGreaterThanOrEqual(loaded.logLength);
		const doc = new Y.Doc();
		for (const update of loaded.updates) Y.applyUpdate(doc, update);
		expect(doc.getText('t').toString()).toBe(text);
		expect(await store.history('board:shared', { limit: 1_000 })).toHaveLength(400);
		await store.compact('board:shared');
		expect((await store.loadDoc('board:shared')).updates).toHaveLength(1);
		await store.close();
	}, 20_000);
});
