/**
 * Issue 10, "Also": the board rooms (`board:join`, `board:leave`, `board:revoked`) stay, for live
 * board events such as the change ledger, and are checked against who the socket's principal is
 * *now*: on join and on every event naming a board, not as they were at the handshake. A person
 * moved to another department (by a lead on another instance: straight into the store, no event
 * here, the sweep far away) can no longer join the board or send events about it; a socket that
 * joined leaves the room with `board:revoked` when the sweep sees it; room events reach members only.
 */
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomNames } from '#lib/protocol/room-events.ts';
import { collections } from '#lib/protocol/workspace.ts';
import { buildAccessFixture, createInvite, redeem, socketClient, type AccessFixture } from './access-fixture.ts';
import { eventually } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

describe('board rooms check the current principal (issue 10, also)', () => {
	let server: TestServer;
	let fixture: AccessFixture;
	const sockets: Socket[] = [];

	beforeAll(async () => {
		server = await startTestServer({ accessLimits: { sweepIntervalMs: 600_000 } });
		fixture = await buildAccessFixture(server);
	});
	afterAll(async () => {
		for (const socket of sockets) socket.close();
		await server?.close();
	});

	/** Moves a person to another department in the store, as a lead on another instance would. */
	async function moveInStore(personId: string, departmentId: string): Promise<void> {
		const store = server.backend.store;
		const record = (await store.getRecord(collections.people, personId)) as Record<string, unknown>;
		await store.putRecord(collections.people, personId, { ...record, departmentId });
	}

	it('a person moved out of the department can no longer join the board or send events about it', async () => {
		const mover = await redeem(server, (await createInvite(server, { departmentId: fixture.departments.a, role: 'editor' })).token, 'Moe Mover');
		const socket = await socketClient(server, { cookie: mover.cookie });
		sockets.push(socket);
		expect(await socket.emitWithAck('board:join', { boardId: fixture.boardX.id })).toMatchObject({ ok: true, access: 'write' });
		socket.emit('board:leave', { boardId: fixture.boardX.id });

		await moveInStore(mover.id, fixture.departments.b);
		expect(await socket.emitWithAck('board:join', { boardId: fixture.boardX.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
		expect(await socket.emitWithAck('board:join', { boardId: fixture.boardY.id })).toMatchObject({ ok: true });
		// An event naming board X is refused as for a board that does not exist.
		const focus = { missionId: fixture.missionId, view: 'actions', focus: { boardId: fixture.boardX.id, register: 'actions', recordId: 'any-record' } };
		expect(await socket.emitWithAck('meeting:focus', focus)).toMatchObject({ ok: false, error: { code: 'not_found' } });
		const unknown = { ...focus, focus: { ...focus.focus, boardId: 'NoSuchBoard01' } };
		expect(await socket.emitWithAck('meeting:focus', unknown)).toEqual(await socket.emitWithAck('meeting:focus', focus));
	});

	it('a socket in the room leaves it with board:revoked once its principal lost the board; room events reach members only', async () => {
		const mover = await redeem(server, (await createInvite(server, { departmentId: fixture.departments.a, role: 'viewer' })).token, 'Mia Mover');
		const member = await socketClient(server, { cookie: mover.cookie });
		const outsider = await socketClient(server, { cookie: fixture.editorB.cookie });
		sockets.push(member, outsider);
		expect(await member.emitWithAck('board:join', { boardId: fixture.boardX.id })).toMatchObject({ ok: true, access: 'read' });
		const memberHeard: unknown[] = [];
		const outsiderHeard: unknown[] = [];
		member.on('workspace:changed', (change: unknown) => memberHeard.push(change));
		outsider.on('workspace:changed', (change: unknown) => outsiderHeard.push(change));
		server.backend.io.to(roomNames.board(fixture.boardX.id)).emit('workspace:changed', { kind: 'boards' });
		await eventually(() => expect(memberHeard).toHaveLength(1));

		const revoked = new Promise<unknown>((resolve) => member.once('board:revoked', resolve));
		await moveInStore(mover.id, fixture.departments.b);
		await server.backend.access.live.sweep();
		expect(await revoked).toEqual({ boardId: fixture.boardX.id });
		server.backend.io.to(roomNames.board(fixture.boardX.id)).emit('workspace:changed', { kind: 'boards' });
		server.backend.io.to(roomNames.workspace).emit('workspace:changed', { kind: 'settings' });
		await eventually(() => expect(memberHeard).toContainEqual({ kind: 'settings' }));
		expect(memberHeard).toHaveLength(2);
		expect(outsiderHeard).toEqual([{ kind: 'settings' }]);
	});
});
