/** A throwaway redis-server on loopback for the cross-instance scenario: no persistence. */
import { spawn, execFileSync } from 'node:child_process';
import { createConnection } from 'node:net';
import { sleep } from './clock.ts';
import { onServerCpus, type CpuPlan } from './cpu-plan.ts';
import { freePort, serverDefaults } from './servers.ts';

export type RunningRedis = { url: string; pid: number; stop(): Promise<void> };

export function redisServerPath(): string | undefined {
	try {
		return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || undefined;
	} catch {
		return undefined;
	}
}

function canConnect(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = createConnection({ host: serverDefaults.host, port }, () => {
			socket.end();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

export async function startRedis(plan: CpuPlan): Promise<RunningRedis> {
	const binary = redisServerPath();
	if (!binary) throw new Error('redis-server not found');
	const port = await freePort();
	const { command, args } = onServerCpus(plan, [binary, '--port', String(port), '--bind', serverDefaults.host, '--save', '', '--appendonly', 'no']);
	const child = spawn(command, args, { stdio: 'ignore' });
	const deadline = Date.now() + serverDefaults.readyTimeoutMs;
	while (!(await canConnect(port))) {
		if (child.exitCode !== null || Date.now() > deadline) throw new Error('redis-server did not start');
		await sleep(50);
	}
	return {
		url: `redis://${serverDefaults.host}:${port}`,
		pid: child.pid ?? 0,
		async stop() {
			if (child.exitCode !== null) return;
			child.kill('SIGTERM');
			await new Promise((resolve) => child.once('exit', resolve));
		}
	};
}
