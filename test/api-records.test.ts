/**
 * Board records through the JSON API and the live document: a record created through the API
 * appears in a real y-websocket client's document, and one created in a client's document is
 * returned by the API. Writes are attributed to the caller in the store's history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecord, findByRef, listRecords, validRecords } from '#lib/board/board-doc.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import { connectClient, eventually, type TestClient } from './helpers/clients.ts';
import { startTestServer, testAdminToken, type TestServer } from './helpers/server.ts';

describe('JSON API: board records through the live document', () => {
	let server: TestServer;
	let boardId: string;
	const clients: TestClient[] = [];

	const api = async (method: string, path: string, body?: unknown) => {
		const response = await fetch(`${server.url}${path}`, {
			method,
			headers: { authorization: `Bearer ${testAdminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		const text = await response.text();
		return { status: response.status, body: text ? JSON.parse(text) : undefined };
	};

	beforeAll(async () => {
		server = await startTestServer();
		const mission = (await api('POST', '/api/missions', { title: 'Growth' })).body;
		boardId = (await api('POST', `/api/missions/${mission.id}/boards`, { title: 'Housing' })).body.id;
	});
	afterAll(async () => {
		for (const made of clients) made.destroy();
		await server?.close();
	});

	const dependency = {
		title: 'Housing capital settlement',
		providerDepartment: 'hmt',
		providerOwner: { name: 'Priya Shah' },
		receiverDepartment: 'mhclg',
		receiverOwner: { name: 'Fiona MacLeod' },
		deliverable: 'Capital allocation by region',
		neededBy: '2030-03-01',
		rating: 'red',
		narrative: 'Spending Review has slipped'
	};

	it('a record created through the API appears in a connected client, with its ref and path', async () => {
		const watcher = connectClient(server.wsUrl, boardDocName(boardId));
		clients.push(watcher);
		await watcher.synced;

		const created = await api('POST', `/api/boards/${boardId}/dependencies`, dependency);
		expect(created.status).toBe(201);
		expect(created.body).toMatchObject({ ref: 'DEP-1', title: dependency.title, status: 'proposed', rating: 'red', owner: { name: 'Priya Shah' }, createdBy: { id: 'admin' } });
		expect(created.body.path).toBe(`/boards/${boardId}?ref=DEP-1`);

		await eventually(() => {
			const found = findByRef(watcher.doc, 'DEP-1');
			expect(found?.ok && found.record).toMatchObject({ id: created.body.id, title: dependency.title, deliverable: dependency.deliverable });
		});
		const history = await server.backend.store.history(boardDocName(boardId), { limit: 5 });
		// The newest entry may be the server's own stamp of who created the record.
		expect(history.find((entry) => entry.by !== 'server')?.by).toBe('admin');
	});

	it('a record created in a client document is returned by the API', async () => {
		const writer = connectClient(server.wsUrl, boardDocName(boardId));
		clients.push(writer);
		await writer.synced;
		const { ref } = createRecord(writer.doc, 'actions', { text: 'Send the revised cost model to HMT', owner: { name: 'Tom Hughes' }, due: '2030-01-15' }, { name: 'Tom Hughes', id: 'person:tom' });

		await eventually(async () => {
			const read = await api('GET', `/api/boards/${boardId}/actions/${ref}`);
			expect(read.status).toBe(200);
			expect(read.body).toMatchObject({ ref, text: 'Send the revised cost model to HMT', title: 'Send the revised cost model to HMT', due: '2030-01-15', originalDue: '2030-01-15' });
		});
		const list = await api('GET', `/api/boards/${boardId}/actions`);
		expect(list.body.records.map((record: { ref: string }) => record.ref)).toContain(ref);
		expect(list.body.invalid).toEqual([]);
	});

	it('patches and archives a record by ref; clients see both', async () => {
		const watcher = connectClient(server.wsUrl, boardDocName(boardId));
		clients.push(watcher);
		await watcher.synced;

		const patched = await api('PATCH', `/api/boards/${boardId}/dependencies/DEP-1`, { status: 'at_risk', deliverable: 'Capital allocation by region and tenure' });
		expect(patched.status).toBe(200);
		expect(patched.body).toMatchObject({ ref: 'DEP-1', status: 'at_risk', deliverable: 'Capital allocation by region and tenure' });
		await eventually(() => {
			const found = findByRef(watcher.doc, 'DEP-1');
			expect(found?.ok && found.record.status).toBe('at_risk');
		});

		const archived = await api('DELETE', `/api/boards/${boardId}/dependencies/dep-1`);
		expect(archived.status).toBe(200);
		expect(archived.body.archived).toBe(true);
		await eventually(() => expect(validRecords(listRecords(watcher.doc, 'dependencies'))).toEqual([]));
		expect((await api('GET', `/api/boards/${boardId}/dependencies`)).body.records).toEqual([]);
		expect((await api('GET', `/api/boards/${boardId}/dependencies?archived=true`)).body.records).toHaveLength(1);
		// The counts follow the document.
		expect((await api('GET', `/api/boards/${boardId}`)).body.counts.dependencies.total).toBe(0);
	});

	it('rejects invalid records with invalid_request and the failing fields, and a ref of another register with 404', async () => {
		const bad = await api('POST', `/api/boards/${boardId}/dependencies`, { ...dependency, neededBy: '2030-02-30', rating: 'purple' });
		expect(bad.status).toBe(400);
		expect(bad.body.error.code).toBe('invalid_request');
		expect(bad.body.error.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(['neededBy', 'rating']);
		const patchWithModelField = await api('PATCH', `/api/boards/${boardId}/actions/ACT-1`, { due: '2031-01-01' });
		expect(patchWithModelField.status).toBe(400);
		expect((await api('GET', `/api/boards/${boardId}/blockers/ACT-1`)).status).toBe(404);
	});

	it('archived boards are read-only through the API', async () => {
		await api('PATCH', `/api/boards/${boardId}`, { archived: true });
		const refused = await api('POST', `/api/boards/${boardId}/decisions`, { text: 'Proceed', decidedOn: '2030-01-01', forum: 'Missions Board' });
		expect(refused.status).toBe(403);
		expect(refused.body.error.message).toMatch(/archived/);
		expect((await api('GET', `/api/boards/${boardId}/decisions`)).status).toBe(200);
		await api('PATCH', `/api/boards/${boardId}`, { archived: false });
		expect((await api('POST', `/api/boards/${boardId}/decisions`, { text: 'Proceed', decidedOn: '2030-01-01', forum: 'Missions Board' })).status).toBe(201);
	});
});
