/**
 * Notifications (`backend.notifications`): the hub's `onLedger` hook runs the pure triggers
 * (`src/lib/board/notification-triggers.ts`) on the records as they are after the change, checks
 * that each recipient may read the board (a mention of someone who cannot is told to its author
 * instead), stores each notification once, tells the person's open tabs over socket.io and mails it
 * by their preferences (immediately, in the daily digest, or not at all).
 *
 * Exactly once with several instances: only the instance that accepted an update reports its ledger,
 * and a notification's id is derived from (update seq, record, kind, recipient, comment), so storing
 * it is a compare-and-set that a second attempt loses; its email is queued under the same id, which
 * the outbox sends once.
 */
import { createHash } from 'node:crypto';
import { notificationCandidates, notificationTriggers, type NotificationDraft } from '#lib/board/notification-triggers.ts';
import { boardIdOfDoc } from '#lib/protocol/doc-names.ts';
import type { DirectoryEntry } from '#lib/protocol/identity.ts';
import type { LedgerEntry } from '#lib/protocol/ledger.ts';
import { defaultPreferences, notificationPreferences, notificationView, preferenceKindOf, type MarkReadInput, type NotificationPreferences, type NotificationView } from '#lib/protocol/notifications.ts';
import { roomNames } from '#lib/protocol/room-events.ts';
import { recordPath, type Board, type WorkspaceSettings } from '#lib/protocol/workspace.ts';
import { boardAccess } from '../auth/policy.ts';
import type { Principal } from '../auth/principal.ts';
import { personIdOf, type People } from '../access/people.ts';
import type { WorkspaceReader } from '../access/workspace-reader.ts';
import type { DocHub } from '../hub/doc-hub.ts';
import type { HubHooks, LedgerEvent } from '../hub/hooks.ts';
import { IdentityError } from '../identity/identity-errors.ts';
import type { MailOutbox } from '../identity/mail-outbox.ts';
import type { Logger } from '../log.ts';
import type { RoomServer } from '../rooms/room-server.ts';
import type { Store } from '../store/store.ts';
import { DailyDigest, type DigestLimits } from './daily-digest.ts';
import { readNotifiedRecords } from './notified-records.ts';
import { Unsubscribe } from './unsubscribe.ts';

/**
 * Each person's notifications are a collection of their own (`notifications:<principal id>`): the
 * store's index on (collection, id) is then the per-person index, and an inbox, its unread count and
 * "mark all read" read one person's records, never everyone's.
 */
export function inboxCollection(recipient: string): string {
	return `notifications:${recipient}`;
}

/** Where earlier versions kept everyone's notifications together; moved into the inboxes on start. */
export const sharedNotificationCollection = 'notifications';
export const preferenceCollection = 'notification-preferences';

export const notificationDefaults = {
	/** The inbox lists this many, newest first. */
	listLimit: 100
} as const;

export interface NotificationsParts {
	store: Store;
	hub: DocHub;
	workspace: WorkspaceReader;
	people: People;
	directory: () => Promise<DirectoryEntry[]>;
	io: RoomServer;
	outbox: MailOutbox | undefined;
	origin: string | undefined;
	/** The workspace settings (its time zone and the digest's hour). */
	settings: () => Promise<WorkspaceSettings>;
	instanceId: string;
	log: Logger;
	digestLimits?: Partial<DigestLimits> | undefined;
}

const sentence: Record<NotificationView['kind'], (by: string) => string> = {
	owner: (by) => `${by} made you an owner of`,
	mention: (by) => `${by} mentioned you on`,
	dependency_red: () => 'Now rated red:',
	dependency_late: () => 'Now late:',
	escalated: (by) => `${by} escalated to you`,
	mention_unseen: () => 'Someone you mentioned cannot see this board, so was not told:'
};

export class Notifications {
	readonly hubHooks: HubHooks;
	readonly unsubscribe: Unsubscribe;
	/** With mail: the daily digest (checks the clock every minute on every instance; one sends). */
	readonly digest: DailyDigest | undefined;
	#parts: NotificationsParts;
	#chain: Promise<void> = Promise.resolve();

