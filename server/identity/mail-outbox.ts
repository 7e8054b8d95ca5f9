/**
 * Outgoing mail through a durable outbox: a message is first stored (collection `outbox`), then sent
 * by whichever instance claims it with a compare-and-set on the shared store, so with several
 * instances on Redis each message is sent by exactly one of them, and a mail server that is down
 * only delays mail (retried with back-off, capped) instead of losing it or failing the request that
 * queued it. The same code runs in-process for the embedded default.
 *
 * Why not a job queue library: the store already gives the one primitive needed (an atomic claim),
 * on SQLite and on Redis alike, and the outbox is then covered by the store contract suite and
 * backups; a queue on Redis would not exist for the embedded install.
 *
 * The poll reads an index of what still waits (`outbox-waiting`), not the week of sent records the
 * outbox keeps so that an id is sent once; the whole outbox is read once an hour, to remove those.
 *
 * A message body can hold a sign-in link: the body is erased when the message has been sent, so the
 * store keeps a link only while it is waiting to go out (and the link expires in 15 minutes anyway).
 */
import type { Transporter } from 'nodemailer';
import { z } from 'zod';
import type { Logger } from '../log.ts';
import { SerialPass } from '../serial-pass.ts';
import type { RecordStore } from '../store/store.ts';
import type { MailConfig } from './identity-config.ts';

export const outboxCollection = 'outbox';
/**
 * The index of what is still to send: one small record per message waiting (pending, or being
 * sent), removed once it is sent or given up. The poll reads this, not the week of sent messages
 * `outbox` keeps (to send each id once).
 */
export const outboxWaitingCollection = 'outbox-waiting';

export const outboxDefaults = {
	pollIntervalMs: 1_000,
	/** A claimed message not marked sent within this long is claimed again (its instance died). */
	leaseMs: 60_000,
	firstRetryMs: 2_000,
	maxRetryMs: 15 * 60_000,
	/** After this long a message still not sent is given up on (and logged as an error). */
	giveUpAfterMs: 3 * 24 * 60 * 60_000,
	/** Sent messages' records (without their bodies) are kept this long, then removed. */
	keepSentMs: 7 * 24 * 60 * 60_000,
	/** How often an instance reads the whole outbox to remove sent records past `keepSentMs`. */
	sweepEveryMs: 60 * 60_000,
	sendTimeoutMs: 20_000
} as const;

export type OutboxLimits = { [K in 'pollIntervalMs' | 'leaseMs' | 'firstRetryMs' | 'maxRetryMs']: number };

const outboxRecord = z.object({
	id: z.string(),
	to: z.email(),
	subject: z.string(),
	text: z.string(),
	/** What the message is about, for logs (never the body). */
	kind: z.string(),
	status: z.enum(['pending', 'sending', 'sent', 'failed']),
	attempts: z.number().int().min(0),
	nextAttemptAt: z.number().int(),
	leaseUntil: z.number().int().optional(),
	claimedBy: z.string().optional(),
	createdAt: z.number().int(),
	sentAt: z.number().int().optional(),
	lastError: z.string().max(300).optional()
});
type OutboxRecord = z.infer<typeof outboxRecord>;
const waitingRecord = z.object({ queuedAt: z.number().int() });

export interface OutgoingMail {
	/** Stable per message: queueing the same id twice sends once (an event seen by two instances). */
	id: string;
	to: string;
	subject: string;
	/** Plain text: readable by every mail client and screen reader. */
	text: string;
	kind: string;
}

