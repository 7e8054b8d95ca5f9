/**
 * Board access revoked across instances. A department taken off a board on instance A: the
 * access layer of A (`LiveAccess.enforceBoard`) closes A's `/yjs` peers of the board at once and
 * takes every socket out of the board's socket.io room, on every instance (through the Redis
 * adapter). B hears nothing of the change itself: its `/yjs` peers of the board are closed by
 * B's own sweep (every `sweepIntervalMs`), which re-reads the board from the shared store.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeCodes } from '#lib/protocol/close-codes.ts';
import { roomNames } from '#lib/protocol/room-events.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import { api, buildAccessFixture, createInvite, docClient, redeem, socketClient, type DocClient } from './access-fixture.ts';
import { startRedis, type RunningRedis } from './helpers/redis-server.ts';
import { startInstances } from './helpers/scale.ts';
import type { TestServer } from './helpers/server.ts';

describe('scale-out: board access revoked on another instance', () => {
	let redis: RunningRedis;
	let instances: TestServer[] = [];
	const cleanups: Array<() => void> = [];

	beforeEach(async () => {
		redis = await startRedis();
	});
	afterEach(async () => {
		for (const cleanup of cleanups.splice(0)) cleanup();
		await Promise.all(instances.map((instance) => instance.close()));
		instances = [];
		await redis.stop();
	});

	it('A closes its own peers and every instance’s room sockets at once; B’s peers go at B’s sweep', async () => {
		// A sweep far away, so that only what the change itself does is seen until the test sweeps B.
		instances = await startInstances(2, redis.url, { accessLimits: { sweepIntervalMs: 600_000 } });
		const [a, b] = instances as [TestServer, TestServer];
		const fixture = await buildAccessFixture(a);
		const member = await redeem(a, (await createInvite(a, { departmentId: fixture.departments.a, role: 'editor' })).token, 'Mo Member');
		const board = boardDocName(fixture.boardX.id);
		const open = (server: TestServer): DocClient => {
			const client = docClient(server, board, { cookie: member.cookie });
			cleanups.push(() => client.destroy());
			return client;
		};
		const onA = open(a);
		const onB = open(b);
		await Promise.all([onA.synced, onB.synced]);
		const socketOnB = await socketClient(b, { cookie: member.cookie });
		cleanups.push(() => socketOnB.disconnect());
		expect(await socketOnB.emitWithAck('board:join', { boardId: fixture.boardX.id })).toMatchObject({ ok: true });
		const revoked = new Promise<unknown>((resolve) => socketOnB.once('board:revoked', resolve));

		const removal = await api(a, 'DELETE', `/api/boards/${fixture.boardX.id}/departments/${fixture.departments.a}`, { cookie: fixture.lead.cookie });
		expect(removal.status).toBe(200);
		expect(await onA.closed).toBe(closeCodes.accessRevoked);
		expect(await revoked).toEqual({ boardId: fixture.boardX.id });
		expect((await b.backend.io.local.in(roomNames.board(fixture.boardX.id)).fetchSockets()).length).toBe(0);
		// B's peer is still open: nothing on B heard the change.
		expect(onB.provider.wsconnected).toBe(true);

		await b.backend.access.live.sweep();
		expect(await onB.closed).toBe(closeCodes.accessRevoked);
	});
});
