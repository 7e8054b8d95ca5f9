/**
 * The workspace service with real principals of every kind, over a real backend (SQLite store,
 * document hub): who sees which missions and boards, who may change what, and that counts follow
 * the board documents.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecord } from '#lib/board/board-doc.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import type { WorkspaceChange } from '#lib/protocol/room-events.ts';
import type { Principal } from '../server/auth/principal.ts';
import { createBackend, type Backend } from '../server/backend.ts';
import { parseConfig } from '../server/config.ts';
import { tempDir, testAdminToken } from './helpers/server.ts';

const lead: Principal = { id: 'person:lead', kind: 'person', name: 'Lena Lead', role: 'lead' };
const editorA: Principal = { id: 'person:ann', kind: 'person', name: 'Ann Editor', role: 'editor', departmentId: 'dept-aaaa' };
const viewerB: Principal = { id: 'person:bob', kind: 'person', name: 'Bob Viewer', role: 'viewer', departmentId: 'dept-bbbb' };
const nobody: Principal = { id: 'person:cat', kind: 'person', name: 'Cat Nobody', role: 'editor', departmentId: 'dept-cccc' };

describe('workspace service: access and attribution', () => {
	const dir = tempDir();
	let backend: Backend;
	const changes: WorkspaceChange[] = [];
	let missionId: string;
	let otherMissionId: string;
	let boardA: string;
	let boardB: string;
	let hidden: string;

	beforeAll(async () => {
		backend = await createBackend(parseConfig({ DATA_DIR: dir.path, ADMIN_TOKEN: testAdminToken, LOG_LEVEL: 'silent' }));
		backend.workspace.onChange((change) => changes.push(change));
		const workspace = backend.workspace;
		for (const [id, code] of [['dept-aaaa', 'AAA'], ['dept-bbbb', 'BBB'], ['dept-cccc', 'CCC']] as const) {
			await workspace.createDepartment(lead, { id, name: `Department ${code}`, code, colour: '#123456' });
		}
		missionId = (await workspace.createMission(lead, { title: 'Safer streets' })).id;
		otherMissionId = (await workspace.createMission(lead, { title: 'Growth' })).id;
		boardA = (await workspace.createBoard(lead, missionId, { title: 'Policing', departmentIds: ['dept-aaaa'] })).id;
		boardB = (await workspace.createBoard(lead, missionId, { title: 'Courts', departmentIds: ['dept-aaaa', 'dept-bbbb'] })).id;
		hidden = (await workspace.createBoard(lead, otherMissionId, { title: 'Housing' })).id;
	});
	afterAll(async () => {
		await backend?.close();
		dir.remove();
	});

	it('attributes every write and announces it', async () => {
		const mission = await backend.workspace.findMission(missionId);
		expect(mission).toMatchObject({ createdBy: 'person:lead', updatedBy: 'person:lead' });
		expect(changes).toEqual(expect.arrayContaining([{ kind: 'missions', id: missionId }, { kind: 'boards', id: boardA }, { kind: 'departments', id: 'dept-aaaa' }]));
		const before = changes.length;
		await backend.workspace.updateMission(lead, missionId, { description: 'Halve knife crime' });
		expect(changes.slice(before)).toEqual([{ kind: 'missions', id: missionId }]);
		// A patch that changes nothing writes and announces nothing.
		await backend.workspace.updateMission(lead, missionId, { description: 'Halve knife crime' });
		expect(changes).toHaveLength(before + 1);
	});

	it('lists only the boards a person can see, and only missions with such a board', async () => {
		const ids = async (principal: Principal) => (await backend.workspace.listBoards(principal)).map((board) => board.id).sort();
		expect(await ids(lead)).toEqual([boardA, boardB, hidden].sort());
		expect(await ids(editorA)).toEqual([boardA, boardB].sort());
		expect(await ids(viewerB)).toEqual([boardB]);
		expect(await ids(nobody)).toEqual([]);

		expect((await backend.workspace.listMissions(lead)).map((mission) => mission.id).sort()).toEqual([missionId, otherMissionId].sort());
		const forViewer = await backend.workspace.listMissions(viewerB);
		expect(forViewer.map((mission) => mission.id)).toEqual([missionId]);
		expect(forViewer[0]!.boards.map((board) => board.id)).toEqual([boardB]);
		expect(await backend.workspace.listMissions(nobody)).toEqual([]);

		const wall: Principal = { id: 'wall:hall', kind: 'wall', name: 'Hall screen', role: 'viewer', scope: { missionIds: [otherMissionId] } };
		expect(await ids(wall)).toEqual([hidden]);
	});

	it('a board one cannot see is not found; one that is read-only refuses writes', async () => {
		await expect(backend.workspace.getBoard(viewerB, boardA)).rejects.toMatchObject({ code: 'not_found' });
		await expect(backend.workspace.getMission(nobody, missionId)).rejects.toMatchObject({ code: 'not_found' });
		expect((await backend.workspace.getBoard(viewerB, boardB)).access).toBe('read');
		await expect(
			backend.workspace.createRecord(viewerB, boardB, 'actions', { text: 'Try to write', owner: { name: 'Bob' }, due: '2030-01-01' })
		).rejects.toMatchObject({ code: 'forbidden' });
		const created = await backend.workspace.createRecord(editorA, boardB, 'actions', { text: 'Brief the minister', owner: { name: 'Ann' }, due: '2030-01-01' });
		expect(created).toMatchObject({ ref: 'ACT-1', createdBy: { id: 'person:ann', name: 'Ann Editor' } });
		const history = await backend.store.history(boardDocName(boardB), { limit: 2 });
		// The newest entry may be the server's own stamp of who created the record.
		expect(history.find((entry) => entry.by !== 'server')?.by).toBe('person:ann');
	});

	it('only leads create and change missions, boards, departments and settings', async () => {
		const forbidden = { code: 'forbidden' };
		await expect(backend.workspace.createMission(editorA, { title: 'Mine' })).rejects.toMatchObject(forbidden);
		await expect(backend.workspace.createBoard(editorA, missionId, { title: 'Mine' })).rejects.toMatchObject(forbidden);
		await expect(backend.workspace.updateBoard(editorA, boardA, { title: 'Renamed' })).rejects.toMatchObject(forbidden);
		await expect(backend.workspace.createDepartment(editorA, { name: 'X', code: 'X', colour: '#000000' })).rejects.toMatchObject(forbidden);
		await expect(backend.workspace.updateSettings(editorA, { staleAfterDays: 3 })).rejects.toMatchObject(forbidden);
		await expect(backend.workspace.addBoardDepartment(editorA, boardA, 'dept-cccc')).rejects.toMatchObject(forbidden);
		await expect(backend.workspace.loadSample(editorA)).rejects.toMatchObject(forbidden);
		const wallLead: Principal = { id: 'wall:x', kind: 'wall', name: 'Screen', role: 'lead', scope: { missionIds: [missionId] } };
		await expect(backend.workspace.createMission(wallLead, { title: 'Walls never write' })).rejects.toMatchObject(forbidden);
	});

	it('a department joining a board makes it visible to its members; leaving hides it again', async () => {
		expect((await backend.workspace.listBoards(nobody)).map((board) => board.id)).toEqual([]);
		await backend.workspace.addDepartment(hidden, 'dept-cccc', lead);
		expect((await backend.workspace.listBoards(nobody)).map((board) => board.id)).toEqual([hidden]);
		// Joining twice changes nothing.
		const again = await backend.workspace.addDepartment(hidden, 'dept-cccc', lead);
		expect(again.departmentIds).toEqual(['dept-cccc']);
		await backend.workspace.removeDepartment(hidden, 'dept-cccc', lead);
		expect(await backend.workspace.listBoards(nobody)).toEqual([]);
		await expect(backend.workspace.addDepartment(hidden, 'dept-zzzz', lead)).rejects.toMatchObject({ code: 'invalid_request' });
	});

	it("keeps each board's counts in step with its document", async () => {
		const counts = async () => (await backend.workspace.getBoard(lead, boardA, { counts: true })).counts!;
		expect((await counts()).actions).toEqual({ total: 0, open: 0, overdue: 0 });
		await backend.hub.transact(boardDocName(boardA), lead, (doc) => {
			createRecord(doc, 'actions', { text: 'Overdue already', owner: { name: 'Ann' }, due: '2020-01-01' }, { name: 'Lena Lead', id: lead.id });
			createRecord(doc, 'dependencies', { title: 'Data share', providerDepartment: 'dept-aaaa', providerOwner: { name: 'A' }, receiverDepartment: 'dept-bbbb', receiverOwner: { name: 'B' }, deliverable: 'Data', rating: 'red', neededBy: '2020-06-01' }, { name: 'Lena Lead' });
		});
		expect(await counts()).toMatchObject({ actions: { total: 1, open: 1, overdue: 1 }, dependencies: { total: 1, red: 1, late: 1 } });
		await backend.workspace.updateRecord(lead, boardA, 'actions', 'ACT-1', { status: 'done' });
		expect((await counts()).actions).toEqual({ total: 1, open: 0, overdue: 0 });
	});
});
