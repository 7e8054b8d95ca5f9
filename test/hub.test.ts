import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { WebSocket } from 'ws';
import { closeCodes } from '#lib/protocol/close-codes.ts';
import { closeCodeOf, connectClient, eventually, rawSocket, upgradeAnswer, type TestClient } from './helpers/clients.ts';
import { startTestServer, testAdminToken, type TestServer } from './helpers/server.ts';

describe('document hub', () => {
	let server: TestServer;
	const clients: TestClient[] = [];
	const client = (doc: string, options?: Parameters<typeof connectClient>[2]) => {
		const made = connectClient(server.wsUrl, doc, options);
		clients.push(made);
		return made;
	};

	beforeAll(async () => {
		server = await startTestServer({ hubLimits: { maxMessageBytes: 64 * 1024, unloadGraceMs: 200 } });
	});
	afterAll(async () => {
		for (const made of clients) made.destroy();
		await server.close();
	});

	it('two clients editing concurrently converge, and a late joiner gets the full state', async () => {
		const a = client('converge');
		const b = client('converge');
		await Promise.all([a.synced, b.synced]);
		for (let i = 0; i < 50; i++) {
			a.doc.getArray<number>('list').push([i]);
			b.doc.getMap('map').set(`k${i}`, i);
			b.doc.getText('text').insert(0, 'b');
			a.doc.getText('text').insert(0, 'a');
		}
		await eventually(() => {
			expect(a.doc.getArray('list').length).toBe(50);
			expect(b.doc.getArray('list').length).toBe(50);
			expect(a.doc.getMap('map').size).toBe(50);
			expect(a.doc.getText('text').toString()).toBe(b.doc.getText('text').toString());
			expect(a.doc.getText('text').length).toBe(100);
		});
		const late = client('converge');
		await late.synced;
		await eventually(() => expect(Y.encodeStateVector(late.doc)).toEqual(Y.encodeStateVector(a.doc)));
		expect(late.doc.getText('text').toString()).toBe(a.doc.getText('text').toString());
	});

	it('removes the awareness state of a peer that closed', async () => {
		const a = client('presence');
		const b = client('presence');
		await Promise.all([a.synced, b.synced]);
		a.provider.awareness.setLocalStateField('user', { name: 'Someone else' });
		a.provider.awareness.setLocalStateField('cursor', { ref: 'DEP-1' });
		// The server sets `user` from the authenticated principal: a client cannot claim another name.
		await eventually(() =>
			expect(b.provider.awareness.getStates().get(a.doc.clientID)).toEqual({
				cursor: { ref: 'DEP-1' },
				user: { id: 'admin', name: 'Administrator', role: 'lead', department: null }
			})
		);
		a.provider.destroy();
		await eventually(() => expect(b.provider.awareness.getStates().has(a.doc.clientID)).toBe(false));
	});

	it('answers an upgrade without a credential with 401 and no websocket', async () => {
		await expect(rawSocket(`${server.wsUrl}/yjs/anything`)).rejects.toMatchObject({ status: 401 });
		await expect(rawSocket(`${server.wsUrl}/yjs/anything?token=wrong-token-wrong-token-wrong`)).rejects.toMatchObject({ status: 401 });
		await expect(rawSocket(`${server.wsUrl}/yjs/anything`, { authorization: 'Bearer not-the-admin-token-at-all' })).rejects.toMatchObject({ status: 401 });
		const answer = await upgradeAnswer(`${server.wsUrl}/yjs/anything`);
		expect(answer.status).toBe(401);
		expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'unauthenticated' } });
	});

	it('accepts the admin token as ?token= and as Authorization: Bearer', async () => {
		const byQuery = await rawSocket(`${server.wsUrl}/yjs/auth-ok?token=${testAdminToken}`);
		const byHeader = await rawSocket(`${server.wsUrl}/yjs/auth-ok`, { authorization: `Bearer ${testAdminToken}` });
		expect([byQuery.readyState, byHeader.readyState]).toEqual([byQuery.OPEN, byHeader.OPEN]);
		byQuery.close();
		byHeader.close();
	});

	it('answers a malformed document name with 404', async () => {
		await expect(rawSocket(`${server.wsUrl}/yjs/${encodeURIComponent('../etc/passwd')}?token=${testAdminToken}`)).rejects.toMatchObject({ status: 404 });
		await expect(rawSocket(`${server.wsUrl}/yjs/${'x'.repeat(200)}?token=${testAdminToken}`)).rejects.toMatchObject({ status: 404 });
	});

	describe('bad input closes only the offending connection', () => {
		const cases: Array<[string, () => Buffer | string, number]> = [
			['a garbage frame', () => Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), closeCodes.malformedMessage],
			['a truncated frame', () => Buffer.from(syncUpdateMessage().subarray(0, 6)), closeCodes.malformedMessage],
			['an unknown message type', () => Buffer.from([42, 0]), closeCodes.malformedMessage],
			['an unknown sync step', () => Buffer.from([0, 9, 0]), closeCodes.malformedMessage],
			['a corrupt update', () => Buffer.from([0, 2, 5, 1, 200, 200, 200, 200]), closeCodes.malformedMessage],
			['a corrupt awareness update', () => Buffer.from([1, 4, 1, 1, 1, 9]), closeCodes.malformedMessage],
			['a text frame', () => 'hello', closeCodes.malformedMessage],
			['an oversized message', () => Buffer.alloc(128 * 1024, 1), closeCodes.messageTooBig]
		];
		for (const [name, message, expected] of cases) {
			it(`${name}`, async () => {
				const docName = `bad-${name.replace(/\W+/g, '-')}`;
				const a = client(docName);
				const b = client(docName);
				await Promise.all([a.synced, b.synced]);
				const rejectedBefore = await rejectedCount(server);
				const attacker = await rawSocket(`${server.wsUrl}/yjs/${docName}?token=${testAdminToken}`);
				const closed = closeCodeOf(attacker);
				attacker.send(message());
				expect(await closed).toBe(expected);
				a.doc.getMap('m').set('after', name);
				await eventually(() => expect(b.doc.getMap('m').get('after')).toBe(name));
				expect(await rejectedCount(server)).toBeGreaterThan(rejectedBefore);
				const health = await fetch(`${server.url}/healthz`);
				expect(health.status).toBe(200);
			});
		}
	});

	it('drops a frame that claims more bytes than it has without touching the document', async () => {
		const a = client('truncated-state');
		await a.synced;
		a.doc.getMap('m').set('keep', 1);
		await eventually(async () => expect(await storedValue(server, 'truncated-state', 'keep')).toBe(1));
		const attacker = await rawSocket(`${server.wsUrl}/yjs/truncated-state?token=${testAdminToken}`);
		const closed = closeCodeOf(attacker);
		const full = syncUpdateMessage();
		attacker.send(Buffer.concat([full.subarray(0, 3), Buffer.from([0xff, 0xff, 0x03])]));
		expect(await closed).toBe(closeCodes.malformedMessage);
		expect(await storedValue(server, 'truncated-state', 'keep')).toBe(1);
	});

	it('acknowledges a peer\'s opening answer that brings nothing new (a deletion it already holds), and only that answer', async () => {
		const a = client('opening-ack');
		await a.synced;
		a.doc.getText('t').insert(0, 'hello!');
		a.doc.getText('t').delete(5, 1);
		await eventually(async () => expect(await server.backend.hub.withDoc('opening-ack', (shared) => shared.doc.getText('t').toString())).toBe('hello'));
		// A stock client that already holds all of it (the deletion included), as a page reloading
		// with its deletion not yet acknowledged does. Like y-websocket, it answers every step 1 with a step 2.
		const held = new Y.Doc();
		Y.applyUpdate(held, Y.encodeStateAsUpdate(a.doc));
		// Listening before the connection opens: the opening step 1 can arrive with the upgrade's answer.
		const socket = new WebSocket(`${server.wsUrl}/yjs/opening-ack?token=${testAdminToken}`);
		const step1s: Uint8Array[] = [];
		socket.on('message', (data: Buffer) => {
			const decoder = decoding.createDecoder(new Uint8Array(data));
			if (decoding.readVarUint(decoder) !== 0 || decoding.readVarUint(decoder) !== syncProtocol.messageYjsSyncStep1) return;
			const vector = decoding.readVarUint8Array(decoder);
			step1s.push(vector);
			const answer = encoding.createEncoder();
			encoding.writeVarUint(answer, 0);
			syncProtocol.writeSyncStep2(answer, held, vector);
			socket.send(encoding.toUint8Array(answer));
		});
		// The opening step 1, then the acknowledgement of the answer to it.
		await eventually(() => expect(step1s).toHaveLength(2));
		expect(Y.decodeStateVector(step1s[1]!)).toEqual(Y.decodeStateVector(Y.encodeStateVector(held)));
		// The answer to the acknowledgement is not acknowledged in turn: no endless exchange.
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(step1s).toHaveLength(2);
		socket.close();
	});

	it('answers query-awareness with the current states', async () => {
		const a = client('query-awareness');
		await a.synced;
		a.provider.awareness.setLocalStateField('cursor', { note: 'Grace' });
		await new Promise((resolve) => setTimeout(resolve, 100));
		const socket = await rawSocket(`${server.wsUrl}/yjs/query-awareness?token=${testAdminToken}`);
		const received: Buffer[] = [];
		socket.on('message', (data: Buffer) => received.push(data));
		socket.send(Buffer.from([3]));
		await eventually(() => expect(received.some((data) => data[0] === 1 && data.toString().includes('Grace'))).toBe(true));
		socket.close();
	});

	it('unloads an idle document after the grace period and loads it again intact', async () => {
		const a = client('unload-me');
		await a.synced;
		a.doc.getMap('m').set('x', 'kept');
		await eventually(async () => expect(await storedValue(server, 'unload-me', 'x')).toBe('kept'));
		a.provider.destroy();
		await eventually(() => expect(server.backend.hub.loadedDocs).not.toContain('unload-me'));
		const b = client('unload-me');
		await b.synced;
		expect(b.doc.getMap('m').get('x')).toBe('kept');
	});

	it('loads a document once when many peers arrive together', async () => {
		const before = await server.backend.metrics.storeLoadSeconds.get();
		const countBefore = before.values.find((v) => v.metricName === 'mc_store_load_seconds_count')?.value ?? 0;
		const crowd = Array.from({ length: 20 }, () => client('crowd'));
		await Promise.all(crowd.map((c) => c.synced));
		const after = await server.backend.metrics.storeLoadSeconds.get();
		const countAfter = after.values.find((v) => v.metricName === 'mc_store_load_seconds_count')?.value ?? 0;
		expect(countAfter - countBefore).toBe(1);
	});

	it('serves /healthz and /metrics', async () => {
		const health = await fetch(`${server.url}/healthz`);
		expect(health.status).toBe(200);
		expect(await health.json()).toMatchObject({ status: 'ok', store: 'sqlite', instance: server.backend.instanceId, version: expect.any(String) });
		const metrics = await (await fetch(`${server.url}/metrics`)).text();
		for (const name of ['mc_connections', 'mc_docs_loaded', 'mc_updates_in_total', 'mc_updates_out_total', 'mc_bytes_in_total', 'mc_bytes_out_total', 'mc_store_write_seconds', 'mc_rejected_total']) {
			expect(metrics).toContain(name);
		}
		// Memory broken down as process.memoryUsage() reports it, read at the scrape.
		for (const kind of ['rss', 'heap_total', 'heap_used', 'external', 'array_buffers']) {
			const value = new RegExp(`^mc_memory_bytes\\{kind="${kind}"\\} (\\d+)$`, 'm').exec(metrics)?.[1];
			expect(Number(value)).toBeGreaterThan(0);
		}
		// The Yjs thread's own heap: present whether or not a thread runs now.
		for (const kind of ['total', 'used']) expect(metrics).toMatch(new RegExp(`^mc_yjs_thread_heap_bytes\\{kind="${kind}"\\} \\d+$`, 'm'));
	});
});

function syncUpdateMessage(): Buffer {
	const doc = new Y.Doc();
	doc.getMap('m').set('hello', 'world'.repeat(10));
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 0);
	encoding.writeVarUint(encoder, 2);
	encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(doc));
	return Buffer.from(encoding.toUint8Array(encoder));
}

async function rejectedCount(server: TestServer): Promise<number> {
	const metric = await server.backend.metrics.rejected.get();
	return metric.values.reduce((sum, value) => sum + value.value, 0);
}

async function storedValue(server: TestServer, docName: string, key: string): Promise<unknown> {
	const stored = await server.backend.store.loadDoc(docName);
	const doc = new Y.Doc();
	for (const update of stored.updates) Y.applyUpdate(doc, update);
	return doc.getMap('m').get(key);
}

