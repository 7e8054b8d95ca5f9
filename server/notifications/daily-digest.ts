/**
 * The daily digest: once a day, from the workspace's `digestHour` in its `timeZone`, each person who
 * gets one (the daily digest on, or some kind of event set to "in the daily digest") and has an
 * address is mailed what happened to them since their last digest, what of theirs is due or
 * overdue, and what others changed on records they own. Nothing to say, no mail.
 *
 * Exactly once with several instances, without a job library: every instance checks the clock each
 * minute; the day's run is a lease in the store (collection `digest-runs`, one record per day, taken
 * with a compare-and-set, taken over by another instance when it expires, marked done at the end), so
 * one instance does the work. The guarantee itself is the outbox: a digest is queued under the id
 * `digest-<person>-<day>`, which the outbox stores (and so sends) once, even if two instances reach
 * the same person (a lease that ran out mid-run). Each person's last digest (`digest-state`) says
 * where the next one starts. A scheduler library (node-cron, croner) would only replace the minute
 * timer and still need this lease to run on one instance; a job queue on Redis (bullmq) would not
 * exist for the embedded install. The store's compare-and-set works on SQLite, Redis and PostgreSQL.
 */
import { z } from 'zod';
import { isoDateAt } from '#lib/board/dates.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import type { DirectoryEntry } from '#lib/protocol/identity.ts';
import type { LedgerEntry } from '#lib/protocol/ledger.ts';
import { preferenceKindOf, preferenceKinds, type NotificationPreferences, type NotificationView } from '#lib/protocol/notifications.ts';
import { recordPath, type WorkspaceSettings } from '#lib/protocol/workspace.ts';
import { principalOfPerson, type People } from '../access/people.ts';
import type { WorkspaceReader } from '../access/workspace-reader.ts';
import { boardAccess } from '../auth/policy.ts';
import type { DocHub } from '../hub/doc-hub.ts';
import { myWorkOf } from '../identity/my-work.ts';
import type { MailOutbox } from '../identity/mail-outbox.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/store.ts';
import { digestMail, type ChangedRecord } from './digest-mail.ts';
import type { Unsubscribe } from './unsubscribe.ts';

export const digestRunCollection = 'digest-runs';
export const digestStateCollection = 'digest-state';

export const digestDefaults = {
	/** How often each instance looks at the clock. */
	checkEveryMs: 60_000,
	/** A run not marked done within this long is taken over (its instance died). */
	leaseMs: 10 * 60_000,
	/** A first digest covers this much (there is no last one). */
	firstWindowMs: 24 * 60 * 60_000,
	/** A digest never reaches back further than this (a person whose last digest is older). */
	maxWindowMs: 7 * 24 * 60 * 60_000,
	/** Ledger entries read per board per run, at most (newest first). */
	maxLedgerEntries: 20_000,
	ledgerPage: 500
} as const;

export type DigestLimits = { [K in 'checkEveryMs' | 'leaseMs']: number };

const runRecord = z.object({ day: z.string(), status: z.enum(['running', 'done']), by: z.string(), leaseUntil: z.number().int(), sent: z.number().int().optional() });
const stateRecord = z.object({ lastDay: z.string(), lastAt: z.number().int() });

export interface DailyDigestParts {
	store: Store;
	hub: DocHub;
	workspace: WorkspaceReader;
	people: People;
	directory: () => Promise<DirectoryEntry[]>;
	settings: () => Promise<WorkspaceSettings>;
	/** One person's stored notifications (newest first). */
	notificationsOf: (principalId: string) => Promise<NotificationView[]>;
	preferencesOf: (principalId: string) => Promise<NotificationPreferences>;
	unsubscribe: Unsubscribe;
	outbox: MailOutbox;
	origin: string;
	instanceId: string;
	log: Logger;
	limits?: Partial<DigestLimits> | undefined;
}

/** The workspace's calendar day and hour (0–23) at an instant. */
export function localDayAndHour(now: number, timeZone: string): { day: string; hour: number } {
	const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(now));
	return { day: isoDateAt(now, timeZone), hour };
}

/** Whether a person's settings ask for a digest at all. */
export function wantsDigest(preferences: NotificationPreferences): boolean {
	return preferences.dailyDigest || preferenceKinds.some((kind) => preferences.email[kind] === 'digest');
}

export class DailyDigest {
	#parts: DailyDigestParts;
	#limits: DigestLimits;
	#timer: NodeJS.Timeout | undefined;
	#running: Promise<number> | undefined;

	constructor(parts: DailyDigestParts) {
		this.#parts = parts;
		this.#limits = { ...digestDefaults, ...parts.limits };
	}

	start(): void {
		this.#timer ??= setInterval(() => void this.tick(), this.#limits.checkEveryMs);
		this.#timer.unref();
	}

