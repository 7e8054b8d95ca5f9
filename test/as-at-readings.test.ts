/**
 * "As at a meeting" from the reading kept at the meeting's start and end: once the moment settles,
 * each of the mission's boards is read (in the worker thread) and the reading kept; the board as at
 * that moment is then answered from it, equal to the rebuild from the board's history, without
 * reading that history from the store. A damaged reading is ignored (the board is rebuilt), and a
 * deleted board's readings go with it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { adminPrincipal } from '../server/auth/principal.ts';
import { listIn } from '../server/workspace/board-records.ts';
import { asAtReadingDefaults } from '../server/ledger/as-at-readings.ts';
import { api } from './access-fixture.ts';
import { eventually } from './helpers/clients.ts';
import { countPastLoads } from './helpers/past-loads.ts';
import { startTestServer, testAdminToken, type TestServer } from './helpers/server.ts';

const admin = { bearer: testAdminToken };
const registers = ['dependencies', 'blockers', 'actions', 'decisions', 'risks', 'assumptions'] as const;

describe('readings kept at meeting moments', () => {
	let server: TestServer;
	let missionId: string;
	let boardId: string;
	let startedAt = 0;
	let endedAt = 0;

	const collection = () => `${asAtReadingDefaults.collectionPrefix}${boardId}`;
	const iso = (at: number) => encodeURIComponent(new Date(at).toISOString());
	/** The six registers and the board's counts through the API, as the "as at" page reads them. */
	const board = async (at: number) => {
		const lists = await Promise.all(registers.map(async (register) => (await api(server, 'GET', `/api/boards/${boardId}/${register}?asAt=${iso(at)}&archived=true`, admin)).body as { records: unknown[]; invalid: unknown[] }));
		const unarchived = (await api(server, 'GET', `/api/boards/${boardId}/actions?asAt=${iso(at)}`, admin)).body as { records: unknown[] };
		const view = (await api(server, 'GET', `/api/boards/${boardId}?asAt=${iso(at)}`, admin)).body as { counts: unknown };
		return { lists: lists.map(({ records, invalid }) => ({ records, invalid })), actions: unarchived.records, counts: view.counts };
	};

	beforeAll(async () => {
		server = await startTestServer({ asAtReadings: { settleMs: 100 } });
		const mission = await server.backend.workspace.createMission(adminPrincipal, { title: 'Skills mission' });
		missionId = mission.id;
		boardId = (await server.backend.workspace.createBoard(adminPrincipal, missionId, { title: 'Skills board' })).id;
		const post = (register: string, body: unknown) => api(server, 'POST', `/api/boards/${boardId}/${register}`, { ...admin, body });
		await post('dependencies', { title: 'Skills data share', providerDepartment: 'dfe', receiverDepartment: 'dwp', providerOwner: { name: 'Ann' }, receiverOwner: { name: 'Bo' }, deliverable: 'Monthly data', neededBy: '2027-03-01', forecast: '2027-02-01', rating: 'amber' });
		const action = (await post('actions', { text: 'Draft the data agreement', owner: { name: 'Ann' }, due: '2027-01-15' })).body as { ref: string };
		await post('actions', { text: 'Sign the agreement', owner: { name: 'Bo' }, due: '2027-02-15' });
		expect((await api(server, 'DELETE', `/api/boards/${boardId}/actions/${action.ref}`, admin)).status).toBe(200);

		const meeting = await api(server, 'POST', '/api/meetings', { ...admin, body: { missionId, forum: 'Missions Board', boardId } });
		expect(meeting.status).toBe(201);
		const meetingId = (meeting.body as { meetingId: string }).meetingId;
		await post('blockers', { title: 'No data sharing agreement', unblocker: 'DfE legal', ask: 'Sign the agreement', raisedOn: '2026-11-01', owner: { name: 'Ann' } });
		expect((await api(server, 'POST', `/api/meetings/${meetingId}/end`, admin)).status).toBe(200);
		const record = (await server.backend.meetings.records.list(missionId)).find((m) => m.id === meetingId)!;
		startedAt = record.startedAt;
		endedAt = record.endedAt!;
		await new Promise((resolve) => setTimeout(resolve, 20));
		// After the meeting: the dependency slips and a decision is recorded.
		const dep = (await api(server, 'GET', `/api/boards/${boardId}/dependencies`, admin)).body as { records: Array<{ ref: string }> };
		await api(server, 'PATCH', `/api/boards/${boardId}/dependencies/${dep.records[0]!.ref}`, { ...admin, body: { forecast: '2027-04-01' } });
		await post('decisions', { text: 'Escalate to ministers', decidedOn: '2026-12-01', forum: 'Missions Board', decisionMakers: [{ name: 'PM' }] });
	});
	afterAll(async () => {
		await server?.close();
	});

	it('keeps a reading of the board at the meeting’s start and end, and answers from it what the rebuild answers', async () => {
		expect.hasAssertions();
		await eventually(async () => {
			expect(await server.backend.store.getRecord(collection(), String(startedAt))).toBeDefined();
			expect(await server.backend.store.getRecord(collection(), String(endedAt))).toBeDefined();
		});
		const loads = countPastLoads(server.backend.store);
		try {
			const kept = await board(endedAt);
			expect(loads.count).toBe(0);
			// One millisecond later nothing had changed, and nothing is kept: rebuilt from the history
			// (in the worker thread), and the same as the document rebuilt here and listed.
			const rebuilt = await board(endedAt + 1);
			expect(loads.count).toBeGreaterThan(0);
			expect(kept).toEqual(rebuilt);
			const doc = await server.backend.history.boardAsAt(adminPrincipal, boardId, endedAt + 1);
			expect(kept.lists).toEqual(registers.map((register) => JSON.parse(JSON.stringify(listIn(doc, boardId, register, { includeArchived: true })))));
			// The state a wall rebuilds the moment from (merged off the event loop) is that document.
			const state = await server.backend.history.stateAsAt(adminPrincipal, boardId, endedAt);
			const wall = new Y.Doc();
			Y.applyUpdate(wall, state);
			expect(Y.encodeStateAsUpdate(wall)).toEqual(Y.encodeStateAsUpdate(doc));
			// What the reading says: the blocker raised during the meeting, the dependency's forecast then, no decision.
			expect(kept.lists[1]!.records).toHaveLength(1);
			expect(kept.lists[0]!.records).toMatchObject([{ forecast: '2027-02-01' }]);
			expect(kept.lists[3]!.records).toEqual([]);
			expect(kept.lists[2]!.records).toHaveLength(2);
			expect(kept.actions).toHaveLength(1);
			const atStart = await board(startedAt);
			expect(atStart.lists[1]!.records).toEqual([]);
			expect(atStart).toEqual(await board(startedAt + 1));

			// What changed since the meeting, from the kept reading, as from a rebuild.
			loads.reset();
			const since = (await api(server, 'GET', `/api/boards/${boardId}/changes?from=${iso(endedAt)}`, admin)).body as { changes: Array<{ kind: string; ref: string }> };
			// Only "now" was read from the store: the meeting's end came from its reading.
			expect(loads.count).toBe(1);
			const sinceRebuilt = (await api(server, 'GET', `/api/boards/${boardId}/changes?from=${iso(endedAt + 1)}`, admin)).body as { changes: unknown[] };
			expect(since.changes).toEqual(sinceRebuilt.changes);
			expect(since.changes.map((change) => change.kind)).toEqual(expect.arrayContaining(['slipped', 'decided']));
		} finally {
			loads.restore();
		}
	});

	it('rebuilds the board when the kept reading is damaged, and answers the same', async () => {
		expect.hasAssertions();
		const before = await board(endedAt + 1);
		await server.backend.store.putRecord(collection(), String(endedAt), { seq: 1, data: Buffer.from('not a reading').toString('base64') });
		// Decoded readings are kept for a while: a moment no reader has asked for yet.
		const meeting = await api(server, 'POST', '/api/meetings', { ...admin, body: { missionId, forum: 'Missions Board', boardId } });
		const meetingId = (meeting.body as { meetingId: string }).meetingId;
		await api(server, 'POST', `/api/meetings/${meetingId}/end`, admin);
		const second = (await server.backend.meetings.records.list(missionId)).find((m) => m.id === meetingId)!;
		await eventually(async () => expect(await server.backend.store.getRecord(collection(), String(second.endedAt))).toBeDefined());
		await server.backend.store.putRecord(collection(), String(second.endedAt), 'garbage');
		const answer = await api(server, 'GET', `/api/boards/${boardId}/dependencies?asAt=${iso(second.endedAt!)}&archived=true`, admin);
		expect(answer.status).toBe(200);
		expect((answer.body as { records: unknown[] }).records).toMatchObject([{ forecast: '2027-04-01' }]);
		expect(before.lists[0]!.records).toMatchObject([{ forecast: '2027-02-01' }]);
	});

	it('forgets a deleted board’s readings', async () => {
		expect.hasAssertions();
		expect((await server.backend.store.listRecords(collection())).length).toBeGreaterThan(0);
		expect((await api(server, 'PATCH', `/api/boards/${boardId}`, { ...admin, body: { archived: true } })).status).toBe(200);
		const deleted = await api(server, 'DELETE', `/api/boards/${boardId}?confirm=true`, admin);
		expect(deleted.status).toBeLessThan(300);
		expect(await server.backend.store.listRecords(collection())).toEqual([]);
	});
});
