/**
 * `npm run admin-link`: replaces the administrator's token with a new one and prints a sign-in
 * link, for when the first-start link was lost. The old token stops working at once (sessions made
 * with it stay signed in). With ADMIN_TOKEN set in the environment, that token wins at next start.
 */
import { rotateAdminToken } from './auth/admin-token.ts';
import { ConfigError, parseConfig } from './config.ts';
import { createStore } from './store/index.ts';

try {
	const config = parseConfig(process.env);
	if (config.adminToken) {
		process.stderr.write('ADMIN_TOKEN is set in the environment: sign in with /login?token=<ADMIN_TOKEN>; change it there to replace it.\n');
		process.exit(1);
	}
	const store = await createStore({ dataDir: config.dataDir, redisUrl: config.redisUrl, databaseUrl: config.databaseUrl });
	const token = await rotateAdminToken(store);
	await store.close();
	const origin = config.origin ?? `http://localhost:${config.port}`;
	process.stdout.write(`\n  New administrator sign-in link (shown once; the previous token no longer works):\n  ${origin}/login?token=${token}\n\n`);
} catch (error) {
	process.stderr.write(`${error instanceof ConfigError ? error.message : `Could not make a new link: ${error instanceof Error ? error.message : String(error)}`}\n`);
	process.exit(1);
}