	constructor(parts: NotificationsParts) {
		this.#parts = parts;
		this.unsubscribe = new Unsubscribe(parts.store);
		const { outbox, origin } = parts;
		this.digest =
			outbox && origin
				? new DailyDigest({
						...parts,
						outbox,
						origin,
						unsubscribe: this.unsubscribe,
						notificationsOf: async (principalId) => (await this.#of(principalId)).map(({ entry }) => toView(entry)),
						preferencesOf: (principalId) => this.#preferencesOf(principalId),
						limits: parts.digestLimits
					})
				: undefined;
		this.digest?.start();
		this.#chain = this.#moveShared().catch((error: unknown) => parts.log.error({ err: error }, 'moving notifications into per-person inboxes failed'));
		this.hubHooks = {
			// One change at a time, in the order the hub stored them: people hear in that order too.
			onLedger: (event) => {
				const candidates = whoMayBeTold(event);
				if (!candidates) return;
				this.#chain = this.#chain.then(() => this.#onLedger(event, candidates)).catch((error: unknown) => parts.log.error({ err: error, doc: event.docName }, 'notifications for a change failed'));
			}
		};
	}

	/** Resolves once every change reported so far has been turned into notifications (tests, shutdown). */
	settled(): Promise<void> {
		return this.#chain;
	}

	/** Stops the digest's clock (and waits for a run under way); notifications still pending are written first. */
	async close(): Promise<void> {
		await this.#chain;
		await this.digest?.close();
	}

	/** The caller's notifications, newest first, and how many are unread. */
	async list(caller: Principal | undefined): Promise<{ notifications: NotificationView[]; unread: number }> {
		const recipient = requirePerson(caller);
		const mine = (await this.#of(recipient)).map(({ entry }) => entry);
		return { notifications: mine.slice(0, notificationDefaults.listLimit).map(toView), unread: mine.filter((entry) => entry.readAt === undefined).length };
	}

	async markRead(caller: Principal | undefined, input: MarkReadInput): Promise<{ unread: number }> {
		const recipient = requirePerson(caller);
		const wanted = 'ids' in input ? new Set(input.ids) : undefined;
		const now = Date.now();
		for (const { raw, entry } of await this.#of(recipient)) {
			if (entry.readAt !== undefined || (wanted && !wanted.has(entry.id))) continue;
			await this.#parts.store.compareAndSetRecord(inboxCollection(recipient), entry.id, raw, { ...entry, readAt: now });
		}
		return { unread: (await this.list(caller)).unread };
	}

	async preferences(caller: Principal | undefined): Promise<NotificationPreferences> {
		return this.#preferencesOf(requirePerson(caller));
	}

	async setPreferences(caller: Principal | undefined, input: NotificationPreferences): Promise<NotificationPreferences> {
		const recipient = requirePerson(caller);
		const value = notificationPreferences.parse(input);
		await this.#parts.store.putRecord(preferenceCollection, recipient, value);
		return value;
	}

	/** One-click unsubscribe from an email's link: every email kind and the digest off. */
	async unsubscribeWith(token: unknown): Promise<void> {
		const principalId = await this.unsubscribe.principalOf(token);
		if (!principalId) throw new IdentityError('link_invalid', 'This unsubscribe link is not valid. Change your email settings on your notifications page instead.');
		await this.#parts.store.putRecord(preferenceCollection, principalId, { email: { owner: 'off', mention: 'off', dependency: 'off', escalated: 'off' }, dailyDigest: false } satisfies NotificationPreferences);
		this.#parts.log.info({ person: principalId }, 'unsubscribed from email');
	}

	async #preferencesOf(principalId: string): Promise<NotificationPreferences> {
		const parsed = notificationPreferences.safeParse(await this.#parts.store.getRecord(preferenceCollection, principalId));
		return parsed.success ? parsed.data : defaultPreferences;
	}

	async #onLedger(event: LedgerEvent, { boardId, recordIds, needsDirectory }: Candidates): Promise<void> {
		// Only the records that can notify, and of those only the fields the triggers use.
		const directory = needsDirectory ? await this.#parts.directory() : [];
		// Decided while the document is at hand: a record's ref is resolved only if someone is told.
		const drafts = await this.#parts.hub.withDoc(event.docName, (shared) => notificationTriggers(boardId, event.entries, readNotifiedRecords(shared.doc, event.entries, recordIds), directory));
		if (drafts.length === 0) return;
		const board = await this.#parts.workspace.getBoard(boardId);
		if (!board) return;
		for (const draft of drafts) await this.#deliver(board, draft, event.entries);
	}

	async #deliver(board: Board, draft: NotificationDraft, entries: readonly LedgerEntry[]): Promise<void> {
		const person = await this.#personOf(draft.recipient);
		if (!person) return;
		if (boardAccess(person, board) === 'none') {
			// Nobody is told about a board they cannot see; the author of a mention learns why.
			if (draft.kind === 'mention' && entries.some((entry) => entry.by.id === draft.by.id)) {
				const author = await this.#personOf(draft.by.id);
				if (author) await this.#store(board, { ...draft, recipient: author.id, kind: 'mention_unseen', detail: `${draft.detail ?? ''}:${draft.recipient}` }, author);
			}
			return;
		}
		await this.#store(board, draft, person);
	}

