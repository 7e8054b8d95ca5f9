/**
 * `npm run migrate-store -- --from sqlite:./data --to $DATABASE_URL`: moves an embedded SQLite
 * workspace into an empty PostgreSQL database and verifies every document after the move (what is
 * copied and checked: `server/store/move-store.ts`). Stop the instance using the SQLite file first.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { moveSqliteToPostgres } from './store/move-store.ts';

const argsSchema = z.object({
	from: z.string({ error: '--from is required, e.g. --from sqlite:./data' }).regex(/^sqlite:.+/, '--from must be sqlite:<data directory>, e.g. sqlite:./data'),
	to: z.string({ error: '--to is required, e.g. --to $DATABASE_URL' }).regex(/^postgres(ql)?:\/\/.+/, '--to must be a postgres:// or postgresql:// URL')
});

try {
	const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' } }, strict: true });
	const parsed = argsSchema.safeParse(values);
	if (!parsed.success) {
		process.stderr.write(`${parsed.error.issues.map((issue) => issue.message).join('\n')}\nUsage: npm run migrate-store -- --from sqlite:./data --to postgres://user@host/db\n`);
		process.exit(2);
	}
	const dataDir = parsed.data.from.slice('sqlite:'.length);
	const started = Date.now();
	const report = await moveSqliteToPostgres({ dataDir, databaseUrl: parsed.data.to });
	const records = Object.entries(report.records).map(([collection, count]) => `${collection} ${count}`).join(', ');
	process.stdout.write(
		`Moved ${report.documents} documents (${report.updates} updates in their history, ${report.ledgerEntries} ledger entries, ${report.checkpoints} checkpoints)` +
			` and ${Object.values(report.records).reduce((a, b) => a + b, 0)} records (${records || 'none'}) in ${Date.now() - started} ms.\n` +
			`Verified: ${report.verified} documents have equal state vectors and states in SQLite and PostgreSQL; histories, ledgers and records are equal.\n`
	);
} catch (error) {
	process.stderr.write(`Could not move the workspace: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
}
