/**
 * Meeting mode on two instances sharing one Redis: a chair on either instance moves the walls of
 * both, pausing stops the rotation everywhere, and only one instance rotates (the one that made
 * the last change), one step per interval; when that instance goes away another takes over.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MeetingState, MissionMeeting } from '../src/lib/protocol/meeting.ts';
import { eventually } from './helpers/clients.ts';
import { startRedis, type RunningRedis } from './helpers/redis-server.ts';
import { startInstances } from './helpers/scale.ts';
import type { TestServer } from './helpers/server.ts';
import { connected, connectRoom, createMission, createWallDisplay, meetingOf, request, setPlaylist, type MissionFixture, type RoomClient } from './wall-fixtures.ts';

/** The shortest interval a playlist allows. */
const dwellSeconds = 5;
const playlist = [
	{ view: 'summary', seconds: dwellSeconds },
	{ view: 'blockers', seconds: dwellSeconds },
	{ view: 'actions', seconds: dwellSeconds }
];

describe('meeting mode across two instances', () => {
	let redis: RunningRedis;
	let instances: TestServer[] = [];
	let mission: MissionFixture;
	let wallToken: string;
	const sockets: RoomClient[] = [];

	const open = async (server: TestServer, credential?: string) => {
		const socket = connectRoom(server, credential);
		sockets.push(socket);
		await connected(socket);
		return socket;
	};
	const join = async (socket: RoomClient) => meetingOf(await request(socket, 'meeting:join', { missionId: mission.missionId }));
	/** Every meeting:state a socket receives. */
	const watch = (socket: RoomClient) => {
		const states: MissionMeeting[] = [];
		socket.on('meeting:state', (state) => states.push(state));
		return states;
	};
	const latest = (states: MissionMeeting[]) => states.at(-1)?.meeting;

	beforeEach(async () => {
		redis = await startRedis();
		instances = await startInstances(2, redis.url);
		mission = await createMission(instances[0]!);
		wallToken = (await createWallDisplay(instances[0]!, mission.missionId, 'Room 2 wall')).token;
		await setPlaylist(instances[0]!, mission.missionId, playlist);
	});

	afterEach(async () => {
		for (const socket of sockets.splice(0)) socket.disconnect();
		await Promise.all(instances.map((instance) => instance.close()));
		instances = [];
		await redis.stop();
	});

	it('a chair on either instance moves the walls of both; pause stops every rotation; after resume one instance rotates, once per interval', async () => {
		const [a, b] = instances as [TestServer, TestServer];
		const wallOnB = await open(b, wallToken);
		expect(await join(wallOnB)).toBeNull();
		const wallStates = watch(wallOnB);
		const followerOnA = await open(a);
		expect(await join(followerOnA)).toBeNull();
		const followerStates = watch(followerOnA);

		// The chair starts the meeting on A; the wall on B sees it, and B knows it is running.
		const chairOnA = await open(a);
		await join(chairOnA);
		const started = meetingOf(await request(chairOnA, 'meeting:start', { missionId: mission.missionId, forum: 'Missions Board' }))!;
		await eventually(() => expect(latest(wallStates)?.meetingId).toBe(started.meetingId));
		expect((await b.backend.meetings.service.current(mission.missionId))?.meetingId).toBe(started.meetingId);

		// The chair reconnects, to B: its moves reach the follower on A.
		chairOnA.disconnect();
		const chairOnB = await open(b);
		expect((await join(chairOnB))?.meetingId).toBe(started.meetingId);
		const moved = meetingOf(await request(chairOnB, 'meeting:next', { missionId: mission.missionId }))!;
		await eventually(() => expect(followerStates.some((state) => state.meeting?.seq === moved.seq && state.meeting.index === moved.index)).toBe(true));
		const focus = { boardId: mission.boardIds[0]!, register: 'dependencies', recordId: 'dep-on-the-wall' };
		const focused = meetingOf(await request(chairOnB, 'meeting:focus', { missionId: mission.missionId, view: 'actions', focus }))!;
		expect(focused).toMatchObject({ view: 'actions', index: 2, focus, paused: true });
		await eventually(() => expect(latest(followerStates)).toMatchObject({ seq: focused.seq, view: 'actions', focus, paused: true }));
		await eventually(() => expect(latest(wallStates)).toMatchObject({ seq: focused.seq, view: 'actions', focus, paused: true }));

		// Paused: for two whole intervals no instance moves the walls (a move on either would reach both walls).
		const paused = meetingOf(await request(chairOnB, 'meeting:pause', { missionId: mission.missionId, paused: true }))!;
		await eventually(() => expect(latest(followerStates)?.seq).toBe(paused.seq));
		const before = { wall: wallStates.length, follower: followerStates.length };
		await new Promise((resolve) => setTimeout(resolve, 2 * dwellSeconds * 1000 + 1000));
		expect(wallStates.slice(before.wall)).toEqual([]);
		expect(followerStates.slice(before.follower)).toEqual([]);
		// Read only now: asking an instance syncs its copy with the store, which must not be what stopped it.
		for (const instance of [a, b]) expect(await instance.backend.meetings.service.current(mission.missionId)).toMatchObject({ index: 2, view: 'actions', paused: true });

		// Resumed: the walls move on, one step per interval, both walls the same steps.
		const resumed = meetingOf(await request(chairOnB, 'meeting:pause', { missionId: mission.missionId, paused: false }))!;
		const steps = 4;
		const rotations = (states: MissionMeeting[]) => states.map((state) => state.meeting).filter((state): state is MeetingState => !!state && state.seq > resumed.seq);
		await eventually(() => expect(rotations(wallStates).length).toBeGreaterThanOrEqual(steps), (steps + 3) * dwellSeconds * 1000);
		await eventually(() => expect(rotations(followerStates).length).toBeGreaterThanOrEqual(steps));
		const seen = rotations(wallStates).slice(0, steps);
		expect(rotations(followerStates).slice(0, steps).map((state) => [state.seq, state.index])).toEqual(seen.map((state) => [state.seq, state.index]));
		let previous: MeetingState = resumed;
		for (const state of seen) {
			// Each state is one step on from the one before, stamped at least most of an interval after it
			// (the server's own clock, not the test's); a second rotating instance would add steps in between.
			expect(state.index).toBe((previous.index + 1) % playlist.length);
			expect(state.changedAt - previous.changedAt).toBeGreaterThanOrEqual(dwellSeconds * 1000 * 0.8);
			previous = state;
		}
	}, 90_000);

	it('when the rotating instance goes away, another one takes the rotation over', async () => {
		const [a, b] = instances as [TestServer, TestServer];
		const wallOnB = await open(b, wallToken);
		await join(wallOnB);
		const wallStates = watch(wallOnB);
		const chairOnA = await open(a);
		await join(chairOnA);
		const started = meetingOf(await request(chairOnA, 'meeting:start', { missionId: mission.missionId, forum: 'Stocktake' }))!;
		await eventually(() => expect(latest(wallStates)?.meetingId).toBe(started.meetingId));

		// Closing A disconnects sockets on every instance (socket.io's disconnectSockets goes through the
		// adapter); the wall connects and joins again, as the wall page does.
		wallOnB.on('disconnect', () => wallOnB.connect());
		wallOnB.on('connect', () => void join(wallOnB));
		chairOnA.disconnect();
		await a.close();
		instances = [b];
		const count = wallStates.length;
		/** The moves the wall saw since A went away (a rejoin also sends the state, unmoved). */
		const moves = () => {
			let index = latest(wallStates.slice(0, count))!.index;
			const seen: MeetingState[] = [];
			for (const state of wallStates.slice(count).map((entry) => entry.meeting)) {
				if (!state || state.index === index) continue;
				expect(state.index).toBe((index + 1) % playlist.length);
				seen.push(state);
				index = state.index;
			}
			return seen;
		};
		// B held a copy loaded from the store: after one interval (and a little more) with nobody rotating, it rotates.
		await eventually(() => expect(moves().length).toBeGreaterThanOrEqual(2), 5 * dwellSeconds * 1000);
		expect(moves().every((state) => state.meetingId === started.meetingId)).toBe(true);
	}, 60_000);
});