	async #personOf(principalId: string): Promise<Principal | undefined> {
		return this.#parts.people.principal(principalId);
	}

	async #store(board: Board, draft: NotificationDraft, recipient: Principal): Promise<void> {
		const id = createHash('sha256').update([board.id, draft.seq, draft.recordId, draft.kind, draft.recipient, draft.detail ?? ''].join('\u0000')).digest('base64url').slice(0, 24);
		const path = recordPath(board.id, draft.ref);
		const text = `${sentence[draft.kind](draft.by.name)} ${draft.ref} “${draft.title}”`;
		const view: NotificationView = { id, kind: draft.kind, text, boardId: board.id, boardTitle: board.title, register: draft.register, recordId: draft.recordId, ref: draft.ref, title: draft.title, path, by: draft.by.name, at: draft.at };
		const record = { ...view, recipient: recipient.id };
		// The one place a notification comes to exist: a second attempt (a replayed event) loses here.
		if (!(await this.#parts.store.compareAndSetRecord(inboxCollection(recipient.id), id, undefined, record))) return;
		this.#parts.io.to(roomNames.principal(recipient.id)).emit('notification:new', view);
		this.#parts.log.info({ notification: id, kind: draft.kind, person: recipient.id, board: board.id }, 'notification');
		await this.#mail(view, recipient);
	}

	async #mail(view: NotificationView, recipient: Principal): Promise<void> {
		const { outbox, origin } = this.#parts;
		if (!outbox || !origin) return;
		const preferences = await this.#preferencesOf(recipient.id);
		if (preferences.email[preferenceKindOf(view.kind)] !== 'immediate') return;
		const person = await this.#parts.people.get(personIdOf(recipient.id) ?? '');
		if (!person?.email) return;
		const unsubscribe = `${origin}/unsubscribe?token=${await this.unsubscribe.tokenFor(recipient.id)}`;
		await outbox.queue({
			id: `notification-${view.id}`,
			kind: `notification ${view.kind}`,
			to: person.email,
			subject: `${view.ref} ${view.title.slice(0, 80)} · Mission Control`,
			text: [`${view.text}`, `on the board ${view.boardTitle}.`, '', `Open it: ${origin}${view.path}`, '', '—', `You get this email because of your notification settings: ${origin}/me/notifications`, `Stop these emails with one click: ${unsubscribe}`].join('\n')
		});
	}

	/** One person's stored notifications, newest first. */
	async #of(recipient: string): Promise<Array<{ raw: unknown; entry: NotificationView & { recipient: string } }>> {
		const out: Array<{ raw: unknown; entry: NotificationView & { recipient: string } }> = [];
		for (const { value } of await this.#parts.store.listRecords(inboxCollection(recipient))) {
			const parsed = stored.safeParse(value);
			if (parsed.success) out.push({ raw: value, entry: parsed.data });
		}
		return out.sort((a, b) => b.entry.at - a.entry.at);
	}

	/**
	 * One-off, on start: notifications stored by earlier versions in one shared collection move into
	 * their person's inbox. Each is copied if absent, then removed with a compare-and-set, so instances
	 * starting together, or a restart half-way, move each once.
	 */
	async #moveShared(): Promise<void> {
		const { store, log } = this.#parts;
		let moved = 0;
		for (const { id, value } of await store.listRecords(sharedNotificationCollection)) {
			const parsed = stored.safeParse(value);
			if (!parsed.success) continue;
			await store.compareAndSetRecord(inboxCollection(parsed.data.recipient), id, undefined, value);
			if (await store.compareAndSetRecord(sharedNotificationCollection, id, value, undefined)) moved++;
		}
		if (moved > 0) log.info({ moved }, 'notifications moved into per-person inboxes');
	}
}

const stored = notificationView.extend({ recipient: notificationView.shape.id });

type Candidates = ReturnType<typeof notificationCandidates> & { boardId: string };

/**
 * Whom a durable batch may tell, decided on the document the hub holds, in the hook, so that most
 * batches never join the notification chain: undefined when it tells nobody, that is when it names
 * no one (a status, a comment without "@"; decided from the entries alone), or can tell only its
 * record's owners and they are all its writer (`readNotifiedRecords`). When in doubt (a read that
 * throws) it answers: the chain reads again and reports the error.
 */
function whoMayBeTold(event: LedgerEvent): Candidates | undefined {
	const boardId = boardIdOfDoc(event.docName);
	if (boardId === undefined) return undefined;
	const candidates = { ...notificationCandidates(event.entries), boardId };
	if (candidates.recordIds.size === 0) return undefined;
	try {
		return readNotifiedRecords(event.doc, event.entries, candidates.recordIds).size > 0 ? candidates : undefined;
	} catch {
		return candidates;
	}
}

function toView(entry: NotificationView & { recipient: string }): NotificationView {
	const { recipient: _recipient, ...view } = entry;
	return view;
}

function requirePerson(caller: Principal | undefined): string {
	if (!caller) throw new IdentityError('unauthenticated', 'sign in first');
	if (caller.kind !== 'person' && caller.kind !== 'api-token') throw new IdentityError('forbidden', 'only people have notifications');
	return caller.id;
}
