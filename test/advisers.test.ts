/**
 * A mission's advisory board reads every board of the mission and comments, never edits. The
 * leadership's `advisers` list is what grants it (not a department joining boards), live: adding an
 * adviser lets their next request and `board:join` in, removing one closes their open `/yjs`
 * connections (4403) and takes their sockets out of the boards' rooms at once. The attacks come
 * first: a stock y-websocket client of an adviser editing a field, deleting a comment, appending a
 * comment, or opening a board of another mission is refused, counted, and nothing is stored.
 */
import * as Y from 'yjs';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addComment } from '#lib/board/comments.ts';
import { closeCodes } from '#lib/protocol/close-codes.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import { adminCredential, api, buildAccessFixture, createInvite, docClient, redeem, rejectedCount, socketClient, storedDoc, type AccessFixture, type Credential, type Person } from './access-fixture.ts';
import { eventually } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

type RecordList = { records: { id: string; ref: string; comments: { text: string }[] }[] };

describe('advisers of a mission', () => {
	let server: TestServer;
	let world: AccessFixture;
	let adviser: Person;
	let otherMission: { id: string; boardId: string };
	let dependency: { id: string; ref: string };
	const as = (person: Person): Credential => ({ cookie: person.cookie });
	const call = (credential: Credential, method: string, path: string, body?: unknown) => api(server, method, path, { ...credential, body });
	const setAdvisers = async (people: Person[]) => {
		const answer = await call(as(world.lead), 'PATCH', `/api/missions/${world.missionId}/leadership`, { advisers: people.map((person) => ({ name: person.name, personId: person.id })) });
		expect(answer.status, answer.text).toBe(200);
	};

	/** The HTTP status a `/yjs` upgrade gets (a refused upgrade never becomes a websocket). */
	function upgradeStatus(docName: string, cookie: string): Promise<number> {
		return new Promise((resolve, reject) => {
			const socket = new WebSocket(`${server.wsUrl}/yjs/${docName}`, { headers: { cookie, origin: server.url } });
			socket.once('unexpected-response', (_request, response) => {
				resolve(response.statusCode ?? 0);
				socket.terminate();
			});
			socket.once('open', () => {
				socket.close();
				resolve(101);
			});
			socket.once('error', reject);
		});
	}

	beforeAll(async () => {
		// No sweep within the test's life: what the live test sees is the at-once enforcement alone.
		server = await startTestServer({ accessLimits: { sweepIntervalMs: 3_600_000 } });
		world = await buildAccessFixture(server);
		// The advisory board is a department that joined no board: only the advisers list can grant.
		const advisory = (await call(adminCredential, 'POST', '/api/departments', { name: 'Advisory board', code: 'ADVB', colour: '#445566' })).body as { id: string };
		adviser = await redeem(server, (await createInvite(server, { departmentId: advisory.id, role: 'adviser' })).token, 'Ada Adviser');
		const mission = (await call(adminCredential, 'POST', '/api/missions', { title: 'Safer streets' })).body as { id: string };
		const board = (await call(adminCredential, 'POST', `/api/missions/${mission.id}/boards`, { title: 'Board Z: policing', departmentIds: [world.departments.a] })).body as { id: string };
		otherMission = { id: mission.id, boardId: board.id };
		for (const boardId of [world.boardX.id, board.id]) {
			const created = await call(as(world.lead), 'POST', `/api/boards/${boardId}/dependencies`, {
				title: 'Data share agreement',
				providerDepartment: world.departments.a,
				providerOwner: { name: 'Tom Hughes' },
				receiverDepartment: world.departments.b,
				receiverOwner: { name: 'Ed Beta' },
				deliverable: 'A signed data share'
			});
			expect(created.status, created.text).toBe(201);
		}
		const listed = (await call(as(world.lead), 'GET', `/api/boards/${world.boardX.id}/dependencies`)).body as RecordList;
		dependency = listed.records[0]!;
		const first = await call(as(world.lead), 'POST', `/api/boards/${world.boardX.id}/dependencies/${dependency.ref}/comments`, { text: 'The lead’s first comment' });
		expect(first.status, first.text).toBe(201);
	});
	afterAll(async () => {
		await server?.close();
	});

	it('sees no board of the mission until the leadership lists them, then every board of it and nothing else', async () => {
		expect((await call(as(adviser), 'GET', `/api/boards/${world.boardX.id}/dependencies`)).status).toBe(404);
		expect((await call(as(adviser), 'GET', `/api/missions/${world.missionId}/tracking`)).status).toBe(404);
		expect(await upgradeStatus(boardDocName(world.boardX.id), adviser.cookie)).toBe(404);

		await setAdvisers([adviser]);
		for (const board of [world.boardX, world.boardY]) {
			expect((await call(as(adviser), 'GET', `/api/boards/${board.id}/dependencies`)).status, board.title).toBe(200);
			expect((await api(server, 'GET', `/boards/${board.id}`, as(adviser))).status, board.title).toBe(200);
		}
		const me = (await call(as(adviser), 'GET', '/api/me')).body as { boards: { id: string; access: string }[] };
		expect(me.boards.map((board) => [board.id, board.access]).sort()).toEqual([[world.boardX.id, 'read'], [world.boardY.id, 'read']].sort());
		expect((await call(as(adviser), 'GET', `/api/missions/${world.missionId}/tracking`)).status).toBe(200);
		// Another mission's boards stay unseen, on every door.
		expect((await call(as(adviser), 'GET', `/api/boards/${otherMission.boardId}/dependencies`)).status).toBe(404);
		expect((await call(as(adviser), 'GET', `/api/missions/${otherMission.id}/tracking`)).status).toBe(404);
		expect(await upgradeStatus(boardDocName(otherMission.boardId), adviser.cookie)).toBe(404);
		// Listing a person who is not an adviser (an editor) grants them nothing beyond their role's boards.
		await setAdvisers([adviser, world.editorB]);
		expect((await call(as(world.editorB), 'GET', `/api/boards/${world.boardX.id}/dependencies`)).status).toBe(404);
	});

	it('refuses every write of an adviser’s stock y-websocket client (edit a field, delete a comment, append a comment): counted, nothing stored', async () => {
		await setAdvisers([adviser]);
		const docName = boardDocName(world.boardX.id);
		const observer = docClient(server, docName, adminCredential);
		const client = docClient(server, docName, as(adviser));
		try {
			await Promise.all([observer.synced, client.synced]);
			const record = client.doc.getMap('dependencies').get(dependency.id) as Y.Map<unknown>;
			expect(record).toBeInstanceOf(Y.Map);
			const attacks: [string, () => void][] = [
				['edit a field', () => record.set('status', 'delivered')],
				['delete a comment', () => (record.get('comments') as Y.Array<unknown>).delete(0, 1)],
				['append a comment', () => addComment(client.doc, 'dependencies', dependency.id, { text: 'Written over the websocket' }, { id: adviser.principalId, name: adviser.name })]
			];
			for (const [what, attack] of attacks) {
				const before = await rejectedCount(server, 'read_only');
				attack();
				await eventually(async () => expect(await rejectedCount(server, 'read_only'), what).toBeGreaterThan(before));
			}
			// The connection stays open and in sync: a later edit by a writer still reaches the adviser.
			observer.doc.getMap('probe').set('after the attacks', 'yes');
			await eventually(() => expect(client.doc.getMap('probe').get('after the attacks')).toBe('yes'));
			const stored = (await storedDoc(server, docName)).getMap('dependencies').get(dependency.id) as Y.Map<unknown>;
			expect(stored.get('status')).not.toBe('delivered');
			expect((stored.get('comments') as Y.Array<{ text: string }>).toArray().map((comment) => comment.text)).toEqual(['The lead’s first comment']);
			const seen = observer.doc.getMap('dependencies').get(dependency.id) as Y.Map<unknown>;
			expect(JSON.stringify(seen.toJSON())).not.toContain('Written over the websocket');
		} finally {
			client.destroy();
			observer.destroy();
		}
	});

	it('comments through the API on every board of the mission, and on nothing else', async () => {
		await setAdvisers([adviser]);
		const path = `/api/boards/${world.boardX.id}/dependencies/${dependency.ref}`;
		const commented = await call(as(adviser), 'POST', `${path}/comments`, { text: 'The advisory board asks for the revised cost model' });
		expect(commented.status, commented.text).toBe(201);
		expect((commented.body as { comments: { text: string; author: { name: string } }[] }).comments.at(-1)).toMatchObject({ author: { name: 'Ada Adviser' } });
		expect((await call(as(adviser), 'PATCH', path, { status: 'delivered' })).status).toBe(403);
		const other = (await call(as(world.lead), 'GET', `/api/boards/${otherMission.boardId}/dependencies`)).body as RecordList;
		const before = await storedDoc(server, boardDocName(otherMission.boardId));
		expect((await call(as(adviser), 'POST', `/api/boards/${otherMission.boardId}/dependencies/${other.records[0]!.ref}/comments`, { text: 'Not my mission' })).status).toBe(404);
		const after = await storedDoc(server, boardDocName(otherMission.boardId));
		expect(JSON.stringify(after.getMap('dependencies').toJSON())).toBe(JSON.stringify(before.getMap('dependencies').toJSON()));
	});

	it('takes the boards away within a blink when the adviser is removed, and gives them back when added again', async () => {
		await setAdvisers([adviser]);
		const doc = docClient(server, boardDocName(world.boardY.id), as(adviser));
		await doc.synced;
		const socket = await socketClient(server, as(adviser));
		try {
			expect(await socket.emitWithAck('board:join', { boardId: world.boardY.id })).toMatchObject({ ok: true, access: 'read' });
			const revoked = new Promise<unknown>((resolve) => socket.once('board:revoked', resolve));
			await setAdvisers([]);
			expect(await doc.closed).toBe(closeCodes.accessRevoked);
			expect(await revoked).toEqual({ boardId: world.boardY.id });
			expect((await call(as(adviser), 'GET', `/api/boards/${world.boardY.id}/dependencies`)).status).toBe(404);
			expect(await socket.emitWithAck('board:join', { boardId: world.boardY.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });

			await setAdvisers([adviser]);
			expect(await socket.emitWithAck('board:join', { boardId: world.boardY.id })).toMatchObject({ ok: true, access: 'read' });
			const again = docClient(server, boardDocName(world.boardY.id), as(adviser));
			try {
				await again.synced;
				expect(again.provider.wsconnected).toBe(true);
			} finally {
				again.destroy();
			}
		} finally {
			socket.close();
			doc.destroy();
		}
	});
});
