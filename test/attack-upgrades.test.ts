/**
 * Issue 10, item 1: every websocket upgrade is claimed or answered, then its socket is closed. An
 * anonymous flood of upgrades to paths no handler claims (`/yjs?x`, `/yjsX`, `/other`) used to
 * leave each socket open forever (CLOSE-WAIT); here the server runs in its own process and the
 * test counts that process's open file descriptors before and after the flood.
 */
import { readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import { connectClient, eventually } from './helpers/clients.ts';
import { spawnServer, startTestServer, tempDir, testAdminToken, type SpawnedServer } from './helpers/server.ts';

const upgradeHeaders = 'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';

/** Sends one raw upgrade request; resolves with whatever the server answered once it closed (or the time ran out). */
function rawUpgrade(port: number, path: string, waitMs = 3_000): Promise<{ answer: string; closedByServer: boolean }> {
	return new Promise((resolve) => {
		const socket: Socket = connect(port, '127.0.0.1');
		let answer = '';
		let closedByServer = false;
		const timer = setTimeout(() => {
			socket.destroy();
			resolve({ answer, closedByServer });
		}, waitMs);
		socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
		socket.on('end', () => {
			closedByServer = true;
		});
		socket.on('close', () => {
			clearTimeout(timer);
			resolve({ answer, closedByServer });
		});
		socket.on('error', () => undefined);
		socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${upgradeHeaders}\r\n`);
	});
}

/** Sends the start of an upgrade request and never finishes it; resolves when the server closes it. */
function stalledUpgrade(port: number, path: string, giveUpMs: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect(port, '127.0.0.1');
		const timer = setTimeout(() => {
			socket.destroy();
			resolve(false);
		}, giveUpMs);
		socket.on('close', () => {
			clearTimeout(timer);
			resolve(true);
		});
		socket.on('error', () => undefined);
		socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${upgradeHeaders}`);
	});
}

const openDescriptors = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;

describe('unclaimed upgrades (issue 10, item 1)', () => {
	let server: SpawnedServer;
	let data: { path: string; remove(): void };

	beforeAll(async () => {
		data = tempDir();
		server = await spawnServer({ DATA_DIR: data.path, LOG_LEVEL: 'info' });
	});
	afterAll(async () => {
		await server?.stop();
		data?.remove();
	});

	it('answers every path no handler claims with an HTTP error and closes the socket', async () => {
		for (const path of ['/yjs?x', '/yjsX', '/yjs', '/other', '/socket.io', `/yjs/${boardDocName('x')}/../..`, '/yjs/%E0%A4%A']) {
			const { answer, closedByServer } = await rawUpgrade(server.port, path);
			expect({ path, status: /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1], closedByServer }).toEqual({ path, status: expect.stringMatching(/^4\d\d$/), closedByServer: true });
		}
	});

	it('a flood of 200 unclaimed upgrades leaves no descriptor behind', async () => {
		const pid = server.process.pid!;
		// Warm up (lazy modules, the first connections) before counting.
		await rawUpgrade(server.port, '/yjs?warm');
		const before = openDescriptors(pid);
		const paths = ['/yjs?x', '/yjsX', '/other', '/yjs'];
		const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => rawUpgrade(server.port, paths[i % paths.length]!, 5_000)));
		expect(answers.filter((answer) => answer.closedByServer)).toHaveLength(200);
		await eventually(() => expect(openDescriptors(pid)).toBeLessThanOrEqual(before + 5), 5_000);
		// And the server is still fine.
		const health = await fetch(`${server.url}/healthz`);
		expect(health.status).toBe(200);
	});

	it('a websocket outlives the handshake limit, and keeps nothing of its handshake on the socket', async () => {
		const other = await startTestServer({ hubLimits: { upgradeTimeoutMs: 300 } });
		const post = async (path: string, body: unknown) => {
			const response = await fetch(`${other.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${testAdminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
			expect(response.status).toBe(201);
			return (await response.json()) as { id: string };
		};
		const mission = await post('/api/missions', { title: 'Idle mission' });
		const docName = boardDocName((await post(`/api/missions/${encodeURIComponent(mission.id)}/boards`, { title: 'Idle board' })).id);
		const client = connectClient(other.wsUrl, docName);
		try {
			await client.synced;
			await new Promise((resolve) => setTimeout(resolve, 900));
			const shared = other.backend.hub.loaded(docName);
			expect(shared?.peers.size).toBe(1);
			const [peer] = shared!.peers;
			expect(peer!.open).toBe(true);
			// No cut-off listener (the timer is ws's to clear; its listener was ours), and of the
			// socket's error listeners only ws's own and the server's one shared function.
			expect(peer!.connection.listenerCount('timeout')).toBe(0);
			expect(peer!.connection.listenerCount('error')).toBe(2);
			// Still live: an edit reaches the server after the limit has long passed.
			client.doc.getMap('probe').set('after', 1);
			await eventually(() => expect(shared!.doc.getMap('probe').get('after')).toBe(1));
		} finally {
			client.destroy();
			await other.close();
		}
	});

	it('an upgrade whose handshake never completes is cut off', async () => {
		const other = await startTestServer({ hubLimits: { upgradeTimeoutMs: 500 } });
		try {
			const started = Date.now();
			expect(await stalledUpgrade(other.port, `/yjs/${boardDocName('AnyBoard01')}`, 8_000)).toBe(true);
			expect(Date.now() - started).toBeLessThan(5_000);
		} finally {
			await other.close();
		}
	});
});
