/**
 * The chair's "as at" on the walls, through the real server: `meeting:as-at` is the chair's alone
 * and refuses bad input and a moment in the future; `GET /api/missions/:id/as-at` gives each board
 * of the caller's scope as it stood then (a wall scoped to board X never gets board Y).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import * as Y from 'yjs';
import { fromBase64 } from 'lib0/buffer';
import { readBoard, validRecords } from '#lib/board/board-doc.ts';
import { missionAsAt, type MeetingReply } from '#lib/protocol/meeting.ts';
import { adminCredential, api, buildAccessFixture, socketClient, type AccessFixture } from './access-fixture.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

describe('as at a moment: the chair sets it, each wall gets only its boards', () => {
	let server: TestServer;
	let world: AccessFixture;
	let moment: number;
	const sockets: Socket[] = [];
	const ask = (socket: Socket, event: string, payload: unknown) => socket.emitWithAck(event, payload) as Promise<MeetingReply>;
	const open = async (credential: Parameters<typeof socketClient>[1]) => {
		const socket = await socketClient(server, credential);
		sockets.push(socket);
		expect((await ask(socket, 'meeting:join', { missionId: world.missionId })).ok).toBe(true);
		return socket;
	};

	beforeAll(async () => {
		server = await startTestServer();
		world = await buildAccessFixture(server);
		for (const [board, title, department] of [
			[world.boardX.id, 'Skills data share', world.departments.a],
			[world.boardY.id, 'Housing plots data', world.departments.b]
		] as const) {
			const made = await api(server, 'POST', `/api/boards/${board}/dependencies`, {
				...adminCredential,
				body: { title, providerDepartment: department, receiverDepartment: world.departments.unit, providerOwner: { name: 'Ann' }, receiverOwner: { name: 'Bo' }, deliverable: 'Monthly data', neededBy: '2027-03-01', forecast: '2027-02-01', rating: 'amber' }
			});
			expect(made.status, made.text).toBe(201);
		}
		await new Promise((resolve) => setTimeout(resolve, 20));
		moment = Date.now();
		await new Promise((resolve) => setTimeout(resolve, 20));
		expect((await api(server, 'PATCH', `/api/boards/${world.boardX.id}/dependencies/DEP-1`, { ...adminCredential, body: { forecast: '2027-03-15' } })).status).toBe(200);
	});
	afterAll(async () => {
		for (const socket of sockets) socket.disconnect();
		await server?.close();
	});

	const forecastsIn = (state: string | null) => {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, fromBase64(state!));
		return validRecords(readBoard(doc).dependencies).map((record) => record.forecast);
	};

	it('gives a wall scoped to board X board X as it stood at the moment, and nothing of board Y', async () => {
		const answer = await api(server, 'GET', `/api/missions/${world.missionId}/as-at?at=${new Date(moment).toISOString()}`, { bearer: world.wall.token });
		expect(answer.status, answer.text).toBe(200);
		const asAt = missionAsAt.parse(answer.body);
		expect(asAt.at).toBe(moment);
		expect(asAt.boards.map((board) => board.boardId)).toEqual([world.boardX.id]);
		expect(forecastsIn(asAt.boards[0]!.state)).toEqual(['2027-02-01']);
		expect(answer.text).not.toContain(world.boardY.id);
		const lead = missionAsAt.parse((await api(server, 'GET', `/api/missions/${world.missionId}/as-at?at=${new Date(moment).toISOString()}`, { cookie: world.lead.cookie })).body);
		expect(lead.boards.map((board) => board.boardId).sort()).toEqual([world.boardX.id, world.boardY.id].sort());
	});

	it('refuses a moment in the future, a malformed one, and none', async () => {
		for (const query of [`?at=${new Date(Date.now() + 3_600_000).toISOString()}`, '?at=yesterday', '', '?at=2026-11-12T14:00:00Z&extra=1']) {
			const answer = await api(server, 'GET', `/api/missions/${world.missionId}/as-at${query}`, { bearer: world.wall.token });
			expect(answer.status, query).toBe(400);
			expect((answer.body as { error: { code: string } }).error.code).toBe('invalid_request');
		}
	});

	it('lets only the chair set the walls as at a moment, refuses bad input, and goes back to live', async () => {
		const chair = await open({ cookie: world.lead.cookie });
		const editor = await open({ cookie: world.editorA.cookie });
		const wall = await open({ token: world.wall.token });
		const started = await ask(chair, 'meeting:start', { missionId: world.missionId, forum: 'Missions Board' });
		expect(started.ok && started.meeting?.asAt).toBe(null);

		const at = new Date(moment).toISOString();
		for (const socket of [editor, wall]) {
			const refused = await ask(socket, 'meeting:as-at', { missionId: world.missionId, at });
			expect(refused).toMatchObject({ ok: false, error: { code: 'not_chair' } });
		}
		for (const payload of [{ missionId: world.missionId, at: 'noon' }, { missionId: world.missionId }, { missionId: world.missionId, at: 12, extra: true }, { missionId: world.missionId, at: new Date(Date.now() + 3_600_000).toISOString() }]) {
			const refused = await ask(chair, 'meeting:as-at', payload);
			expect(refused, JSON.stringify(payload)).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
		}
		const set = await ask(chair, 'meeting:as-at', { missionId: world.missionId, at });
		expect(set.ok && set.meeting?.asAt).toBe(moment);
		// Every follower hears it, the wall included.
		const heard = await ask(wall, 'meeting:join', { missionId: world.missionId });
		expect(heard.ok && heard.meeting?.asAt).toBe(moment);
		const live = await ask(chair, 'meeting:as-at', { missionId: world.missionId, at: null });
		expect(live.ok && live.meeting?.asAt).toBe(null);
		expect((await ask(chair, 'meeting:end', { missionId: world.missionId })).ok).toBe(true);
	});
});
