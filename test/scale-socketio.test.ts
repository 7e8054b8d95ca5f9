/**
 * socket.io across instances through `@socket.io/redis-adapter`: an event emitted on one instance
 * reaches clients connected to another, and a Redis outage never takes an instance down.
 */
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { roomNames, type ClientToServerEvents, type ServerToClientEvents } from '#lib/protocol/room-events.ts';
import { eventually } from './helpers/clients.ts';
import { startRedis, type RunningRedis } from './helpers/redis-server.ts';
import { httpStatus, metricValue, startInstances } from './helpers/scale.ts';
import { testAdminToken, type TestServer } from './helpers/server.ts';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

describe('scale-out: socket.io with the Redis adapter', () => {
	let redis: RunningRedis;
	let instances: TestServer[] = [];
	const sockets: ClientSocket[] = [];
	const socketTo = async (server: TestServer): Promise<ClientSocket> => {
		const socket: ClientSocket = connectSocket(server.url, { transports: ['websocket'], auth: { token: testAdminToken }, reconnectionDelayMax: 300 });
		sockets.push(socket);
		await new Promise<void>((resolve, reject) => {
			socket.once('connect', () => resolve());
			socket.once('connect_error', reject);
		});
		return socket;
	};

	beforeEach(async () => {
		redis = await startRedis();
	});
	afterEach(async () => {
		for (const socket of sockets.splice(0)) socket.disconnect();
		await Promise.all(instances.map((instance) => instance.close()));
		instances = [];
		await redis.stop();
	});

	it('an event emitted on one instance reaches a client connected to another', async () => {
		instances = await startInstances(2, redis.url);
		const [a, b] = instances as [TestServer, TestServer];
		const onB = await socketTo(b);
		const received: unknown[] = [];
		onB.on('workspace:changed', (change) => received.push(change));

		a.backend.io.to(roomNames.workspace).emit('workspace:changed', { kind: 'boards', id: 'b-1' });
		await eventually(() => expect(received).toEqual([{ kind: 'boards', id: 'b-1' }]));
	});

	it('an instance sees the sockets connected to every instance', async () => {
		instances = await startInstances(2, redis.url);
		const [a, b] = instances as [TestServer, TestServer];
		await socketTo(a);
		await socketTo(b);
		await socketTo(b);
		const everywhere = await a.backend.io.in(roomNames.workspace).fetchSockets();
		expect(everywhere).toHaveLength(3);
		expect((await a.backend.io.local.fetchSockets()).length).toBe(1);
	});

	it('while Redis is down, emits and disconnects do not take an instance down; after it, events flow again', async () => {
		instances = await startInstances(2, redis.url);
		const [a, b] = instances as [TestServer, TestServer];
		const onB = await socketTo(b);
		const leaving = await socketTo(a);
		const received: unknown[] = [];
		onB.on('workspace:changed', (change) => received.push(change));

		await redis.kill();
		await eventually(async () => expect(await httpStatus(`${a.url}/healthz`)).toBe(503));
		a.backend.io.to(roomNames.workspace).emit('workspace:changed', { kind: 'missions' });
		leaving.disconnect();
		await eventually(async () => expect(await metricValue(a.backend, 'mc_relay_dropped_total', { reason: 'socketio_publish_failed' })).toBeGreaterThan(0));
		// Who is online (asked on every disconnect) falls back to this instance's own sockets.
		await eventually(async () => expect(await metricValue(a.backend, 'mc_relay_dropped_total', { reason: 'socketio_request_failed' })).toBeGreaterThan(0));
		await eventually(async () => expect(await a.backend.io.in(roomNames.workspace).fetchSockets()).toHaveLength(0));

		await redis.restart();
		await eventually(async () => expect(await httpStatus(`${a.url}/healthz`)).toBe(200));
		await eventually(async () => expect(await httpStatus(`${b.url}/healthz`)).toBe(200));
		a.backend.io.to(roomNames.workspace).emit('workspace:changed', { kind: 'departments' });
		await eventually(() => expect(received).toContainEqual({ kind: 'departments' }));
	});
});
