/**
 * Meeting mode over real socket.io: the chair moves every wall of the mission, only the chair
 * may, bad payloads get an error acknowledgement, the chair can hand over, the rotation runs on
 * the server and pausing stops it, and a restarted server resumes the meeting where it was.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultPlaylistItems, type MeetingState, type MissionMeeting } from '../src/lib/protocol/meeting.ts';
import { eventually } from './helpers/clients.ts';
import { startTestServer, tempDir, type TestServer } from './helpers/server.ts';
import { createInvite, redeem, type Person } from './access-fixture.ts';
import { api, connected, connectRoom, createMission, createWallDisplay, meetingOf, request, type MissionFixture, type RoomClient } from './wall-fixtures.ts';

describe('meeting mode over socket.io', () => {
	let server: TestServer;
	let mission: MissionFixture;
	let editor: Person;
	let viewer: Person;
	let wallToken: string;
	const sockets: RoomClient[] = [];

	const open = async (credential?: string | Person) => {
		const socket = connectRoom(server, typeof credential === 'object' ? { cookie: credential.cookie } : credential);
		sockets.push(socket);
		await connected(socket);
		return socket;
	};

	/** Collects every meeting:state a socket receives. */
	const watch = (socket: RoomClient) => {
		const states: MissionMeeting[] = [];
		socket.on('meeting:state', (state) => states.push(state));
		return states;
	};

	beforeAll(async () => {
		server = await startTestServer();
		mission = await createMission(server);
		const departmentId = mission.departmentIds[0]!;
		// Real people (invites) and a real wall display: the access layer re-checks live connections.
		editor = await redeem(server, (await createInvite(server, { departmentId, role: 'editor' })).token, 'Esme Editor');
		viewer = await redeem(server, (await createInvite(server, { departmentId, role: 'viewer' })).token, 'Vic Viewer');
		wallToken = (await createWallDisplay(server, mission.missionId, 'Room 4 wall')).token;
	});

	afterEach(async () => {
		for (const socket of sockets.splice(0)) socket.disconnect();
		// End whatever meeting a test left running.
		const chair = await open();
		await request(chair, 'meeting:join', { missionId: mission.missionId });
		await request(chair, 'meeting:end', { missionId: mission.missionId });
		chair.disconnect();
		sockets.splice(0);
	});

	afterAll(async () => {
		await server?.close();
	});

	it('starts a meeting and moves every wall of the mission with next, previous and focus', async () => {
		const chair = await open();
		const wall = await open(wallToken);
		expect(meetingOf(await request(wall, 'meeting:join', { missionId: mission.missionId }))).toBeNull();
		const wallStates = watch(wall);
		meetingOf(await request(chair, 'meeting:join', { missionId: mission.missionId }));

		const started = meetingOf(await request(chair, 'meeting:start', { missionId: mission.missionId, forum: 'Missions Board' }));
		expect(started).toMatchObject({ chair: { id: 'admin' }, view: 'summary', index: 0, paused: false, forum: 'Missions Board', boardId: mission.boardIds[0] });
		await eventually(() => expect(wallStates.at(-1)?.meeting?.meetingId).toBe(started!.meetingId));
		expect(wallStates.at(-1)?.meeting?.walls).toBe(1);

		meetingOf(await request(chair, 'meeting:next', { missionId: mission.missionId }));
		await eventually(() => expect(wallStates.at(-1)?.meeting).toMatchObject({ view: defaultPlaylistItems[1]!.view, index: 1 }));
		meetingOf(await request(chair, 'meeting:prev', { missionId: mission.missionId }));
		await eventually(() => expect(wallStates.at(-1)?.meeting).toMatchObject({ view: 'summary', index: 0 }));

		const focus = { boardId: mission.boardIds[0], register: 'dependencies', recordId: 'dep-abc' };
		meetingOf(await request(chair, 'meeting:focus', { missionId: mission.missionId, view: 'map', focus }));
		await eventually(() => expect(wallStates.at(-1)?.meeting).toMatchObject({ view: 'map', index: defaultPlaylistItems.findIndex((item) => item.view === 'map'), focus, paused: true }));

		// States only ever move forward.
		const seqs = wallStates.map((state) => state.meeting?.seq ?? 0);
		expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
	});

	it('refuses moves from anyone but the chair, and meetings from walls and viewers', async () => {
		const chair = await open();
		const editorSocket = await open(editor);
		const viewerSocket = await open(viewer);
		const wall = await open(wallToken);
		for (const socket of [chair, editorSocket, viewerSocket, wall]) meetingOf(await request(socket, 'meeting:join', { missionId: mission.missionId }));

		expect(await request(wall, 'meeting:start', { missionId: mission.missionId, forum: 'Stocktake' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
		expect(await request(viewerSocket, 'meeting:start', { missionId: mission.missionId, forum: 'Stocktake' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
		meetingOf(await request(chair, 'meeting:start', { missionId: mission.missionId, forum: 'Stocktake' }));
		expect(await request(editorSocket, 'meeting:start', { missionId: mission.missionId, forum: 'Stocktake' })).toMatchObject({ ok: false, error: { code: 'meeting_running' } });

		for (const socket of [editorSocket, viewerSocket, wall]) {
			expect(await request(socket, 'meeting:next', { missionId: mission.missionId })).toMatchObject({ ok: false, error: { code: 'not_chair' } });
			expect(await request(socket, 'meeting:pause', { missionId: mission.missionId, paused: true })).toMatchObject({ ok: false, error: { code: 'not_chair' } });
		}
		expect(await request(editorSocket, 'meeting:end', { missionId: mission.missionId })).toMatchObject({ ok: false, error: { code: 'not_chair' } });
	});

	it('answers bad payloads with an error and drops them, and keeps the connection', async () => {
		const chair = await open();
		expect(await request(chair, 'meeting:join', { missionId: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
		expect(await request(chair, 'meeting:join', 'not an object')).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
		expect(await request(chair, 'meeting:next', { missionId: mission.missionId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
		meetingOf(await request(chair, 'meeting:join', { missionId: mission.missionId }));
		meetingOf(await request(chair, 'meeting:start', { missionId: mission.missionId, forum: 'Programme board' }));
		expect(await request(chair, 'meeting:focus', { missionId: mission.missionId, view: 'nonsense' })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
		expect(await request(chair, 'meeting:focus', { missionId: mission.missionId, view: 'map', extra: true })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
		expect(await request(chair, 'meeting:focus', { missionId: mission.missionId, view: 'map', focus: { boardId: 'someone-elses-board', register: 'actions', recordId: 'a1' } })).toMatchObject({
			ok: false,
			error: { code: 'not_found' }
		});
		// An event without an acknowledgement is dropped; the socket still works.
		(chair.emit as (event: string, payload: unknown) => void)('meeting:next', { missionId: mission.missionId });
		const after = meetingOf(await request(chair, 'meeting:pause', { missionId: mission.missionId, paused: true }));
		expect(after).toMatchObject({ paused: true, index: 0 });
		expect(chair.connected).toBe(true);
		expect(await request(chair, 'meeting:join', { missionId: 'NoSuchMission1' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
	});

	it('hands the chair to another connected person', async () => {
		const chair = await open();
		const editorSocket = await open(editor);
		const viewerSocket = await open(viewer);
		for (const socket of [chair, editorSocket, viewerSocket]) meetingOf(await request(socket, 'meeting:join', { missionId: mission.missionId }));
		const started = meetingOf(await request(chair, 'meeting:start', { missionId: mission.missionId, forum: 'Missions Board' }));
		expect(started?.participants.map((person) => person.id).sort()).toEqual(['admin', editor.principalId, viewer.principalId].sort());

		expect(await request(chair, 'meeting:handover', { missionId: mission.missionId, to: 'person:nobody' })).toMatchObject({ ok: false, error: { code: 'not_connected' } });
		expect(await request(chair, 'meeting:handover', { missionId: mission.missionId, to: viewer.principalId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
		const handed = meetingOf(await request(chair, 'meeting:handover', { missionId: mission.missionId, to: editor.principalId }));
		expect(handed?.chair).toEqual({ id: editor.principalId, name: 'Esme Editor' });

		expect(meetingOf(await request(editorSocket, 'meeting:next', { missionId: mission.missionId }))?.view).toBe(defaultPlaylistItems[1]!.view);
		expect(await request(chair, 'meeting:next', { missionId: mission.missionId })).toMatchObject({ ok: false, error: { code: 'not_chair' } });
	});

	it('rotates on the server along the playlist, and pausing stops the rotation', async () => {
		const playlist = { items: [{ view: 'summary', seconds: 5 }, { view: 'blockers', seconds: 5 }] };
		expect((await api(server, `/api/playlists/${mission.missionId}`, { method: 'PUT', body: playlist })).status).toBe(200);
		const chair = await open();
		const wall = await open(wallToken);
		meetingOf(await request(wall, 'meeting:join', { missionId: mission.missionId }));
		const wallStates = watch(wall);
		meetingOf(await request(chair, 'meeting:join', { missionId: mission.missionId }));
		meetingOf(await request(chair, 'meeting:start', { missionId: mission.missionId, forum: 'Stocktake' }));
		await eventually(() => expect(wallStates.at(-1)?.meeting).toMatchObject({ view: 'blockers', index: 1 }), 8_000);

		const paused = meetingOf(await request(chair, 'meeting:pause', { missionId: mission.missionId, paused: true }));
		const count = wallStates.length;
		// Longer than a whole dwell: a running rotation would have moved on.
		await new Promise((resolve) => setTimeout(resolve, 6_000));
		expect(wallStates.slice(count).map((state) => state.meeting?.view)).toEqual([]);
		expect(wallStates.at(-1)?.meeting).toMatchObject({ view: paused?.view, paused: true });
		expect((await api(server, `/api/playlists/${mission.missionId}`, { method: 'DELETE' })).status).toBe(200);
	}, 30_000);
});

describe('meeting mode across a server restart', () => {
	it('resumes the running meeting where the walls were', async () => {
		const data = tempDir();
		let server = await startTestServer({ dataDir: data.path });
		try {
			const mission = await createMission(server);
			const chair = connectRoom(server);
			await connected(chair);
			meetingOf(await request(chair, 'meeting:join', { missionId: mission.missionId }));
			const started = meetingOf(await request(chair, 'meeting:start', { missionId: mission.missionId, forum: 'Missions Board' }));
			meetingOf(await request(chair, 'meeting:focus', { missionId: mission.missionId, view: 'actions' }));
			const paused = meetingOf(await request(chair, 'meeting:pause', { missionId: mission.missionId, paused: true }));
			chair.disconnect();
			await server.close();

			server = await startTestServer({ dataDir: data.path });
			const wall = connectRoom(server);
			await connected(wall);
			const resumed = meetingOf(await request(wall, 'meeting:join', { missionId: mission.missionId })) as MeetingState;
			expect(resumed).toMatchObject({ meetingId: started!.meetingId, view: 'actions', index: defaultPlaylistItems.findIndex((item) => item.view === 'actions'), paused: true, chair: { id: 'admin' } });
			expect(resumed.seq).toBeGreaterThan(paused!.seq);
			wall.disconnect();
		} finally {
			await server.close();
			data.remove();
		}
	});
});
