/**
 * The webhook delivery queue and log (collection `webhook-deliveries`), built like the mail outbox:
 * a delivery is first stored under an id derived from (hook, event), so an event seen twice is queued
 * once; whichever instance claims it with a compare-and-set on the shared store sends it, so with
 * several instances each delivery goes out once (and a claim whose instance died is taken over after
 * its lease). A failure is retried with exponential back-off for `retryForMs` (a day); then the
 * delivery is marked failed and `onGaveUp` disables the hook.
 *
 * The receiver's slowness never slows the app: deliveries are sent outside the hub's and the API's
 * paths, several at a time, each with a deadline; a pass only claims and starts them.
 */
import { z } from 'zod';
import { webhookDelivery, webhookLimits, type WebhookDelivery, type WebhookRecord } from '#lib/protocol/webhooks.ts';
import type { Logger } from '../log.ts';
import { SerialPass } from '../serial-pass.ts';
import type { RecordStore } from '../store/store.ts';
import { sendDelivery, type SendOutcome } from './webhook-sender.ts';
import type { TargetPolicy } from './webhook-target.ts';

export const deliveryCollection = 'webhook-deliveries';

export const deliveryDefaults = {
	pollIntervalMs: 1_000,
	/** A claimed delivery not finished within this long is claimed again (its instance died). */
	leaseMs: 60_000,
	firstRetryMs: 10_000,
	maxRetryMs: 60 * 60_000,
	/** A delivery still failing this long after its event is given up, and its hook disabled. */
	retryForMs: 24 * 60 * 60_000,
	/** Deliveries in flight per instance. */
	maxInFlight: 16,
	timeoutMs: 10_000
} as const;

export type DeliveryLimits = { -readonly [K in keyof typeof deliveryDefaults]: number };

const storedDelivery = webhookDelivery.extend({
	missionId: z.string(),
	/** The board the event is about, re-checked against the owner's access before each attempt. */
	boardId: z.string().nullable(),
	/** The JSON body; erased once the delivery is finished. */
	body: z.string(),
	leaseUntil: z.number().int().optional(),
	claimedBy: z.string().optional()
});
type StoredDelivery = z.infer<typeof storedDelivery>;

export interface DeliveryParts {
	store: RecordStore;
	log: Logger;
	policy: TargetPolicy;
	instanceId: string;
	userAgent: string;
	limits?: Partial<DeliveryLimits>;
	/** The hook as it is now (undefined once deleted). */
	hook: (id: string) => Promise<WebhookRecord | undefined>;
	/** Whether the hook's owner may still read the board (null: a mission-wide event). */
	ownerMayRead: (hook: WebhookRecord, boardId: string | null) => Promise<boolean>;
	/** A delivery failed for `retryForMs`: the hook is disabled and its owner told. */
	onGaveUp: (hook: WebhookRecord, delivery: WebhookDelivery) => Promise<void>;
}

