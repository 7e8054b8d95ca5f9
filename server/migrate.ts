/**
 * `npm run migrate`: applies the PostgreSQL schema migrations (DATABASE_URL) and exits, for deploys
 * that migrate before starting instances. Instances also apply them on start, under the same
 * advisory lock, so running this is optional and safe at any time.
 */
import { ConfigError, parseConfig } from './config.ts';
import { migratePostgres, postgresSchemaVersion } from './store/postgres-schema.ts';
import { openPostgres } from './store/postgres-store.ts';

try {
	const config = parseConfig(process.env);
	if (config.databaseUrl === undefined) {
		process.stderr.write('DATABASE_URL is not set: migrations are for the PostgreSQL store (the SQLite store migrates its file on start).\n');
		process.exit(1);
	}
	const sql = openPostgres(config.databaseUrl, 1);
	try {
		const applied = await migratePostgres(sql);
		process.stdout.write(
			applied.length === 0
				? `The database is at schema version ${postgresSchemaVersion}; nothing to apply.\n`
				: `Applied migration${applied.length > 1 ? 's' : ''} ${applied.join(', ')}; the database is at schema version ${postgresSchemaVersion}.\n`
		);
	} finally {
		await sql.end({ timeout: 5 });
	}
} catch (error) {
	process.stderr.write(`${error instanceof ConfigError ? error.message : `Could not migrate: ${error instanceof Error ? error.message : String(error)}`}\n`);
	process.exit(1);
}
