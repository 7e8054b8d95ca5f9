/**
 * "Since the last meeting" through the real server: the walls' baseline
 * (`GET /api/missions/:id/since`, the boards as they stood when the last meeting ended) and the
 * meeting page's opening item, on a mission with two boards of two departments. A wall scoped to
 * board X, and an editor of department A, never see board Y (not its state, not its changes, not
 * its title); bad input gets a clear 4xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fromBase64 } from 'lib0/buffer';
import { readBoard, validRecords } from '#lib/board/board-doc.ts';
import { sinceBaseline } from '#lib/protocol/meeting.ts';
import { adminCredential, api, buildAccessFixture, type AccessFixture } from './access-fixture.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

describe('since the last meeting: walls and the meeting page see only their boards', () => {
	let server: TestServer;
	let world: AccessFixture;
	let secondMeetingId: string;
	const titles = { x: 'Skills data share', y: 'Housing plots data', newRedX: 'Apprenticeship levy data', newRedY: 'Planning portal feed' };

	const dependency = (world: AccessFixture, title: string, department: string, rating: string) => ({
		title,
		providerDepartment: department,
		// A dependency is between two departments (the API refuses one department on both sides).
		receiverDepartment: world.departments.unit,
		providerOwner: { name: 'Ann' },
		receiverOwner: { name: 'Bo' },
		deliverable: 'Monthly data',
		neededBy: '2027-03-01',
		forecast: '2027-02-01',
		rating
	});

	beforeAll(async () => {
		server = await startTestServer();
		world = await buildAccessFixture(server);
		const x = world.boardX.id;
		const y = world.boardY.id;
		for (const [board, title, department] of [
			[x, titles.x, world.departments.a],
			[y, titles.y, world.departments.b]
		] as const) {
			const made = await api(server, 'POST', `/api/boards/${board}/dependencies`, { ...adminCredential, body: dependency(world, title, department, 'amber') });
			expect(made.status).toBe(201);
		}
		const first = await api(server, 'POST', '/api/meetings', { ...adminCredential, body: { missionId: world.missionId, forum: 'Missions Board', boardId: x } });
		expect(first.status).toBe(201);
		expect((await api(server, 'POST', `/api/meetings/${(first.body as { meetingId: string }).meetingId}/end`, adminCredential)).status).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 20));

		// After the meeting: a slip and a new red on each board.
		for (const [board, title, department] of [
			[x, titles.newRedX, world.departments.a],
			[y, titles.newRedY, world.departments.b]
		] as const) {
			expect((await api(server, 'PATCH', `/api/boards/${board}/dependencies/DEP-1`, { ...adminCredential, body: { forecast: '2027-03-15' } })).status).toBe(200);
			expect((await api(server, 'POST', `/api/boards/${board}/dependencies`, { ...adminCredential, body: dependency(world, title, department, 'red') })).status).toBe(201);
		}
		const second = await api(server, 'POST', '/api/meetings', { ...adminCredential, body: { missionId: world.missionId, forum: 'Missions Board', boardId: x } });
		expect(second.status).toBe(201);
		secondMeetingId = (second.body as { meetingId: string }).meetingId;
	});
	afterAll(async () => {
		await server?.close();
	});

	const baselineFor = async (credential: Parameters<typeof api>[3], query = '') => {
		const answer = await api(server, 'GET', `/api/missions/${world.missionId}/since${query}`, credential);
		expect(answer.status, answer.text).toBe(200);
		return sinceBaseline.parse(answer.body);
	};
	const dependenciesIn = (state: string | null) => {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, fromBase64(state!));
		return validRecords(readBoard(doc).dependencies).map((record) => [record.title, record.forecast]);
	};

	it('gives a wall scoped to board X the state of board X at the end of the last meeting, and nothing of board Y', async () => {
		const baseline = await baselineFor({ bearer: world.wall.token });
		expect(baseline.since).toMatchObject({ kind: 'meeting', forum: 'Missions Board' });
		expect(baseline.boards.map((board) => board.boardId)).toEqual([world.boardX.id]);
		// As it stood then: one dependency, its forecast not yet slipped.
		expect(dependenciesIn(baseline.boards[0]!.state)).toEqual([[titles.x, '2027-02-01']]);
		expect(JSON.stringify(baseline)).not.toContain(world.boardY.id);
		// Naming the forum changes nothing about the scope.
		const byForum = await baselineFor({ bearer: world.wall.token }, '?forum=Missions%20Board');
		expect(byForum.boards.map((board) => board.boardId)).toEqual([world.boardX.id]);
	});

	it('gives each department its own board, and a lead both', async () => {
		const a = await baselineFor({ cookie: world.editorA.cookie });
		expect(a.boards.map((board) => board.boardId)).toEqual([world.boardX.id]);
		const b = await baselineFor({ cookie: world.editorB.cookie });
		expect(b.boards.map((board) => board.boardId)).toEqual([world.boardY.id]);
		// The meeting was held on board X: department B does not see it, so B compares with a week
		// ago (before board Y existed), and is not told the meeting's name.
		expect(b.since).toEqual({ kind: 'week' });
		expect(dependenciesIn(b.boards[0]!.state)).toEqual([]);
		const lead = await baselineFor({ cookie: world.lead.cookie });
		expect(lead.boards.map((board) => board.boardId).sort()).toEqual([world.boardX.id, world.boardY.id].sort());
	});

	it('falls back to a week ago when no meeting of the forum has ended', async () => {
		const baseline = await baselineFor({ bearer: world.wall.token }, '?forum=Stocktake');
		expect(baseline.since).toEqual({ kind: 'week' });
		// Board X did not exist a week ago: its state then is empty.
		expect(dependenciesIn(baseline.boards[0]!.state)).toEqual([]);
	});

	it('opens the meeting page with the changes of the boards the reader may see, since the last Missions Board', async () => {
		const pageFor = async (cookie: string, meetingId = secondMeetingId) => {
			const answer = await api(server, 'GET', `/meetings/${meetingId}`, { cookie });
			expect(answer.status).toBe(200);
			return answer.text;
		};
		const a = await pageFor(world.editorA.cookie);
		expect(a).toContain('Since the last Missions Board');
		expect(a).toContain('1 new red · 1 slip · 1 new record');
		expect(a).toContain(titles.newRedX);
		expect(a).toContain(`/boards/${world.boardX.id}?ref=DEP-2`);
		expect(a).toContain('forecast slipped 42 days to 2027-03-15');
		for (const hidden of [titles.y, titles.newRedY, world.boardY.id, world.boardY.title, `/boards/${world.boardY.id}?ref=`]) expect(a).not.toContain(hidden);

		// A meeting held on board X is not department B's to see at all.
		expect((await api(server, 'GET', `/meetings/${secondMeetingId}`, { cookie: world.editorB.cookie })).status).toBe(404);

		const lead = await pageFor(world.lead.cookie);
		expect(lead).toMatch(/2 new reds · 2 slips · 2 new records<\/strong>(<!--[^>]*-->)* on 2 of 2 boards/);

		// Department B's own meeting, on board Y: only board Y's changes. The previous Missions Board
		// was held on board X, which B may not see: B's page compares with the week before instead.
		expect((await api(server, 'POST', `/api/meetings/${secondMeetingId}/end`, adminCredential)).status).toBe(200);
		const onY = await api(server, 'POST', '/api/meetings', { ...adminCredential, body: { missionId: world.missionId, forum: 'Missions Board', boardId: world.boardY.id } });
		expect(onY.status, onY.text).toBe(201);
		const b = await pageFor(world.editorB.cookie, (onY.body as { meetingId: string }).meetingId);
		expect(b).toContain('No earlier meeting of this forum that you can see');
		expect(b).toContain(titles.newRedY);
		for (const hidden of [titles.x, titles.newRedX, `/boards/${world.boardX.id}?ref=`, world.boardX.title]) expect(b).not.toContain(hidden);
	});

	it('answers bad input with a clear 4xx and refuses what a wall may not see', async () => {
		const empty = await api(server, 'GET', `/api/missions/${world.missionId}/since?forum=`, adminCredential);
		expect([empty.status, (empty.body as { error: { code: string } }).error.code]).toEqual([400, 'invalid_request']);
		const unknownParam = await api(server, 'GET', `/api/missions/${world.missionId}/since?from=yesterday`, adminCredential);
		expect(unknownParam.status).toBe(400);
		const badId = await api(server, 'GET', '/api/missions/..%2F..%2Fetc/since', adminCredential);
		expect([400, 404]).toContain(badId.status);
		const unknown = await api(server, 'GET', '/api/missions/no-such-mission/since', adminCredential);
		expect(unknown.status).toBe(404);
		const anonymous = await api(server, 'GET', `/api/missions/${world.missionId}/since`);
		expect(anonymous.status).toBe(401);
		// A wall display cannot open a meeting page (it is not a person).
		const wallPage = await api(server, 'GET', `/meetings/${secondMeetingId}`, { bearer: world.wall.token });
		expect(wallPage.status).not.toBe(200);
		expect(wallPage.text).not.toContain(titles.newRedX);
	});
});
