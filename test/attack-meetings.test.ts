/**
 * Issue 10, item 3: meeting data does not cross department lines. A meeting is held on its board
 * (`boardId`, where decisions and actions go): who cannot read that board does not see the
 * meeting at all (`meeting: null`, 404, not listed). Who can sees it filtered to the boards they
 * may read (the chair's focus, the captured records and reviews) and only the participants the
 * "online now" rule lets them see. Two departments, real socket.io clients, the real JSON API.
 */
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPlaylistItems, type MissionMeeting } from '#lib/protocol/meeting.ts';
import { adminCredential, api, buildAccessFixture, socketClient, type AccessFixture } from './access-fixture.ts';
import { eventually } from './helpers/clients.ts';
import { startRedis, type RunningRedis } from './helpers/redis-server.ts';
import { startInstances } from './helpers/scale.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

type Reply = { ok: boolean; meeting?: MissionMeeting['meeting']; error?: { code: string } };

describe('meetings across departments (issue 10, item 3)', () => {
	let server: TestServer;
	let fixture: AccessFixture;
	let shared: { id: string };
	let actionOnX: { id: string; ref: string };
	const sockets: Socket[] = [];
	const connect = async (cookie: string) => {
		const socket = await socketClient(server, { cookie });
		sockets.push(socket);
		return socket;
	};
	const heard = (socket: Socket) => {
		const states: MissionMeeting[] = [];
		socket.on('meeting:state', (state: MissionMeeting) => states.push(state));
		return states;
	};
	const ask = (socket: Socket, event: string, payload: unknown) => socket.emitWithAck(event, payload) as Promise<Reply>;

	beforeAll(async () => {
		server = await startTestServer();
		fixture = await buildAccessFixture(server);
		// A board both departments joined, beside X (department A) and Y (department B).
		const created = await api(server, 'POST', `/api/missions/${fixture.missionId}/boards`, { ...adminCredential, body: { title: 'Board W: shared', departmentIds: [fixture.departments.a, fixture.departments.b] } });
		shared = created.body as { id: string };
		const action = await api(server, 'POST', `/api/boards/${fixture.boardX.id}/actions`, { ...adminCredential, body: { text: 'Secret action on X', owner: { name: 'Ann Alpha' }, due: '2030-01-01' } });
		expect(action.status).toBe(201);
		actionOnX = action.body as { id: string; ref: string };
	});
	afterAll(async () => {
		for (const socket of sockets) socket.close();
		await server?.close();
	});

	it('a meeting on board X is invisible to an editor who can read only board Y', async () => {
		const lead = await connect(fixture.lead.cookie);
		const editorA = await connect(fixture.editorA.cookie);
		const outsider = await connect(fixture.editorB.cookie);
		const outsiderStates = heard(outsider);
		expect((await ask(outsider, 'meeting:join', { missionId: fixture.missionId })).ok).toBe(true);
		await ask(editorA, 'meeting:join', { missionId: fixture.missionId });
		await ask(lead, 'meeting:join', { missionId: fixture.missionId });
		const started = await ask(lead, 'meeting:start', { missionId: fixture.missionId, forum: 'Skills board', title: 'Secret skills review', boardId: fixture.boardX.id });
		expect(started.ok).toBe(true);
		const meetingId = started.meeting!.meetingId;
		await ask(lead, 'meeting:focus', { missionId: fixture.missionId, view: 'actions', focus: { boardId: fixture.boardX.id, register: 'actions', recordId: actionOnX.id } });
		const capture = await api(server, 'POST', `/api/meetings/${meetingId}/records`, { cookie: fixture.lead.cookie, headers: { origin: server.url }, body: { kind: 'decision', text: 'Fund the secret pilot' } });
		expect(capture.status).toBe(201);

		// The outsider (re)joins and listens: it never learns of the meeting.
		const rejoined = await ask(outsider, 'meeting:join', { missionId: fixture.missionId });
		expect(rejoined).toMatchObject({ ok: true, meeting: null });
		await ask(lead, 'meeting:next', { missionId: fixture.missionId });
		await new Promise((resolve) => setTimeout(resolve, 300));
		const wire = JSON.stringify([rejoined, outsiderStates]);
		for (const secret of [fixture.boardX.id, actionOnX.id, 'Secret skills review', 'Skills board', meetingId, fixture.editorA.name]) expect(wire).not.toContain(secret);

		const list = await api(server, 'GET', `/api/meetings?missionId=${fixture.missionId}`, { cookie: fixture.editorB.cookie });
		expect(list.status).toBe(200);
		expect(list.body).toEqual({ meetings: [] });
		expect((await api(server, 'GET', `/api/meetings/${meetingId}`, { cookie: fixture.editorB.cookie })).status).toBe(404);
		expect((await api(server, 'GET', `/api/meetings/${meetingId}/agenda`, { cookie: fixture.editorB.cookie })).status).toBe(404);
		// Department A still sees all of it.
		const inside = await api(server, 'GET', `/api/meetings?missionId=${fixture.missionId}`, { cookie: fixture.editorA.cookie });
		expect(JSON.stringify(inside.body)).toContain(meetingId);

		expect((await ask(lead, 'meeting:end', { missionId: fixture.missionId })).ok).toBe(true);
	});

	it('a meeting on a shared board: the focus, captures and participants of other departments are filtered out', async () => {
		const lead = await connect(fixture.lead.cookie);
		const editorA = await connect(fixture.editorA.cookie);
		const outsider = await connect(fixture.editorB.cookie);
		const outsiderStates = heard(outsider);
		const insiderStates = heard(editorA);
		await ask(outsider, 'meeting:join', { missionId: fixture.missionId });
		await ask(editorA, 'meeting:join', { missionId: fixture.missionId });
		await ask(lead, 'meeting:join', { missionId: fixture.missionId });
		const started = await ask(lead, 'meeting:start', { missionId: fixture.missionId, forum: 'Missions Board', boardId: shared.id });
		const meetingId = started.meeting!.meetingId;
		const capture = await api(server, 'POST', `/api/meetings/${meetingId}/records`, { cookie: fixture.lead.cookie, headers: { origin: server.url }, body: { kind: 'action', text: 'Brief department A only', owner: 'Ann Alpha', due: '2030-02-01', boardId: fixture.boardX.id } });
		expect(capture.status).toBe(201);
		const focused = await ask(lead, 'meeting:focus', { missionId: fixture.missionId, view: 'actions', focus: { boardId: fixture.boardX.id, register: 'actions', recordId: actionOnX.id } });
		expect(focused.meeting?.focus).toMatchObject({ boardId: fixture.boardX.id });

		await eventually(() => expect(insiderStates.at(-1)?.meeting?.focus).toMatchObject({ boardId: fixture.boardX.id, recordId: actionOnX.id }));
		await eventually(() => expect(outsiderStates.at(-1)?.meeting).toMatchObject({ meetingId, boardId: shared.id, focus: null }));
		const seen = outsiderStates.at(-1)!.meeting!;
		expect(seen.participants.map((person) => person.id)).toContain(fixture.lead.principalId);
		expect(seen.participants.map((person) => person.id)).not.toContain(fixture.editorA.principalId);
		expect(JSON.stringify(outsiderStates)).not.toContain(fixture.boardX.id);

		const list = await api(server, 'GET', `/api/meetings?missionId=${fixture.missionId}`, { cookie: fixture.editorB.cookie });
		expect(JSON.stringify(list.body)).toContain(meetingId);
		expect(JSON.stringify(list.body)).not.toContain(fixture.boardX.id);
		const one = await api(server, 'GET', `/api/meetings/${meetingId}`, { cookie: fixture.editorB.cookie });
		expect(one.status).toBe(200);
		expect(JSON.stringify(one.body)).not.toContain(fixture.boardX.id);

		expect((await ask(lead, 'meeting:end', { missionId: fixture.missionId })).ok).toBe(true);
	});
});

