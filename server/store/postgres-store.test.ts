import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startPostgres, type RunningPostgres } from '../../test/helpers/postgres-server.ts';
import { postgresSchemaVersion } from './postgres-schema.ts';
import { createPostgresStore, openPostgres, type PostgresStore } from './postgres-store.ts';
import { describeStoreContract } from './store-contract.ts';
import { StoreUnavailableError, type AppendEntry } from './store.ts';

// One server for the file; every test gets a database of its own.
let server: RunningPostgres;

beforeAll(async () => {
	server = await startPostgres();
}, 60_000);

afterAll(async () => {
	await server?.stop();
});

describeStoreContract('postgres', async () => {
	const url = await server.createDatabase();
	const opened: PostgresStore[] = [];
	const open = async () => {
		const store = await createPostgresStore({ url });
		opened.push(store);
		return store;
	};
	return {
		store: await open(),
		reopen: open,
		cleanup: async () => {
			for (const store of opened) await store.close();
		}
	};
});

/** `count` edits by one client, each as its own update, and the text they produce. */
function textEdits(count: number, clientID = 1): { updates: Uint8Array[]; text: string } {
	const doc = new Y.Doc();
	doc.clientID = clientID;
	const updates: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => updates.push(update));
	for (let i = 0; i < count; i += 1) doc.getText('t').insert(doc.getText('t').length, `${clientID}.${i},`);
	return { updates, text: doc.getText('t').toString() };
}

const entry = (update: Uint8Array, at = 0): AppendEntry => ({ update, meta: { by: 'person:test', at } });

function textOf(updates: Uint8Array[]): string {
	const doc = new Y.Doc();
	for (const update of updates) Y.applyUpdate(doc, update);
	return doc.getText('t').toString();
}

describe('postgres store', () => {
	const opened: PostgresStore[] = [];
	const open = async (url: string) => {
		const store = await createPostgresStore({ url });
		opened.push(store);
		return store;
	};
	afterAll(async () => {
		for (const store of opened) await store.close();
	});

	it('applies its migrations once when several instances start at once, under an advisory lock', async () => {
		const url = await server.createDatabase();
		const stores = await Promise.all(Array.from({ length: 5 }, () => open(url)));
		expect(stores).toHaveLength(5);
		const sql = openPostgres(url, 1);
		try {
			const rows = await sql<{ version: number }[]>`SELECT version FROM schema_migrations ORDER BY version`;
			expect(rows.map((row) => row.version)).toEqual(Array.from({ length: postgresSchemaVersion }, (_, i) => i + 1));
		} finally {
			await sql.end({ timeout: 1 });
		}
	});

	it('refuses a database whose schema is newer than this server knows', async () => {
		const url = await server.createDatabase();
		await (await open(url)).close();
		const sql = openPostgres(url, 1);
		try {
			await sql`INSERT INTO schema_migrations (version) VALUES (${postgresSchemaVersion + 1})`;
		} finally {
			await sql.end({ timeout: 1 });
		}
		await expect(createPostgresStore({ url })).rejects.toThrow(/newer than this server/);
	});

	it('loses nothing when two instances compact the same document while updates keep coming', async () => {
		const url = await server.createDatabase();
		const [first, second] = [await open(url), await open(url)];
		const a = textEdits(100, 1);
		const b = textEdits(100, 2);
		let appending = true;
		const append = async (store: PostgresStore, updates: Uint8Array[]) => {
			for (const update of updates) await store.appendUpdates('board:race', [entry(update)]);
		};
		const compactLoop = async (store: PostgresStore) => {
			while (appending) await store.compact('board:race');
		};
		const compacting = [compactLoop(first), compactLoop(second)];
		await Promise.all([append(first, a.updates), append(second, b.updates)]);
		appending = false;
		await Promise.all(compacting);
		const loaded = await first.loadDoc('board:race');
		const expected = textOf([...a.updates, ...b.updates]);
		expect(textOf(loaded.updates)).toBe(expected);
		expect(await first.history('board:race', { limit: 1_000 })).toHaveLength(200);
		const seqs = (await second.history('board:race', { limit: 1_000 })).map((h) => h.seq).sort((x, y) => x - y);
		expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
	}, 60_000);

	it('fails to start with StoreUnavailableError when nothing listens at the URL', async () => {
		await expect(createPostgresStore({ url: `postgres://mc@127.0.0.1:1/none` })).rejects.toBeInstanceOf(StoreUnavailableError);
	});
});

describe('postgres store across a PostgreSQL crash', () => {
	it('keeps every acknowledged append through SIGKILL and crash recovery, rejecting while down', async () => {
		const url = await server.createDatabase();
		const store = await createPostgresStore({ url });
		try {
			const { updates } = textEdits(60);
			const acknowledged: Uint8Array[] = [];
			for (const update of updates.slice(0, 30)) {
				await store.appendUpdates('board:crash', [entry(update)]);
				acknowledged.push(update);
			}
			// Appends in flight while the server dies: each either was acknowledged or rejected.
			const inFlight = updates.slice(30, 40).map((update) =>
				store.appendUpdates('board:crash', [entry(update)]).then(
					() => acknowledged.push(update),
					(error: unknown) => expect(error).toBeInstanceOf(StoreUnavailableError)
				)
			);
			await server.kill();
			await Promise.all(inFlight);
			await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
			await expect(store.appendUpdates('board:crash', [entry(updates[40]!)])).rejects.toBeInstanceOf(StoreUnavailableError);
			await server.restart();
			await expect(store.ping()).resolves.toBeUndefined();
			const loaded = await store.loadDoc('board:crash');
			// Every acknowledged update is stored byte for byte (one cut off before its reply may be too).
			const stored = new Set(loaded.updates.map((u) => Buffer.from(u).toString('hex')));
			expect(acknowledged.length).toBeGreaterThanOrEqual(30);
			for (const update of acknowledged) expect(stored.has(Buffer.from(update).toString('hex'))).toBe(true);
			expect(textOf(loaded.updates).startsWith(textOf(updates.slice(0, 30)))).toBe(true);
			expect(await store.appendUpdates('board:crash', updates.slice(40).map((u) => entry(u)))).toMatchObject({ logLength: expect.any(Number) });
		} finally {
			await store.close();
		}
	}, 60_000);
});
