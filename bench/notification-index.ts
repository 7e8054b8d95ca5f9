/**
 * `node bench/notification-index.ts [sqlite|redis]`: what one person's inbox and the mail outbox's
 * poll cost in a workspace with a realistic amount of stored notifications and sent mail (defaults:
 * 300 people × 100 notifications = 30,000; 20,000 sent messages kept for a week, the outbox's
 * retention), each the median of 20 (inbox) or 10 (outbox pass) runs. The records are written in the
 * layout earlier versions used (one `notifications` collection, sent mail in `outbox`), so the figures
 * include whatever the backend does with them when it starts. Prints figures; asserts nothing.
 */
import { tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Principal } from '../server/auth/principal.ts';
import { createBackend } from '../server/backend.ts';
import { parseConfig } from '../server/config.ts';
import { createStore } from '../server/store/index.ts';
import { startRedis } from '../test/helpers/redis-server.ts';

const people = Number(process.env.PEOPLE ?? 300);
const perPerson = Number(process.env.PER_PERSON ?? 100);
const sentMail = Number(process.env.SENT_MAIL ?? 20_000);
const kind = process.argv[2] === 'redis' ? 'redis' : 'sqlite';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function main(): Promise<void> {
	const dataDir = mkdtempSync(join(tmpdir(), 'mc-bench-notify-'));
	const redis = kind === 'redis' ? await startRedis() : undefined;
	const env = { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ADMIN_TOKEN: 'bench-admin-token-0123456789abcdef', SMTP_URL: 'smtp://127.0.0.1:9', MAIL_FROM: 'bench@example.gov.uk', ORIGIN: 'http://127.0.0.1:3000', ...(redis ? { REDIS_URL: redis.url } : {}) };
	try {
		const seed = await createStore({ dataDir, redisUrl: redis?.url, databaseUrl: undefined });
		const now = Date.now();
		const started = performance.now();
		const writes: Array<Promise<void>> = [];
		for (let p = 0; p < people; p++) {
			for (let n = 0; n < perPerson; n++) {
				const id = `n${p}x${n}`;
				writes.push(seed.putRecord('notifications', id, { id, kind: 'owner', text: `Someone made you an owner of DEP-${n} “A dependency”`, boardId: 'board-1', boardTitle: 'A board', register: 'dependencies', recordId: `r${n}`, ref: `DEP-${n}`, title: 'A dependency', path: `/boards/board-1?ref=DEP-${n}`, by: 'Someone', at: now - n * 60_000, recipient: `person:p${p}`, ...(n % 3 === 0 ? {} : { readAt: now }) }));
			}
			if (writes.length > 2_000) await Promise.all(writes.splice(0));
		}
		for (let m = 0; m < sentMail; m++) {
			writes.push(seed.putRecord('outbox', `mail-${m}`, { id: `mail-${m}`, to: `person${m % people}@example.gov.uk`, subject: 'A subject', text: '', kind: 'notification owner', status: 'sent', attempts: 1, nextAttemptAt: now - 60_000, createdAt: now - 60_000, sentAt: now - 30_000 }));
			if (writes.length > 2_000) await Promise.all(writes.splice(0));
		}
		await Promise.all(writes);
		await seed.close();
		console.log(`${kind}: ${people * perPerson} notifications of ${people} people, ${sentMail} sent mails kept; written in ${Math.round(performance.now() - started)} ms`);

		const startedBackend = performance.now();
		const backend = await createBackend(parseConfig(env), { outboxLimits: { pollIntervalMs: 3_600_000 }, digestLimits: { checkEveryMs: 3_600_000 } });
		await backend.notifications.settled();
		await backend.identity.outbox?.flush();
		console.log(`backend ready (including any one-off reindexing) in ${Math.round(performance.now() - startedBackend)} ms`);
		try {
			const inbox: number[] = [];
			let unread = 0;
			for (let i = 0; i < 20; i++) {
				const caller = { id: `person:p${(i * 37) % people}`, kind: 'person', name: 'P', role: 'editor' } as Principal;
				const t = performance.now();
				unread = (await backend.notifications.list(caller)).unread;
				inbox.push(performance.now() - t);
			}
			const pass: number[] = [];
			for (let i = 0; i < 10; i++) {
				const t = performance.now();
				await backend.identity.outbox?.flush();
				pass.push(performance.now() - t);
			}
			console.log(`one person's inbox (list + unread count, ${unread} unread): median ${median(inbox).toFixed(1)} ms`);
			console.log(`an outbox pass with nothing to send (every instance, every second): median ${median(pass).toFixed(1)} ms`);
		} finally {
			await backend.close();
		}
	} finally {
		await redis?.stop();
		rmSync(dataDir, { recursive: true, force: true });
	}
}

await main();