describe('meetings across departments, across instances (issue 10, item 3)', () => {
	let redis: RunningRedis;
	let instances: TestServer[] = [];
	let fixture: AccessFixture;
	const sockets: Socket[] = [];

	beforeAll(async () => {
		redis = await startRedis({ appendonly: false });
		instances = await startInstances(2, redis.url);
		fixture = await buildAccessFixture(instances[0]!);
	});
	afterAll(async () => {
		for (const socket of sockets) socket.close();
		await Promise.all(instances.map((instance) => instance.close()));
		await redis?.stop();
	});

	it('each socket gets its own view whichever instance it is on', async () => {
		const [a, b] = instances as [TestServer, TestServer];
		const connect = async (server: TestServer, cookie: string) => {
			const socket = await socketClient(server, { cookie });
			sockets.push(socket);
			return socket;
		};
		const lead = await connect(a, fixture.lead.cookie);
		const insider = await connect(b, fixture.editorA.cookie);
		const outsider = await connect(b, fixture.editorB.cookie);
		const insiderStates: MissionMeeting[] = [];
		const outsiderStates: MissionMeeting[] = [];
		insider.on('meeting:state', (state: MissionMeeting) => insiderStates.push(state));
		outsider.on('meeting:state', (state: MissionMeeting) => outsiderStates.push(state));
		for (const socket of [outsider, insider, lead]) expect(((await socket.emitWithAck('meeting:join', { missionId: fixture.missionId })) as Reply).ok).toBe(true);
		const started = (await lead.emitWithAck('meeting:start', { missionId: fixture.missionId, forum: 'Skills board', boardId: fixture.boardX.id })) as Reply;
		expect(started.ok).toBe(true);
		await lead.emitWithAck('meeting:next', { missionId: fixture.missionId });
		await eventually(() => expect(insiderStates.at(-1)?.meeting).toMatchObject({ meetingId: started.meeting!.meetingId, view: defaultPlaylistItems[1]!.view }));
		expect(outsiderStates.every((state) => state.meeting === null)).toBe(true);
		expect(JSON.stringify(outsiderStates)).not.toContain(fixture.boardX.id);
		await lead.emitWithAck('meeting:end', { missionId: fixture.missionId });
	});
});