export class MailOutbox {
	readonly from: string;
	#store: RecordStore;
	#log: Logger;
	#smtpUrl: string;
	/** nodemailer loads with the first message, not at start (an instance without mail never loads it). */
	#transport: Promise<Transporter> | undefined;
	#instanceId: string;
	#limits: OutboxLimits;
	#timer: NodeJS.Timeout | undefined;
	/** One pass at a time per instance; another request while one runs sets `again`. */
	readonly #passes = new SerialPass(
		() => this.#pass(),
		(error) => this.#log.warn({ err: error }, 'mail outbox pass failed; retrying')
	);
	/** When this instance last read the whole outbox (old records removed, the waiting index completed). */
	#sweptAt = 0;

	constructor(options: { store: RecordStore; log: Logger; mail: MailConfig; instanceId: string; limits?: Partial<OutboxLimits> }) {
		this.#store = options.store;
		this.#log = options.log;
		this.from = options.mail.from;
		this.#instanceId = options.instanceId;
		this.#limits = { ...outboxDefaults, ...options.limits };
		this.#smtpUrl = options.mail.smtpUrl;
	}

	start(): void {
		this.#timer ??= setInterval(() => this.flush(), this.#limits.pollIntervalMs);
		this.#timer.unref();
	}

	async close(): Promise<void> {
		clearInterval(this.#timer);
		this.#timer = undefined;
		await this.#passes.idle();
		const transport = this.#transport;
		this.#transport = undefined;
		if (transport) (await transport).close();
	}

	/** Stores the message (once per id) and tries to send it now. Resolves once it is stored. */
	async queue(mail: OutgoingMail): Promise<void> {
		const now = Date.now();
		const record: OutboxRecord = { ...mail, status: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now };
		// The index entry first: a crash in between leaves an entry without a message, which a pass drops.
		await this.#store.putRecord(outboxWaitingCollection, mail.id, { queuedAt: now });
		const stored = await this.#store.compareAndSetRecord(outboxCollection, mail.id, undefined, record);
		if (stored) this.#log.info({ mail: mail.id, kind: mail.kind }, 'mail queued');
		this.flush();
	}

	/** Sends what is due; never throws (failures are retried later). Resolves when this pass is done. */
	flush(): Promise<void> {
		return this.#passes.run();
	}

	/** Messages not yet sent (for health checks and tests). */
	async pending(): Promise<number> {
		let count = 0;
		for (const { id } of await this.#store.listRecords(outboxWaitingCollection)) {
			const parsed = outboxRecord.safeParse(await this.#store.getRecord(outboxCollection, id));
			if (parsed.success && (parsed.data.status === 'pending' || parsed.data.status === 'sending')) count++;
		}
		return count;
	}

	async #pass(): Promise<void> {
		const now = Date.now();
		if (now - this.#sweptAt >= outboxDefaults.sweepEveryMs) await this.#sweep(now);
		for (const { id, value } of await this.#store.listRecords(outboxWaitingCollection)) {
			const raw = await this.#store.getRecord(outboxCollection, id);
			const parsed = outboxRecord.safeParse(raw);
			if (!parsed.success) {
				// An entry whose message was never stored (its instance stopped in between).
				const waiting = waitingRecord.safeParse(value);
				if (raw === undefined && (!waiting.success || now - waiting.data.queuedAt > this.#limits.leaseMs)) await this.#store.compareAndSetRecord(outboxWaitingCollection, id, value, undefined);
				continue;
			}
			const record = parsed.data;
			if (record.status === 'sent' || record.status === 'failed') {
				await this.#store.compareAndSetRecord(outboxWaitingCollection, id, value, undefined);
				continue;
			}
			const due = record.status === 'pending' ? record.nextAttemptAt <= now : (record.leaseUntil ?? 0) <= now;
			if (!due) continue;
			const claimed: OutboxRecord = { ...record, status: 'sending', leaseUntil: now + this.#limits.leaseMs, claimedBy: this.#instanceId, attempts: record.attempts + 1 };
			// The claim: only one instance's compare-and-set can win it.
			if (!(await this.#store.compareAndSetRecord(outboxCollection, record.id, raw, claimed))) continue;
			if (await this.#send(claimed)) await this.#store.deleteRecord(outboxWaitingCollection, id);
		}
	}

	/**
	 * Now and then (and on start): the whole outbox once, to remove records kept past their time and
	 * to index messages waiting that are not (stored by a version without the index).
	 */
	async #sweep(now: number): Promise<void> {
		this.#sweptAt = now;
		const waiting = new Set((await this.#store.listRecords(outboxWaitingCollection)).map(({ id }) => id));
		for (const { value } of await this.#store.listRecords(outboxCollection)) {
			const parsed = outboxRecord.safeParse(value);
			if (!parsed.success) continue;
			const record = parsed.data;
			if (record.status === 'sent' || record.status === 'failed') {
				if (now - (record.sentAt ?? record.createdAt) > outboxDefaults.keepSentMs) await this.#store.compareAndSetRecord(outboxCollection, record.id, value, undefined);
			} else if (!waiting.has(record.id)) {
				await this.#store.compareAndSetRecord(outboxWaitingCollection, record.id, undefined, { queuedAt: record.createdAt });
			}
		}
	}

	#transportOf(): Promise<Transporter> {
		this.#transport ??= import('nodemailer').then(({ default: nodemailer }) =>
			nodemailer.createTransport({
				url: this.#smtpUrl,
				connectionTimeout: outboxDefaults.sendTimeoutMs,
				greetingTimeout: outboxDefaults.sendTimeoutMs,
				socketTimeout: outboxDefaults.sendTimeoutMs
			})
		);
		return this.#transport;
	}

	/** Sends one claimed message; resolves true once it is done with (sent, or given up on). */
	async #send(record: OutboxRecord): Promise<boolean> {
		try {
			await (await this.#transportOf()).sendMail({
				from: this.from,
				to: record.to,
				subject: record.subject,
				text: record.text,
				messageId: `<${record.id}@mission-control>`,
				headers: { 'auto-submitted': 'auto-generated' }
			});
			await this.#store.putRecord(outboxCollection, record.id, { ...record, status: 'sent', text: '', sentAt: Date.now(), leaseUntil: undefined, lastError: undefined });
			this.#log.info({ mail: record.id, kind: record.kind, attempts: record.attempts }, 'mail sent');
			return true;
		} catch (error) {
			const message = error instanceof Error ? error.message.slice(0, 300) : 'send failed';
			const now = Date.now();
			if (now - record.createdAt > outboxDefaults.giveUpAfterMs) {
				await this.#store.putRecord(outboxCollection, record.id, { ...record, status: 'failed', text: '', lastError: message, leaseUntil: undefined });
				this.#log.error({ mail: record.id, kind: record.kind, attempts: record.attempts, error: message }, 'mail given up after retrying for days');
				return true;
			}
			const delay = Math.min(this.#limits.maxRetryMs, this.#limits.firstRetryMs * 2 ** (record.attempts - 1));
			await this.#store.putRecord(outboxCollection, record.id, { ...record, status: 'pending', nextAttemptAt: now + delay, leaseUntil: undefined, lastError: message });
			this.#log.warn({ mail: record.id, kind: record.kind, attempts: record.attempts, retryInMs: delay, error: message }, 'mail not sent; will retry');
			return false;
		}
	}
}
