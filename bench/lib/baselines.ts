/**
 * The baselines live in bench/baselines with their own package.json and lockfile, so the
 * project's lockfile keeps exactly one Yjs. Installed with `npm ci` on first use.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const baselinesDir = fileURLToPath(new URL('../baselines/', import.meta.url));

export class BaselineInstallError extends Error {
	readonly code = 'BENCH_BASELINE_INSTALL_FAILED';
}

export function baselinesInstalled(): boolean {
	return existsSync(join(baselinesDir, 'node_modules', '.package-lock.json'));
}

export function ensureBaselines(log: (message: string) => void): void {
	if (baselinesInstalled()) return;
	log('installing the baseline servers into bench/baselines (npm ci, first run only)');
	const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: baselinesDir, stdio: 'inherit' });
	if (result.status !== 0) throw new BaselineInstallError(`npm ci in ${baselinesDir} failed (exit ${result.status ?? result.signal})`);
}
