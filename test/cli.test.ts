import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spawnServer, tempDir } from './helpers/server.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

function runMain(env: Record<string, string>) {
	return spawnSync(process.execPath, ['server/main.ts'], { cwd: repoRoot, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 20_000 });
}

describe('starting the server', () => {
	for (const [name, value, message] of [
		['PORT', 'abc', 'PORT must be a whole number from 0 to 65535 (got "abc")'],
		['REDIS_URL', 'http://x', 'REDIS_URL must be a redis:// or rediss:// URL'],
		['LOG_LEVEL', 'loud', 'LOG_LEVEL must be one of'],
		['ORIGIN', 'example', 'ORIGIN must be an http:// or https:// URL']
	] as const) {
		it(`stops with one clear line when ${name} is bad`, () => {
			const result = runMain({ [name]: value, DATA_DIR: tempDir().path });
			expect(result.status).toBe(1);
			const lines = result.stderr.trim().split('\n');
			expect(lines).toHaveLength(1);
			expect(lines[0]).toContain(message);
		});
	}

	it('generates an admin token on first start, prints the sign-in link once, and the link signs in', async () => {
		const dir = tempDir();
		const first = await spawnServer({ DATA_DIR: dir.path, ADMIN_TOKEN: '' });
		const link = /(http:\/\/\S+\/login\?token=(\S+))/.exec(first.output());
		expect(link).not.toBeNull();
		const response = await fetch(`${first.url}/login?token=${link![2]}`, { redirect: 'manual' });
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/');
		expect(response.headers.get('set-cookie')).toMatch(/mc_session=[^;]+;.*HttpOnly/i);
		expect(await first.stop()).toBe(0);

		const second = await spawnServer({ DATA_DIR: dir.path, ADMIN_TOKEN: '' });
		expect(second.output()).not.toMatch(/login\?token=[A-Za-z0-9_-]{20,}/);
		const again = await fetch(`${second.url}/login?token=${link![2]}`, { redirect: 'manual' });
		expect(again.status).toBe(303);
		await second.stop();
		dir.remove();
	});
});
