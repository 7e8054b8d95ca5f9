/**
 * `npm test` runs this first: the tests use a real redis-server, a real PostgreSQL and a real Chromium, and a missing
 * prerequisite fails the run with a message saying what to install (it never skips tests).
 */
import { execFileSync } from 'node:child_process';
import { chromiumPath } from './helpers/chromium-path.ts';
import { findPostgresBin } from './helpers/postgres-server.ts';

const problems: string[] = [];

const [major] = process.versions.node.split('.').map(Number);
if ((major ?? 0) < 24) problems.push(`Node ${process.versions.node} is too old: Mission Control needs Node 24 LTS (see .nvmrc; e.g. \`nvm install 24\`).`);

try {
	execFileSync('redis-server', ['--version'], { stdio: 'pipe' });
} catch {
	problems.push('redis-server is missing: the Redis tests start a real one. Install it with `sudo apt-get install redis-server` (Debian/Ubuntu) or `brew install redis` (macOS).');
}

try {
	findPostgresBin();
} catch {
	problems.push('PostgreSQL is missing: the PostgreSQL store tests start a real server (initdb and postgres). Install it with `sudo apt-get install postgresql` (Debian/Ubuntu) or `brew install postgresql` (macOS), or set PG_BIN to the directory holding initdb.');
}

const chromium = chromiumPath();
if (!chromium) {
	problems.push('Chromium is missing: the browser tests drive a real one. Install it with `sudo apt-get install chromium` (Debian/Ubuntu) or `brew install --cask chromium` (macOS), or set CHROMIUM_PATH to a Chromium or Chrome binary.');
}

if (problems.length > 0) {
	process.stderr.write(`\nnpm test cannot run yet:\n${problems.map((p) => `  - ${p}`).join('\n')}\n\n`);
	process.exit(1);
}
