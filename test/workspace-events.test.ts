/**
 * Every workspace change reaches connected socket.io clients as `workspace:changed` (its kind, no
 * id: see test/attack-broadcasts.test.ts), so home pages update without a reload; server-side
 * listeners get the id. Real server, real socket.io client (websocket transport only).
 */
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents, WorkspaceChange } from '#lib/protocol/room-events.ts';
import { eventually } from './helpers/clients.ts';
import { startTestServer, testAdminToken, type TestServer } from './helpers/server.ts';

describe('workspace:changed over socket.io', () => {
	let server: TestServer;
	let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
	const received: WorkspaceChange[] = [];
	const listened: WorkspaceChange[] = [];

	const post = async (path: string, body: unknown, method = 'POST') => {
		const response = await fetch(`${server.url}${path}`, {
			method,
			headers: { authorization: `Bearer ${testAdminToken}`, 'content-type': 'application/json' },
			body: JSON.stringify(body)
		});
		expect(response.status).toBeLessThan(300);
		return response.json();
	};

	beforeAll(async () => {
		server = await startTestServer();
		server.backend.workspace.onChange((change) => listened.push(change));
		socket = io(server.url, { path: '/socket.io/', transports: ['websocket'], auth: { token: testAdminToken }, reconnection: false });
		socket.on('workspace:changed', (change) => received.push(change));
		await new Promise<void>((resolve, reject) => {
			socket.once('connect', () => resolve());
			socket.once('connect_error', reject);
		});
	});
	afterAll(async () => {
		socket?.disconnect();
		await server?.close();
	});

	it('announces missions, boards, departments and settings as they change', async () => {
		const mission = await post('/api/missions', { title: 'Live mission' });
		await eventually(() => expect(received).toContainEqual({ kind: 'missions' }));
		expect(listened).toContainEqual({ kind: 'missions', id: mission.id });
		const board = await post(`/api/missions/${mission.id}/boards`, { title: 'Live board' });
		await eventually(() => expect(received).toContainEqual({ kind: 'boards' }));
		expect(listened).toContainEqual({ kind: 'boards', id: board.id });
		const department = await post('/api/departments', { name: 'Cabinet Office', code: 'CO', colour: '#005abb' });
		await eventually(() => expect(received).toContainEqual({ kind: 'departments' }));
		expect(listened).toContainEqual({ kind: 'departments', id: department.id });
		await post('/api/workspace', { staleAfterDays: 10 }, 'PATCH');
		await eventually(() => expect(received).toContainEqual({ kind: 'settings' }));
	});
});