export class WebhookDeliveries {
	readonly limits: DeliveryLimits;
	#parts: DeliveryParts;
	#timer: NodeJS.Timeout | undefined;
	#inFlight = new Map<string, Promise<void>>();
	readonly #passes = new SerialPass(
		() => this.#pass(),
		(error) => this.#parts.log.warn({ err: error }, 'webhook delivery pass failed; retrying')
	);

	constructor(parts: DeliveryParts) {
		this.#parts = parts;
		this.limits = { ...deliveryDefaults, ...parts.limits };
	}

	start(): void {
		this.#timer ??= setInterval(() => void this.flush(), this.limits.pollIntervalMs);
		this.#timer.unref();
	}

	async close(): Promise<void> {
		clearInterval(this.#timer);
		this.#timer = undefined;
		await this.#passes.idle();
		await Promise.all(this.#inFlight.values());
	}

	/** Stores a delivery once per id (false when it was already queued) and starts a pass. */
	async queue(input: { id: string; hook: WebhookRecord; eventId: string; type: WebhookDelivery['type']; boardId: string | null; body: string }): Promise<boolean> {
		const now = Date.now();
		const record: StoredDelivery = {
			id: input.id,
			hookId: input.hook.id,
			missionId: input.hook.missionId,
			boardId: input.boardId,
			eventId: input.eventId,
			type: input.type,
			status: 'pending',
			attempts: 0,
			createdAt: now,
			nextAttemptAt: now,
			finishedAt: null,
			lastStatus: null,
			lastError: null,
			lastDurationMs: null,
			body: input.body
		};
		const stored = await this.#parts.store.compareAndSetRecord(deliveryCollection, input.id, undefined, record);
		if (stored) void this.flush();
		return stored;
	}

	/** The hook's delivery log, newest first (at most `webhookLimits.logSize`). */
	async log(hookId: string): Promise<WebhookDelivery[]> {
		const mine = (await this.#records()).filter(({ record }) => record.hookId === hookId).map(({ record }) => webhookDelivery.parse(record));
		return mine.sort((a, b) => b.createdAt - a.createdAt).slice(0, webhookLimits.logSize);
	}

	/** Removes a deleted hook's deliveries. */
	async forget(hookId: string): Promise<void> {
		for (const { record } of await this.#records()) if (record.hookId === hookId) await this.#parts.store.deleteRecord(deliveryCollection, record.id);
	}

	/** Claims and starts what is due; resolves when this pass has started them (tests: `settled`). */
	flush(): Promise<void> {
		return this.#passes.run();
	}

	/** Resolves once every delivery started so far has finished its attempt (tests, shutdown). */
	async settled(): Promise<void> {
		await this.#passes.idle();
		await Promise.all(this.#inFlight.values());
	}

	async #records(): Promise<Array<{ raw: unknown; record: StoredDelivery }>> {
		const out: Array<{ raw: unknown; record: StoredDelivery }> = [];
		for (const { value } of await this.#parts.store.listRecords(deliveryCollection)) {
			const parsed = storedDelivery.safeParse(value);
			if (parsed.success) out.push({ raw: value, record: parsed.data });
		}
		return out;
	}

	async #pass(): Promise<void> {
		const now = Date.now();
		const records = await this.#records();
		await this.#prune(records.map(({ record }) => record));
		for (const { raw, record } of records) {
			if (this.#inFlight.size >= this.limits.maxInFlight) {
				this.#passes.skipRepeat();
				return;
			}
			if (this.#inFlight.has(record.id)) continue;
			const due = record.status === 'pending' ? record.nextAttemptAt <= now : record.status === 'sending' && (record.leaseUntil ?? 0) <= now;
			if (!due) continue;
			const claimed: StoredDelivery = { ...record, status: 'sending', leaseUntil: now + this.limits.leaseMs, claimedBy: this.#parts.instanceId };
			// The claim: only one instance's compare-and-set wins it.
			if (!(await this.#parts.store.compareAndSetRecord(deliveryCollection, record.id, raw, claimed))) continue;
			const attempt = this.#attempt(claimed)
				.catch((error: unknown) => this.#parts.log.error({ err: error, delivery: record.id }, 'webhook delivery attempt failed unexpectedly'))
				.finally(() => this.#inFlight.delete(record.id));
			this.#inFlight.set(record.id, attempt);
		}
	}

	async #attempt(record: StoredDelivery): Promise<void> {
		const hook = await this.#parts.hook(record.hookId);
		if (!hook) return void (await this.#parts.store.deleteRecord(deliveryCollection, record.id));
		if (!hook.enabled) return void (await this.#finish(record, 'skipped', { lastError: 'the webhook is disabled' }));
		if (!(await this.#parts.ownerMayRead(hook, record.boardId))) return void (await this.#finish(record, 'skipped', { lastError: 'the webhook’s owner can no longer read this board' }));
		const outcome = await sendDelivery({ url: hook.url, secret: hook.secret, body: record.body, deliveryId: record.id, policy: this.#parts.policy, timeoutMs: this.limits.timeoutMs, userAgent: this.#parts.userAgent });
		const attempts = record.attempts + 1;
		const result = { attempts, lastStatus: outcome.status, lastError: outcome.error, lastDurationMs: outcome.durationMs };
		if (outcome.ok) {
			this.#parts.log.info({ delivery: record.id, hook: hook.id, type: record.type, attempts, status: outcome.status }, 'webhook delivered');
			await this.#finish(record, 'delivered', result);
			return;
		}
		await this.#retryOrGiveUp(record, hook, outcome, result);
	}

	async #retryOrGiveUp(record: StoredDelivery, hook: WebhookRecord, outcome: SendOutcome, result: Partial<StoredDelivery> & { attempts: number }): Promise<void> {
		const now = Date.now();
		if (now - record.createdAt >= this.limits.retryForMs) {
			const failed = await this.#finish(record, 'failed', result);
			this.#parts.log.error({ delivery: record.id, hook: hook.id, attempts: result.attempts, error: outcome.error }, 'webhook delivery given up; disabling the hook');
			if (failed) await this.#parts.onGaveUp(hook, webhookDelivery.parse(failed));
			return;
		}
		const delay = Math.min(this.limits.maxRetryMs, this.limits.firstRetryMs * 2 ** (result.attempts - 1));
		const next: StoredDelivery = { ...record, ...result, status: 'pending', nextAttemptAt: now + delay, leaseUntil: undefined, claimedBy: undefined };
		await this.#parts.store.compareAndSetRecord(deliveryCollection, record.id, record, next);
		this.#parts.log.warn({ delivery: record.id, hook: hook.id, attempts: result.attempts, retryInMs: delay, error: outcome.error }, 'webhook not delivered; will retry');
	}

	/** Marks the delivery finished (its body erased); undefined when another instance took it over meanwhile. */
	async #finish(record: StoredDelivery, status: 'delivered' | 'failed' | 'skipped', result: Partial<StoredDelivery>): Promise<StoredDelivery | undefined> {
		const done: StoredDelivery = { ...record, ...result, status, body: '', finishedAt: Date.now(), leaseUntil: undefined, claimedBy: undefined };
		return (await this.#parts.store.compareAndSetRecord(deliveryCollection, record.id, record, done)) ? done : undefined;
	}

	/** Keeps each hook's newest `logSize` finished deliveries. */
	async #prune(records: StoredDelivery[]): Promise<void> {
		const finished = new Map<string, StoredDelivery[]>();
		for (const record of records) if (record.finishedAt !== null) finished.set(record.hookId, [...(finished.get(record.hookId) ?? []), record]);
		for (const list of finished.values()) {
			if (list.length <= webhookLimits.logSize) continue;
			for (const old of list.sort((a, b) => b.createdAt - a.createdAt).slice(webhookLimits.logSize)) await this.#parts.store.deleteRecord(deliveryCollection, old.id);
		}
	}
}
