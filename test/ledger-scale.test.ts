/**
 * The ledger and "as at" on two instances sharing one Redis: a scripted sequence of edits by three
 * principals (the JSON API, two stock y-websocket clients on different instances) yields exactly the
 * expected ledger — each update attributed once, by the instance that accepted it — and states
 * captured live between the steps equal the as-at reconstruction afterwards, byte for byte, across
 * compactions and after every instance restarted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addComment, findByRef, readRecord, updateRecord } from '#lib/board/board-doc.ts';
import { setRating } from '#lib/board/history.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import { api, buildAccessFixture, docClient, type AccessFixture, type DocClient } from './access-fixture.ts';
import { eventually } from './helpers/clients.ts';
import { startRedis, type RunningRedis } from './helpers/redis-server.ts';
import { startInstances } from './helpers/scale.ts';
import { testAdminToken, type TestServer } from './helpers/server.ts';

describe('ledger and as-at on two instances (real Redis)', () => {
	let redis: RunningRedis;
	let instances: TestServer[] = [];
	let world: AccessFixture;
	const clients: DocClient[] = [];
	const admin = { bearer: testAdminToken };
	const captured: Array<{ at: number; state: Uint8Array }> = [];

	beforeAll(async () => {
		redis = await startRedis();
		// A low compaction threshold, so the moments below span several compactions.
		instances = await startInstances(2, redis.url, { hubLimits: { compactAfterUpdates: 4 } });
		world = await buildAccessFixture(instances[0]!);
	});
	afterAll(async () => {
		for (const client of clients) client.destroy();
		await Promise.all(instances.map((instance) => instance.close()));
		await redis?.stop();
	});

	it('attributes each change once, to the principal its instance admitted; past states rebuild byte for byte after a restart', async () => {
		const [a, b] = instances as [TestServer, TestServer];
		const boardId = world.boardX.id;
		const docName = boardDocName(boardId);
		const onA = docClient(a, docName, { cookie: world.editorA.cookie });
		const onB = docClient(b, docName, { cookie: world.lead.cookie });
		clients.push(onA, onB);
		await Promise.all([onA.synced, onB.synced]);
		const editor = { name: world.editorA.name, id: world.editorA.principalId };
		const lead = { name: world.lead.name, id: world.lead.principalId };

		/** Waits until both instances hold the same state (and what `source` wrote), then records it with the moment. */
		const settle = async (source?: Y.Doc) => {
			await eventually(async () => {
				const states = await Promise.all(instances.map((instance) => instance.backend.hub.withDoc(docName, (shared) => Y.encodeStateVector(shared.doc))));
				expect(Buffer.from(states[0]!).equals(Buffer.from(states[1]!))).toBe(true);
				const held = Y.decodeStateVector(states[0]!);
				for (const [client, clock] of source ? Y.decodeStateVector(Y.encodeStateVector(source)) : []) expect(held.get(client) ?? 0).toBeGreaterThanOrEqual(clock);
				for (const instance of instances) expect(instance.backend.hub.loaded(docName)?.pendingCount ?? 0).toBe(0);
			});
			await new Promise((resolve) => setTimeout(resolve, 30));
			const at = Date.now();
			const state = await a.backend.hub.withDoc(docName, (shared) => Y.encodeStateAsUpdate(shared.doc));
			captured.push({ at, state });
			await new Promise((resolve) => setTimeout(resolve, 30));
		};

		const created = await api(b, 'POST', `/api/boards/${boardId}/dependencies`, {
			...admin,
			body: { title: 'Apprenticeship levy data', providerDepartment: world.departments.a, receiverDepartment: world.departments.b, providerOwner: editor, receiverOwner: lead, deliverable: 'Quarterly extract', neededBy: '2027-04-01' }
		});
		expect(created.status).toBe(201);
		const id = (created.body as { id: string }).id;
		await eventually(() => expect(readRecord(onA.doc, 'dependencies', id)?.ok).toBe(true));
		await settle();
		updateRecord(onA.doc, 'dependencies', id, { status: 'agreed' }, editor);
		await settle(onA.doc);
		await eventually(() => expect(readRecord(onB.doc, 'dependencies', id)).toMatchObject({ ok: true, record: { status: 'agreed' } }));
		setRating(onB.doc, id, { rating: 'amber', narrative: 'Extract format not agreed' }, lead);
		await settle(onB.doc);
		expect((await api(a, 'PATCH', `/api/boards/${boardId}/dependencies/${id}`, { ...admin, body: { forecast: '2027-05-01' } })).status).toBe(200);
		await settle();
		await eventually(() => expect(readRecord(onA.doc, 'dependencies', id)).toMatchObject({ ok: true, record: { forecast: '2027-05-01' } }));
		addComment(onA.doc, 'dependencies', id, { text: 'Format agreed at the working group' }, editor);
		await settle(onA.doc);

		const ledger = await a.backend.store.ledger(docName, { recordId: id });
		expect(ledger.map((entry) => [entry.by.id, entry.changes.map((change) => change.field).sort().join(',')])).toEqual([
			[world.editorA.principalId, 'comments'],
			['admin', 'forecast'],
			[world.lead.principalId, 'narrative,rating,ratingHistory'],
			[world.editorA.principalId, 'status'],
			['admin', 'created']
		]);
		expect(new Set(ledger.map((entry) => entry.seq)).size).toBe(ledger.length);
		expect(await b.backend.store.ledger(docName, { recordId: id })).toEqual(ledger);
		// Compactions merge in a worker thread (started on the first one), so they finish a moment later.
		const compactions = async () => (await Promise.all([a, b].map((instance) => instance.backend.metrics.compactions.get()))).reduce((sum, metric) => sum + (metric.values[0]?.value ?? 0), 0);
		await eventually(async () => expect(await compactions()).toBeGreaterThan(0));

		// Every instance restarts; a fresh one answers from the store alone.
		for (const client of clients) client.destroy();
		await Promise.all(instances.map((instance) => instance.close()));
		instances = await startInstances(1, redis.url);
		const fresh = instances[0]!;
		for (const { at, state } of captured) {
			const past = await fresh.backend.store.loadAsAt(docName, at);
			expect(past.complete).toBe(true);
			const rebuilt = new Y.Doc();
			for (const update of past.updates) Y.applyUpdate(rebuilt, update);
			const live = new Y.Doc();
			Y.applyUpdate(live, state);
			expect(Buffer.from(Y.encodeStateAsUpdate(rebuilt)).equals(Buffer.from(Y.encodeStateAsUpdate(live)))).toBe(true);
		}
		const history = await api(fresh, 'GET', `/api/boards/${boardId}/dependencies/DEP-1/history`, { cookie: world.viewerA.cookie });
		expect((history.body as { entries: Array<{ by: { id: string } }> }).entries.at(-1)?.by.id).toBe('admin');
		const asAtStatus = await api(fresh, 'GET', `/api/boards/${boardId}/dependencies/DEP-1?asAt=${new Date(captured[1]!.at).toISOString()}`, admin);
		expect(asAtStatus.body).toMatchObject({ status: 'agreed', rating: null });
		const now = new Y.Doc();
		Y.applyUpdate(now, captured.at(-1)!.state);
		expect(findByRef(now, 'DEP-1')).toMatchObject({ ok: true, record: { updatedBy: editor } });
	});
});
