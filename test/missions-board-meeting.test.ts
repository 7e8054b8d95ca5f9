/**
 * The Missions Board meeting across missions, against a real server with real clients: a dependency
 * or blocker is put to the Board "for decision" (stamped by the server; a stock y-websocket client
 * cannot forge or remove the mark), the Missions Board view lists those items per caller, a lead
 * starts the meeting across three missions, its agenda puts "for decision" items first across the
 * missions, decisions and actions go to the right mission's board, and who cannot see a mission
 * sees nothing of it (API and socket.io).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecord, readRecord } from '#lib/board/board-doc.ts';
import { escalateBlocker } from '#lib/board/history.ts';
import { recordMap } from '#lib/board/layout.ts';
import { closeCodes } from '#lib/protocol/close-codes.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import { missionsBoardKey, type MeetingReply } from '#lib/protocol/meeting.ts';
import { adminCredential, api, buildAccessFixture, createInvite, docClient, redeem, socketClient, storedDoc, type AccessFixture, type Credential, type Person } from './access-fixture.ts';
import { eventually } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

type Mark = { by: { name: string; id?: string }; at: number; note: string } | undefined;
type AgendaItem = { kind: string; missionId: string; ref: string | null; boardId: string | null; note?: string; by?: string };

describe('the Missions Board meeting across missions', () => {
	let server: TestServer;
	let world: AccessFixture;
	let outsider: Person;
	/** Mission 2: board Z, joined by department A. Mission 3: board W, joined by department B. */
	let mission2: string;
	let mission3: string;
	let boardZ: string;
	let boardW: string;
	const refs: Record<string, string> = {};
	const as = (person: Person): Credential => ({ cookie: person.cookie });
	const call = (credential: Credential, method: string, path: string, body?: unknown) => api(server, method, path, { ...credential, body });
	const created = (answer: { status: number; body: unknown }) => {
		expect(answer.status, JSON.stringify(answer.body)).toBe(201);
		return answer.body as { id: string; ref: string };
	};
	const dependency = (title: string, rating: 'amber' | 'red' = 'amber') => ({
		title,
		providerDepartment: world.departments.a,
		providerOwner: { name: 'Tom Hughes' },
		receiverDepartment: world.departments.b,
		receiverOwner: { name: 'Aisha Bello' },
		deliverable: 'The data share, signed',
		rating
	});

	beforeAll(async () => {
		server = await startTestServer();
		world = await buildAccessFixture(server);
		const mission = async (title: string) => created(await call(adminCredential, 'POST', '/api/missions', { title })).id;
		const board = async (missionId: string, title: string, departmentIds: string[]) => created(await call(adminCredential, 'POST', `/api/missions/${missionId}/boards`, { title, departmentIds })).id;
		mission2 = await mission('Safer streets');
		mission3 = await mission('Clean power by 2030');
		boardZ = await board(mission2, 'Board Z: neighbourhood policing', [world.departments.a]);
		boardW = await board(mission3, 'Board W: grid connections', [world.departments.b]);
		const elsewhere = created(await call(adminCredential, 'POST', '/api/departments', { name: 'Elsewhere', code: 'ELS', colour: '#556677' })).id;
		outsider = await redeem(server, (await createInvite(server, { departmentId: elsewhere, role: 'editor' })).token, 'Otto Outside');

		refs.x = created(await call(as(world.editorA), 'POST', `/api/boards/${world.boardX.id}/dependencies`, dependency('Skills data share'))).ref;
		refs.z = created(await call(as(world.editorA), 'POST', `/api/boards/${boardZ}/dependencies`, dependency('Custody records feed', 'red'))).ref;
		refs.w = created(
			await call(as(world.editorB), 'POST', `/api/boards/${boardW}/blockers`, { title: 'Grid queue reform stuck', owner: { name: 'Ed Beta' }, unblocker: 'DESNZ permanent secretary', severity: 'high', raisedOn: '2026-10-01' })
		).ref;
	});
	afterAll(async () => {
		await server?.close();
	});

	const markPath = (boardId: string, register: string, ref: string) => `/api/boards/${boardId}/${register}/${ref}/for-decision`;

	it('puts a record to the Board for decision, stamped by the server; only writers of the board may; bad input is refused', async () => {
		const before = Date.now();
		const marked = await call(as(world.editorA), 'PUT', markPath(world.boardX.id, 'dependencies', refs.x!), { note: 'Fund the data share from the reserve?' });
		expect(marked.status).toBe(200);
		const mark = (marked.body as { forDecision: Mark }).forDecision;
		expect(mark).toMatchObject({ by: { name: 'Edna Alpha', id: world.editorA.principalId }, note: 'Fund the data share from the reserve?' });
		expect(mark!.at).toBeGreaterThanOrEqual(before);

		expect((await call(as(world.viewerA), 'PUT', markPath(world.boardX.id, 'dependencies', refs.x!), {})).status).toBe(403);
		expect((await call(as(world.editorB), 'PUT', markPath(world.boardX.id, 'dependencies', refs.x!), {})).status).toBe(404);
		expect((await call(as(outsider), 'PUT', markPath(boardZ, 'dependencies', refs.z!), {})).status).toBe(404);
		const forged = await call(as(world.editorA), 'PUT', markPath(world.boardX.id, 'dependencies', refs.x!), { note: 'x', by: { name: 'Lena Lead' } });
		expect(forged.status).toBe(400);
		const action = await call(as(world.editorA), 'PUT', markPath(world.boardX.id, 'actions', 'ACT-1'), {});
		// Only dependencies and blockers have the route.
		expect(action.status).toBe(404);
		expect((await call(as(world.editorA), 'PUT', markPath(world.boardX.id, 'dependencies', 'DEP-999'), {})).status).toBe(404);
		expect((await call(as(world.editorA), 'PUT', markPath(world.boardX.id, 'dependencies', refs.x!), { note: 'n'.repeat(501) })).status).toBe(400);

		// Marked, then taken off and put back: the mark names whoever put it back.
		created(await call(as(world.editorA), 'POST', `/api/boards/${boardZ}/dependencies`, dependency('Spare record'))).ref;
		expect((await call(as(world.editorB), 'PUT', markPath(boardW, 'blockers', refs.w!), { note: 'Approve the connection queue reform?' })).status).toBe(200);
		const spare = 'DEP-2';
		expect((await call(as(world.lead), 'PUT', markPath(boardZ, 'dependencies', spare), {})).status).toBe(200);
		const off = await call(as(world.lead), 'DELETE', markPath(boardZ, 'dependencies', spare));
		expect(off.status).toBe(200);
		expect((off.body as { forDecision?: Mark }).forDecision).toBeUndefined();
		expect((await call(as(world.lead), 'PUT', markPath(boardZ, 'dependencies', refs.z!), { note: 'Fund extra custody staff?' })).status).toBe(200);

		// The ledger keeps the mark's comings and goings: who put it to the Board, who took it off.
		type Entry = { by: { id: string }; ref: string; field: string; before: Mark | null; after: Mark | null };
		const history = await call(as(world.lead), 'GET', `/api/boards/${boardZ}/history?field=forDecision`);
		expect(history.status).toBe(200);
		const marks = (history.body as { entries: Entry[] }).entries.filter((entry) => entry.ref === spare).reverse();
		expect(marks.map((entry) => [entry.by.id, entry.before === null, entry.after === null])).toEqual([
			[world.lead.principalId, true, false],
			[world.lead.principalId, false, true]
		]);
		const onW = (await call(as(world.editorB), 'GET', `/api/boards/${boardW}/history?field=forDecision`)).body as { entries: Entry[] };
		expect(onW.entries.map((entry) => [entry.ref, entry.by.id, entry.after?.note])).toEqual([[refs.w, world.editorB.principalId, 'Approve the connection queue reform?']]);
	});

	it('a stock y-websocket client cannot forge, remove or fake the mark', async () => {
		const docName = boardDocName(world.boardX.id);
		const watcher = docClient(server, docName, as(world.lead));
		await watcher.synced;
		const id = [...watcher.doc.getMap('dependencies').keys()][0]!;
		const attacks: Array<[string, (doc: import('yjs').Doc) => void]> = [
			['overwrite the stamp with its own mark', (doc) => doc.getMap('stamps').set(id, { forDecision: { by: { name: 'Lena Lead' }, at: 0, note: 'forged' } })],
			['remove the mark', (doc) => doc.getMap('stamps').delete(id)]
		];
		for (const [what, attack] of attacks) {
			const attacker = docClient(server, docName, as(world.editorA));
			await attacker.synced;
			attack(attacker.doc);
			expect(await attacker.closed, what).toBe(closeCodes.changeRefused);
			attacker.destroy();
		}
		// A value written on the record itself is ignored by every reader: the mark comes from the stamp.
		const writer = docClient(server, docName, as(world.editorA));
		await writer.synced;
		const other = createRecord(writer.doc, 'dependencies', dependency('Not for decision'), { name: 'Edna Alpha', id: world.editorA.principalId });
		recordMap(writer.doc, 'dependencies', other.id)!.set('forDecision', { by: { name: 'Lena Lead' }, at: 1, note: 'forged' });
		await eventually(async () => {
			const read = readRecord(await storedDoc(server, docName), 'dependencies', other.id);
			expect(read?.ok).toBe(true);
			expect(read?.ok && read.record.forDecision).toBeUndefined();
		});
		const kept = readRecord(await storedDoc(server, docName), 'dependencies', id);
		expect(kept?.ok && kept.record.forDecision).toMatchObject({ by: { name: 'Edna Alpha' }, note: 'Fund the data share from the reserve?' });
		const viaApi = await call(as(world.lead), 'GET', `/api/boards/${world.boardX.id}/dependencies/${refs.x}`);
		expect((viaApi.body as { forDecision: Mark }).forDecision?.by.name).toBe('Edna Alpha');
		writer.destroy();
		watcher.destroy();
	});

	it('the Missions Board view lists the items for decision, each caller only what they may see', async () => {
		const lead = (await call(as(world.lead), 'GET', '/api/portfolio')).body as { missions: Array<{ id: string; forDecision: Array<{ ref: string; by: { name: string } }>; counts: { forDecision: number } }> };
		const byMission = new Map(lead.missions.map((mission) => [mission.id, mission]));
		expect(byMission.get(world.missionId)?.forDecision.map((item) => item.ref)).toEqual([refs.x]);
		expect(byMission.get(mission2)?.forDecision.map((item) => item.ref)).toEqual([refs.z]);
		expect(byMission.get(mission3)?.forDecision.map((item) => [item.ref, item.by.name])).toEqual([[refs.w, 'Ed Beta']]);
		expect(byMission.get(mission3)?.counts.forDecision).toBe(1);
		const editorB = (await call(as(world.editorB), 'GET', '/api/portfolio')).body as { missions: Array<{ id: string; forDecision: Array<{ boardId: string }> }> };
		expect(editorB.missions.map((mission) => mission.id).sort()).toEqual([world.missionId, mission3].sort());
		expect(editorB.missions.flatMap((mission) => mission.forDecision.map((item) => item.boardId))).toEqual([boardW]);
	});

	it('a lead starts it across the missions picked; nobody else can; one at a time', async () => {
		const body = { missionIds: [mission3, world.missionId, mission2] };
		expect((await call(as(world.editorA), 'POST', '/api/meetings/missions-board', body)).status).toBe(403);
		expect((await call(as(outsider), 'POST', '/api/meetings/missions-board', { missionIds: [mission2] })).status).toBe(404);
		expect((await call(as(world.lead), 'POST', '/api/meetings/missions-board', { missionIds: [mission2, 'NoSuchMission1'] })).status).toBe(404);
		expect((await call(as(world.lead), 'POST', '/api/meetings/missions-board', { missionIds: [] })).status).toBe(400);
		const started = await call(as(world.lead), 'POST', '/api/meetings/missions-board', body);
		expect(started.status).toBe(201);
		const state = started.body as { meetingId: string; missionId: string; missionIds: string[]; playlist: unknown[]; forum: string; chair: { name: string } };
		expect(state).toMatchObject({ missionId: missionsBoardKey, missionIds: body.missionIds, forum: 'Missions Board', chair: { name: 'Lena Lead' } });
		expect(state.playlist).toHaveLength(4);
		expect((await call(as(world.lead), 'POST', '/api/meetings/missions-board', body)).status).toBe(409);
		const listed = (await call(as(world.editorB), 'GET', '/api/meetings/missions-board')).body as { running: { meetingId: string } | null };
		expect(listed.running?.meetingId).toBe(state.meetingId);
		expect(((await call(as(outsider), 'GET', '/api/meetings/missions-board')).body as { running: unknown }).running).toBeNull();
		expect((await call(as(outsider), 'GET', `/api/meetings/${state.meetingId}`)).status).toBe(404);
	});

	it('its agenda puts the items for decision first, across the missions in the chair\'s order', async () => {
		// A blocker escalated to the Missions Board on board Z (mission 2), not for decision.
		const client = docClient(server, boardDocName(boardZ), as(world.editorA));
		await client.synced;
		const blocker = createRecord(client.doc, 'blockers', { title: 'Custody suite closures', owner: { name: 'Edna Alpha' }, unblocker: 'Home Office', severity: 'high', raisedOn: '2026-09-01' }, { name: 'Edna Alpha', id: world.editorA.principalId });
		escalateBlocker(client.doc, blocker.id, { level: 'missions_board', on: '2026-11-01', forum: 'Missions Board' }, { name: 'Edna Alpha', id: world.editorA.principalId });
		await eventually(async () => expect(readRecord(await storedDoc(server, boardDocName(boardZ)), 'blockers', blocker.id)?.ok).toBe(true));
		client.destroy();

		const meeting = ((await call(as(world.lead), 'GET', '/api/meetings/missions-board')).body as { running: { meetingId: string } }).running;
		const agenda = (await call(as(world.lead), 'GET', `/api/meetings/${meeting.meetingId}/agenda`)).body as { acrossMissions: AgendaItem[] };
		const kinds = agenda.acrossMissions.map((item) => item.kind);
		expect(kinds.slice(0, 3)).toEqual(['for_decision', 'for_decision', 'for_decision']);
		expect(kinds.slice(3)).not.toContain('for_decision');
		// Mission order as picked: mission 3, then mission 1, then mission 2.
		expect(agenda.acrossMissions.slice(0, 3).map((item) => [item.missionId, item.ref])).toEqual([
			[mission3, refs.w],
			[world.missionId, refs.x],
			[mission2, refs.z]
		]);
		expect(agenda.acrossMissions[0]).toMatchObject({ note: 'Approve the connection queue reform?', by: 'Ed Beta', boardId: boardW });
		const escalated = agenda.acrossMissions.find((item) => item.kind === 'escalated_blocker');
		expect(escalated).toMatchObject({ missionId: mission2, boardId: boardZ, title: 'Custody suite closures' });
		// The red dependency on Z is for decision: listed once, not again as a red dependency.
		expect(agenda.acrossMissions.filter((item) => item.ref === refs.z && item.boardId === boardZ)).toHaveLength(1);

		const asEditorB = (await call(as(world.editorB), 'GET', `/api/meetings/${meeting.meetingId}/agenda`)).body as { acrossMissions: AgendaItem[] };
		expect(new Set(asEditorB.acrossMissions.map((item) => item.boardId).filter(Boolean))).toEqual(new Set([boardW]));
	});

	it('captures decisions and actions into the right mission\'s board', async () => {
		const meeting = ((await call(as(world.lead), 'GET', '/api/meetings/missions-board')).body as { running: { meetingId: string } }).running;
		const records = `/api/meetings/${meeting.meetingId}/records`;
		const decision = await call(as(world.lead), 'POST', records, { kind: 'decision', text: 'Approve the grid connection queue reform', missionId: mission3 });
		expect(decision.status).toBe(201);
		expect(decision.body).toMatchObject({ boardId: boardW, register: 'decisions' });
		const action = await call(as(world.lead), 'POST', records, { kind: 'action', text: 'Fund 40 custody officers', owner: 'Hannah Reid', due: '2027-01-15', boardId: boardZ });
		expect(action.body).toMatchObject({ boardId: boardZ, register: 'actions' });
		const onW = await call(as(world.lead), 'GET', `/api/boards/${boardW}/decisions/${(decision.body as { ref: string }).ref}`);
		expect(onW.body).toMatchObject({ text: 'Approve the grid connection queue reform', forum: 'Missions Board' });

		// Not one of the meeting's missions, a board the caller cannot write, a mission they cannot see.
		const otherMission = created(await call(adminCredential, 'POST', '/api/missions', { title: 'Opportunity' })).id;
		expect((await call(as(world.lead), 'POST', records, { kind: 'decision', text: 'Elsewhere', missionId: otherMission })).status).toBe(404);
		expect((await call(as(world.editorA), 'POST', records, { kind: 'decision', text: 'Not my board', boardId: boardW })).status).toBe(404);
		expect((await call(as(world.editorB), 'POST', records, { kind: 'decision', text: 'Not my mission', missionId: mission2 })).status).toBe(404);
		expect((await call(as(world.viewerA), 'POST', records, { kind: 'decision', text: 'A viewer cannot', missionId: mission2 })).status).toBe(403);
		// An editor records on their own mission's board.
		const byEditor = await call(as(world.editorA), 'POST', records, { kind: 'action', text: 'Share the custody data', owner: 'Edna Alpha', due: '2027-01-10', missionId: mission2 });
		expect(byEditor.body).toMatchObject({ boardId: boardZ });

		// Each reader sees only what went to boards they can read.
		const seenByB = (await call(as(world.editorB), 'GET', `/api/meetings/${meeting.meetingId}`)).body as { meeting: { captured: Array<{ boardId: string }> } };
		expect(seenByB.meeting.captured.map((entry) => entry.boardId)).toEqual([boardW]);
	});

	it('socket.io: walls and laptops follow the chair across the missions; only the chair moves them; outsiders cannot join', async () => {
		const ask = (socket: Awaited<ReturnType<typeof socketClient>>, event: string, payload: unknown) =>
			new Promise<MeetingReply>((resolve) => socket.emit(event, payload, (reply: MeetingReply) => resolve(reply)));
		const chair = await socketClient(server, as(world.lead));
		const follower = await socketClient(server, as(world.editorB));
		const stranger = await socketClient(server, as(outsider));
		try {
			const target = { missionId: missionsBoardKey };
			expect(await ask(stranger, 'meeting:join', target)).toMatchObject({ ok: false, error: { code: 'not_found' } });
			const joined = await ask(follower, 'meeting:join', target);
			expect(joined.ok && joined.meeting?.missionIds).toHaveLength(3);
			expect(await ask(chair, 'meeting:join', target)).toMatchObject({ ok: true });
			expect(await ask(chair, 'meeting:start', { missionId: missionsBoardKey, forum: 'Missions Board' })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });

			const seen: number[] = [];
			follower.on('meeting:state', (update: { meeting: { index: number } | null }) => {
				if (update.meeting) seen.push(update.meeting.index);
			});
			const moved = await ask(chair, 'meeting:focus', { missionId: missionsBoardKey, view: 'summary', focus: null, screen: 2 });
			expect(moved.ok && moved.meeting?.index).toBe(2);
			await eventually(() => expect(seen.at(-1)).toBe(2));
			expect(await ask(follower, 'meeting:next', target)).toMatchObject({ ok: false, error: { code: 'not_chair' } });
			expect((await ask(chair, 'meeting:next', target)).ok).toBe(true);
			await eventually(() => expect(seen.at(-1)).toBe(3));
			// A focus on a record of a board the follower cannot read reaches them without it.
			const zRecord = [...(await storedDoc(server, boardDocName(boardZ))).getMap('dependencies').keys()][0]!;
			expect((await ask(chair, 'meeting:focus', { missionId: missionsBoardKey, view: 'summary', focus: { boardId: boardZ, register: 'dependencies', recordId: zRecord }, screen: 3 })).ok).toBe(true);
			await new Promise((resolve) => setTimeout(resolve, 200));
			const last = await ask(follower, 'meeting:join', target);
			expect(last.ok && last.meeting?.focus).toBeNull();
			expect(last.ok && last.meeting?.index).toBe(3);
		} finally {
			chair.close();
			follower.close();
			stranger.close();
		}
		const meeting = ((await call(as(world.lead), 'GET', '/api/meetings/missions-board')).body as { running: { meetingId: string } }).running;
		expect((await call(as(world.lead), 'POST', `/api/meetings/${meeting.meetingId}/end`, {})).status).toBe(200);
		expect(((await call(as(world.lead), 'GET', '/api/meetings/missions-board')).body as { running: unknown }).running).toBeNull();
	});
});