	async close(): Promise<void> {
		clearInterval(this.#timer);
		this.#timer = undefined;
		await this.#running;
	}

	/**
	 * Sends the day's digests if it is past the hour and no instance has: resolves how many this call
	 * queued (0 before the hour, when another instance holds the day, or when it is done). Never throws.
	 * One run at a time per instance.
	 */
	tick(now = Date.now()): Promise<number> {
		this.#running ??= this.#tick(now)
			.catch((error: unknown) => {
				this.#parts.log.error({ err: error }, 'daily digest run failed; the next check retries');
				return 0;
			})
			.finally(() => (this.#running = undefined));
		return this.#running;
	}

	async #tick(now: number): Promise<number> {
		const { store, instanceId, log } = this.#parts;
		const settings = await this.#parts.settings();
		const { day, hour } = localDayAndHour(now, settings.timeZone);
		if (hour < settings.digestHour) return 0;
		const raw = await store.getRecord(digestRunCollection, day);
		const run = runRecord.safeParse(raw);
		if (run.success && (run.data.status === 'done' || (run.data.by !== instanceId && run.data.leaseUntil > now))) return 0;
		// The lease: only one instance's compare-and-set takes the day (or takes over a dead one's).
		const claimed = { day, status: 'running', by: instanceId, leaseUntil: now + this.#limits.leaseMs } as const;
		if (!(await store.compareAndSetRecord(digestRunCollection, day, raw, claimed))) return 0;
		log.info({ day }, 'daily digest run started');
		let sent = 0;
		const changes = new Map<string, Promise<LedgerEntry[]>>();
		for (const person of await this.#parts.people.list()) {
			if (!person.email) continue;
			const principal = principalOfPerson(person, person.role === 'adviser' ? await this.#parts.people.advisedMissions(person.id) : undefined);
			if (await this.#digestFor(principal, person.email, day, now, changes)) sent++;
		}
		await store.compareAndSetRecord(digestRunCollection, day, claimed, { ...claimed, status: 'done', sent });
		log.info({ day, sent }, 'daily digest run done');
		return sent;
	}

	async #digestFor(principal: ReturnType<typeof principalOfPerson>, email: string, day: string, now: number, changes: Map<string, Promise<LedgerEntry[]>>): Promise<boolean> {
		const { store, origin } = this.#parts;
		const stateRaw = await store.getRecord(digestStateCollection, principal.id);
		const state = stateRecord.safeParse(stateRaw);
		if (state.success && state.data.lastDay >= day) return false;
		const preferences = await this.#parts.preferencesOf(principal.id);
		const since = Math.max(state.success ? state.data.lastAt : now - digestDefaults.firstWindowMs, now - digestDefaults.maxWindowMs);
		let mail: ReturnType<typeof digestMail>;
		if (wantsDigest(preferences)) {
			const events = (await this.#parts.notificationsOf(principal.id)).filter((event) => event.at > since && event.at <= now && preferences.email[preferenceKindOf(event.kind)] === 'digest').reverse();
			let due: Awaited<ReturnType<typeof myWorkOf>>['items'] = [];
			let changed: ChangedRecord[] = [];
			if (preferences.dailyDigest) {
				const work = await myWorkOf({ hub: this.#parts.hub, workspace: this.#parts.workspace, directory: await this.#parts.directory() }, principal, now);
				due = work.items.filter((item) => item.reason === 'due' || item.reason === 'overdue');
				changed = await this.#changedOn(work.items.filter((item) => item.reason === 'owner'), principal, since, now, changes);
			}
			mail = digestMail({ personName: principal.name, day, events, due, changed, origin, unsubscribeUrl: `${origin}/unsubscribe?token=${await this.#parts.unsubscribe.tokenFor(principal.id)}` });
		}
		// Queued before the person's state moves on: a crash in between queues the same id again, which the outbox sends once.
		if (mail) await this.#parts.outbox.queue({ id: `digest-${principal.id}-${day}`, kind: 'daily digest', to: email, ...mail });
		await store.compareAndSetRecord(digestStateCollection, principal.id, stateRaw, { lastDay: day, lastAt: now });
		return mail !== undefined;
	}

	/** Records the person owns that someone else changed in (since, now], one line each. */
	async #changedOn(owned: ReadonlyArray<{ boardId: string; boardTitle: string; recordId: string; ref: string; title: string }>, principal: ReturnType<typeof principalOfPerson>, since: number, now: number, changes: Map<string, Promise<LedgerEntry[]>>): Promise<ChangedRecord[]> {
		const out: ChangedRecord[] = [];
		const boards = new Map<string, typeof owned>();
		for (const item of owned) boards.set(item.boardId, [...(boards.get(item.boardId) ?? []), item]);
		for (const [boardId, items] of boards) {
			const board = await this.#parts.workspace.getBoard(boardId);
			if (!board || boardAccess(principal, board) === 'none') continue;
			let entries = changes.get(boardId);
			if (!entries) changes.set(boardId, (entries = this.#recentLedger(boardId, now - digestDefaults.maxWindowMs)));
			const mine = new Map(items.map((item) => [item.recordId, item]));
			const found = new Map<string, ChangedRecord>();
			for (const entry of [...(await entries)].reverse()) {
				const item = mine.get(entry.recordId);
				if (!item || entry.at <= since || entry.at > now || entry.by.id === principal.id) continue;
				const record = found.get(entry.recordId) ?? { ref: item.ref, title: item.title, boardTitle: item.boardTitle, path: recordPath(boardId, item.ref), by: [], fields: [] };
				if (!record.by.includes(entry.by.name)) record.by.push(entry.by.name);
				for (const change of entry.changes) if (!record.fields.includes(change.field)) record.fields.push(change.field);
				found.set(entry.recordId, record);
			}
			out.push(...found.values());
		}
		return out;
	}

	/** A board's ledger entries after `after`, newest first (read once per run, shared by every person). */
	async #recentLedger(boardId: string, after: number): Promise<LedgerEntry[]> {
		const out: LedgerEntry[] = [];
		let beforeSeq: number | undefined;
		while (out.length < digestDefaults.maxLedgerEntries) {
			const page = await this.#parts.store.ledger(boardDocName(boardId), { beforeSeq, limit: digestDefaults.ledgerPage });
			for (const entry of page) if (entry.at > after) out.push(entry);
			const last = page.at(-1);
			if (!last || page.length < digestDefaults.ledgerPage || last.at <= after) break;
			beforeSeq = last.seq;
		}
		return out;
	}
}
