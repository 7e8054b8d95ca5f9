/**
 * Measures how long the chair's moves take to reach the walls on one instance: a real server
 * (in-process, port 0), one chair and `WALLS` walls as real socket.io clients (a real wall-display
 * token), `MOVES` moves one after another; prints the percentiles of emit → every wall's receipt.
 * Not a test: it asserts nothing. Run after `npx vite build`:  node test/meeting-latency.ts
 */
import { performance } from 'node:perf_hooks';
import type { MissionMeeting } from '../src/lib/protocol/meeting.ts';
import { startTestServer } from './helpers/server.ts';
import { connected, connectRoom, createMission, createWallDisplay, meetingOf, request } from './wall-fixtures.ts';

const walls = Number(process.env.WALLS ?? 20);
const moves = Number(process.env.MOVES ?? 300);

const server = await startTestServer();
try {
	const mission = await createMission(server);
	const { token } = await createWallDisplay(server, mission.missionId);
	const chair = connectRoom(server);
	await connected(chair);
	meetingOf(await request(chair, 'meeting:join', { missionId: mission.missionId }));
	const clients = await Promise.all(
		Array.from({ length: walls }, async () => {
			const socket = connectRoom(server, token);
			await connected(socket);
			meetingOf(await request(socket, 'meeting:join', { missionId: mission.missionId }));
			return socket;
		})
	);
	meetingOf(await request(chair, 'meeting:start', { missionId: mission.missionId, forum: 'Missions Board' }));
	meetingOf(await request(chair, 'meeting:pause', { missionId: mission.missionId, paused: true }));

	const samples: number[] = [];
	const lastWall: number[] = [];
	for (let i = 0; i < moves; i++) {
		let pending = walls;
		let sentAt = 0;
		const done = new Promise<void>((resolve) => {
			for (const socket of clients) {
				socket.once('meeting:state', (_state: MissionMeeting) => {
					const took = performance.now() - sentAt;
					samples.push(took);
					if (--pending === 0) {
						lastWall.push(took);
						resolve();
					}
				});
			}
		});
		sentAt = performance.now();
		chair.emit('meeting:next', { missionId: mission.missionId }, () => undefined);
		await done;
	}
	const percentile = (values: number[], p: number) => {
		const sorted = [...values].sort((a, b) => a - b);
		return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
	};
	const format = (values: number[]) => ['p50', 'p95', 'p99'].map((label) => `${label} ${percentile(values, Number(label.slice(1))).toFixed(2)} ms`).join(', ') + `, max ${Math.max(...values).toFixed(2)} ms`;
	console.log(`chair → wall over socket.io, one instance, ${walls} walls, ${moves} moves (node ${process.version})`);
	console.log(`  each wall:       ${format(samples)}`);
	console.log(`  slowest wall:    ${format(lastWall)}`);
	for (const socket of [chair, ...clients]) socket.disconnect();
} finally {
	await server.close();
}
