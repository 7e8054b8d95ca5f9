/**
 * Webhooks (`backend.webhooks`): leads register HTTPS endpoints per mission for chosen events; the
 * hub's `onLedger` hook (and the end of a meeting) turns accepted changes into events, each queued
 * once per hook in `WebhookDeliveries`, which signs, sends, retries and logs them (docs/webhooks.md).
 *
 * Access: only leads manage hooks; an event is queued for a hook only when the hook's owner (the lead
 * who registered it, as they are now) may read the board it comes from, and re-checked before each
 * attempt, so a webhook never carries what its owner could not read.
 *
 * Exactly once across instances: only the instance that accepted an update reports its ledger, an
 * event's id comes from the update's sequence number, and a delivery's id from (hook, event), so
 * storing it is a compare-and-set a second attempt loses.
 */
import { randomBytes } from 'node:crypto';
import { readRecordsById } from '#lib/board/board-doc.ts';
import { boardDocName, boardIdOfDoc } from '#lib/protocol/doc-names.ts';
import type { MeetingRecord } from '#lib/protocol/meeting.ts';
import { registerNames, type BoardRecord } from '#lib/protocol/records.ts';
import { createWebhookInput, patchWebhookInput, webhookLimits, webhookRecord, webhookView, type CreateWebhookInput, type PatchWebhookInput, type WebhookDelivery, type WebhookEventType, type WebhookPayload, type WebhookRecord, type WebhookView, type WebhookWithLog } from '#lib/protocol/webhooks.ts';
import { missionPath, recordPath, type Board } from '#lib/protocol/workspace.ts';
import { adminPrincipal, type Principal } from '../auth/principal.ts';
import { boardAccess, isLead } from '../auth/policy.ts';
import { personIdOf, type People } from '../access/people.ts';
import type { WorkspaceReader } from '../access/workspace-reader.ts';
import type { DocHub } from '../hub/doc-hub.ts';
import type { HubHooks, LedgerEvent } from '../hub/hooks.ts';
import type { MailOutbox } from '../identity/mail-outbox.ts';
import type { Logger } from '../log.ts';
import { relaysServerSideEvents, type RoomServer } from '../rooms/room-server.ts';
import type { RecordStore } from '../store/store.ts';
import { ForbiddenError, InvalidRequestError, NotFoundError } from '../workspace/errors.ts';
import { newEntityId } from '../workspace/ids.ts';
import { RecordCollection } from '../workspace/record-collection.ts';
import { WebhookDeliveries, type DeliveryLimits } from './webhook-deliveries.ts';
import { eventId, recordEvents, type RecordEvent } from './webhook-events.ts';
import { TargetPolicy, WebhookTargetError } from './webhook-target.ts';

export const webhookCollection = 'webhooks';

export interface WebhooksParts {
	store: RecordStore;
	hub: DocHub;
	workspace: WorkspaceReader;
	people: People;
	outbox: () => MailOutbox | undefined;
	origin: string | undefined;
	allowedNetworks: readonly string[];
	instanceId: string;
	version: string;
	log: Logger;
	limits?: Partial<DeliveryLimits>;
	/** Resolves host names (tests give names their own answers); the system resolver by default. */
	resolve?: (hostname: string) => Promise<string[]>;
	/** Tells the other instances that the hooks changed, and hears them say so (socket.io server-side events). */
	io?: RoomServer;
}

export const webhookClusterEvents = { changed: 'webhooks:changed' } as const;

export class Webhooks {
	readonly hubHooks: HubHooks;
	readonly deliveries: WebhookDeliveries;
	readonly policy: TargetPolicy;
	#parts: WebhooksParts;
	#hooks: RecordCollection<typeof webhookRecord>;
	/**
	 * The enabled hooks, as last read: every accepted change asks for them, and they change only
	 * through this class (here or on another instance, which says so), so they are read again only
	 * after a change.
	 */
	#enabled: Promise<WebhookRecord[]> | undefined;
	/** Whether that read has answered, with no enabled hook: a change then costs nothing at all (not even a promise). */
	#noneEnabled = false;
	/** Whether `io` reaches other instances (the Redis adapter does; the in-memory one only warns). */
	#relays: boolean;
	#chain: Promise<void> = Promise.resolve();

	constructor(parts: WebhooksParts) {
		this.#parts = parts;
		this.policy = new TargetPolicy(parts.allowedNetworks, parts.resolve);
		this.#hooks = new RecordCollection(parts.store, webhookCollection, webhookRecord, parts.log);
		this.deliveries = new WebhookDeliveries({
			store: parts.store,
			log: parts.log,
			policy: this.policy,
			instanceId: parts.instanceId,
			userAgent: `MissionControl-Webhooks/${parts.version}`,
			limits: parts.limits,
			hook: (id) => this.#hooks.get(id),
			ownerMayRead: (hook, boardId) => this.#ownerMayRead(hook, boardId),
			onGaveUp: (hook, delivery) => this.#disable(hook, delivery)
		});
		this.#relays = parts.io !== undefined && relaysServerSideEvents(parts.io);
		parts.io?.on(webhookClusterEvents.changed, () => this.#forgetEnabled());
		this.hubHooks = {
			// In the order the hub stored them; the hub never waits for this (nor for any receiver).
			onLedger: (event) => {
				if (!this.#noneEnabled) this.#enqueue(() => this.#onLedger(event), event.docName);
			}
		};
		this.deliveries.start();
	}

	/** Resolves once every change reported so far is queued and every started delivery attempt has finished (tests). */
	async settled(): Promise<void> {
		await this.#chain;
		await this.deliveries.flush();
		await this.deliveries.settled();
	}

	async close(): Promise<void> {
		await this.#chain;
		await this.deliveries.close();
	}

	/** Called when a meeting of a mission ends (on the instance that ended it). */
	meetingEnded(meeting: MeetingRecord): void {
		this.#enqueue(() => this.#onMeetingEnded(meeting), meeting.id);
	}

	// ── Managing hooks (leads) ─────────────────────────────────────────────

	async list(principal: Principal, missionId: string): Promise<WebhookView[]> {
		await this.#leadMission(principal, missionId);
		return (await this.#ofMission(missionId)).map((hook) => webhookView.parse(hook));
	}

	async get(principal: Principal, missionId: string, hookId: string): Promise<WebhookWithLog> {
		const hook = await this.#hookOf(principal, missionId, hookId);
		return { ...webhookView.parse(hook), deliveries: await this.deliveries.log(hook.id) };
	}

	async create(principal: Principal, missionId: string, input: CreateWebhookInput): Promise<WebhookView & { secret: string }> {
		await this.#leadMission(principal, missionId);
		const value = createWebhookInput.parse(input);
		await this.#checkBoards(missionId, value.boardIds);
		await this.#checkTarget(value.url);
		if ((await this.#ofMission(missionId)).length >= webhookLimits.perMission) throw new InvalidRequestError(`a mission has at most ${webhookLimits.perMission} webhooks`);
		const now = Date.now();
		const hook: WebhookRecord = { id: newEntityId(), missionId, ...value, secret: `whsec_${randomBytes(24).toString('base64url')}`, ownerId: principal.id, ownerName: principal.name, enabled: true, disabledReason: null, disabledAt: null, createdAt: now, updatedAt: now };
		await this.#hooks.create(hook.id, hook);
		this.#changed();
		this.#parts.log.info({ hook: hook.id, mission: missionId, by: principal.id, events: hook.events }, 'webhook registered');
		return { ...webhookView.parse(hook), secret: hook.secret };
	}

	async patch(principal: Principal, missionId: string, hookId: string, input: PatchWebhookInput): Promise<WebhookView> {
		await this.#hookOf(principal, missionId, hookId);
		const patch = patchWebhookInput.parse(input);
		if (patch.boardIds) await this.#checkBoards(missionId, patch.boardIds);
		const updated = await this.#hooks.update(hookId, (current) => {
			const enabled = patch.enabled ?? current.enabled;
			const revived = enabled && !current.enabled;
			// Whoever turns a hook back on owns it from then on: it carries what they may read.
			const owner = revived ? { ownerId: principal.id, ownerName: principal.name } : {};
			return { ...current, ...patch, ...owner, enabled, disabledReason: enabled ? null : current.disabledReason, disabledAt: enabled ? null : (current.disabledAt ?? Date.now()), updatedAt: Date.now() };
		});
		if (!updated) throw new NotFoundError('webhook', hookId);
		this.#changed();
		if (patch.enabled === true) await this.#checkTarget(updated.value.url);
		return webhookView.parse(updated.value);
	}

	async delete(principal: Principal, missionId: string, hookId: string): Promise<void> {
		await this.#hookOf(principal, missionId, hookId);
		await this.#hooks.delete(hookId);
		this.#changed();
		await this.deliveries.forget(hookId);
		this.#parts.log.info({ hook: hookId, mission: missionId, by: principal.id }, 'webhook deleted');
	}

	/** Queues a `ping` to the hook now (to check the receiver and its signature check). */
	async ping(principal: Principal, missionId: string, hookId: string): Promise<{ deliveryId: string }> {
		const hook = await this.#hookOf(principal, missionId, hookId);
		const id = eventId('ping', hook.id, Date.now(), randomBytes(6).toString('hex'));
		const mission = await this.#parts.workspace.getMission(missionId);
		const payload: WebhookPayload = { id, type: 'ping', at: Date.now(), occurredAt: new Date().toISOString(), mission: { id: missionId, title: mission?.title ?? '' }, board: null, record: null, changes: [], meeting: null, by: { name: principal.name, department: principal.departmentId ?? null } };
		await this.deliveries.queue({ id: eventId(hook.id, id), hook, eventId: id, type: 'ping', boardId: null, body: JSON.stringify(payload) });
		return { deliveryId: eventId(hook.id, id) };
	}

	// ── Events ──────────────────────────────────────────────────────────────

	/** A change while they are being read forgets that read: its callers get it, the next one reads again. */
	#enabledHooks(): Promise<WebhookRecord[]> {
		if (this.#enabled) return this.#enabled;
		const reading = this.#hooks.list().then((hooks) => {
			const enabled = hooks.filter((hook) => hook.enabled);
			if (this.#enabled === reading) this.#noneEnabled = enabled.length === 0;
			return enabled;
		});
		this.#enabled = reading;
		reading.catch(() => {
			if (this.#enabled === reading) this.#enabled = undefined;
		});
		return reading;
	}

	#forgetEnabled(): void {
		this.#enabled = undefined;
		this.#noneEnabled = false;
	}

	/** After a hook is stored, changed or removed here: read again here, and tell the other instances. */
	#changed(): void {
		this.#forgetEnabled();
		if (!this.#parts.io || !this.#relays) return;
		try {
			this.#parts.io.serverSideEmit(webhookClusterEvents.changed);
		} catch (error) {
			this.#parts.log.warn({ err: error }, 'could not tell the other instances that the webhooks changed');
		}
	}

	#enqueue(work: () => Promise<void>, what: string): void {
		this.#chain = this.#chain.then(work).catch((error: unknown) => this.#parts.log.error({ err: error, about: what }, 'webhook events for a change failed'));
	}

	async #onLedger(event: LedgerEvent): Promise<void> {
		const boardId = boardIdOfDoc(event.docName);
		if (!boardId) return;
		// Without an enabled hook anywhere (the usual case), a change costs nothing more.
		const enabled = await this.#enabledHooks();
		if (enabled.length === 0) return;
		const board = await this.#parts.workspace.getBoard(boardId);
		if (!board) return;
		const hooks = enabled.filter((hook) => hook.missionId === board.missionId && (hook.boardIds.length === 0 || hook.boardIds.includes(boardId))).sort((a, b) => a.createdAt - b.createdAt);
		if (hooks.length === 0) return;
		const ids = new Set(event.entries.map((entry) => entry.recordId));
		const records = await this.#parts.hub.withDoc(boardDocName(boardId), (shared) => {
			const found = new Map<string, BoardRecord>();
			// Only the records the change touched (archived ones included), not the whole board.
			for (const register of registerNames) for (const result of readRecordsById(shared.doc, register, ids)) if (result.ok) found.set(result.id, result.record);
			return found;
		});
		const events = recordEvents(boardId, event.entries, records);
		if (events.length === 0) return;
		const mission = await this.#parts.workspace.getMission(board.missionId);
		for (const hook of hooks) {
			if (!(await this.#ownerMayRead(hook, boardId, board))) continue;
			for (const recordEvent of events) {
				if (!hook.events.includes(recordEvent.type)) continue;
				const body = JSON.stringify(this.#recordPayload(recordEvent, board, mission?.title ?? ''));
				await this.deliveries.queue({ id: eventId(hook.id, recordEvent.id), hook, eventId: recordEvent.id, type: recordEvent.type, boardId, body });
			}
		}
	}

	#recordPayload(event: RecordEvent, board: Board, missionTitle: string): WebhookPayload {
		const { record } = event;
		const status = 'status' in record && typeof record.status === 'string' ? record.status : null;
		const origin = this.#parts.origin;
		return {
			id: event.id,
			type: event.type,
			at: event.at,
			occurredAt: new Date(event.at).toISOString(),
			mission: { id: board.missionId, title: missionTitle },
			board: { id: board.id, title: board.title },
			record: { register: record.register, id: record.id, ref: record.ref, title: record.title, status, url: origin ? `${origin}${recordPath(board.id, record.ref)}` : null },
			changes: event.changes.map(({ field, before, after }) => ({ field, before, after })),
			meeting: null,
			by: { name: event.by.name, department: event.by.department }
		};
	}

	async #onMeetingEnded(meeting: MeetingRecord): Promise<void> {
		const type: WebhookEventType = 'meeting.ended';
		const hooks = (await this.#ofMission(meeting.missionId)).filter((hook) => hook.enabled && hook.events.includes(type) && (hook.boardIds.length === 0 || hook.boardIds.includes(meeting.boardId)));
		if (hooks.length === 0) return;
		const [mission, board] = await Promise.all([this.#parts.workspace.getMission(meeting.missionId), this.#parts.workspace.getBoard(meeting.boardId)]);
		const id = eventId('meeting', meeting.id, type);
		const origin = this.#parts.origin;
		const at = meeting.endedAt ?? Date.now();
		const payload: WebhookPayload = {
			id,
			type,
			at,
			occurredAt: new Date(at).toISOString(),
			mission: { id: meeting.missionId, title: mission?.title ?? '' },
			board: board ? { id: board.id, title: board.title } : null,
			record: null,
			changes: [],
			meeting: { id: meeting.id, title: meeting.title, forum: meeting.forum, startedAt: meeting.startedAt, endedAt: meeting.endedAt, packUrl: origin ? `${origin}/api/meetings/${meeting.id}/pack.html` : null },
			by: { name: meeting.chair.name, department: null }
		};
		const body = JSON.stringify(payload);
		// A meeting is seen only by who can read its board (server/meetings/meeting-visibility.ts).
		for (const hook of hooks) if (await this.#ownerMayRead(hook, meeting.boardId)) await this.deliveries.queue({ id: eventId(hook.id, id), hook, eventId: id, type, boardId: meeting.boardId, body });
	}

	// ── Access ──────────────────────────────────────────────────────────────

	async #owner(hook: WebhookRecord): Promise<Principal | undefined> {
		return hook.ownerId === adminPrincipal.id ? adminPrincipal : this.#parts.people.principal(hook.ownerId);
	}

	async #ownerMayRead(hook: WebhookRecord, boardId: string | null, known?: Board): Promise<boolean> {
		const owner = await this.#owner(hook);
		if (!owner) return false;
		if (boardId === null) return isLead(owner);
		const board = known ?? (await this.#parts.workspace.getBoard(boardId));
		return board !== undefined && board.missionId === hook.missionId && boardAccess(owner, board) !== 'none';
	}

	async #leadMission(principal: Principal, missionId: string): Promise<void> {
		const mission = await this.#parts.workspace.getMission(missionId);
		if (!mission) throw new NotFoundError('mission', missionId);
		if (!isLead(principal)) throw new ForbiddenError('only Missions Unit leads manage webhooks');
	}

	async #hookOf(principal: Principal, missionId: string, hookId: string): Promise<WebhookRecord> {
		await this.#leadMission(principal, missionId);
		const hook = await this.#hooks.get(hookId);
		if (!hook || hook.missionId !== missionId) throw new NotFoundError('webhook', hookId);
		return hook;
	}

	async #ofMission(missionId: string): Promise<WebhookRecord[]> {
		return (await this.#hooks.list()).filter((hook) => hook.missionId === missionId).sort((a, b) => a.createdAt - b.createdAt);
	}

	async #checkBoards(missionId: string, boardIds: readonly string[]): Promise<void> {
		for (const id of boardIds) {
			const board = await this.#parts.workspace.getBoard(id);
			if (!board || board.missionId !== missionId) throw new InvalidRequestError(`the board ${JSON.stringify(id)} is not a board of this mission`);
		}
	}

	async #checkTarget(url: string): Promise<void> {
		try {
			await this.policy.resolveTarget(url);
		} catch (error) {
			if (error instanceof WebhookTargetError) throw new InvalidRequestError(error.message);
			throw error;
		}
	}

	/** After a delivery failed for a day: the hook stops, and the lead who owns it is told. */
	async #disable(hook: WebhookRecord, delivery: WebhookDelivery): Promise<void> {
		const reason = `Disabled after ${delivery.attempts} failed attempts to deliver ${delivery.type} (${delivery.lastError ?? 'no answer'}).`;
		await this.#hooks.update(hook.id, (current) => (current.enabled ? { ...current, enabled: false, disabledReason: reason, disabledAt: Date.now(), updatedAt: Date.now() } : undefined));
		this.#changed();
		this.#parts.log.error({ hook: hook.id, mission: hook.missionId, reason }, 'webhook disabled after persistent failure');
		const outbox = this.#parts.outbox();
		const personId = personIdOf(hook.ownerId);
		const person = personId ? await this.#parts.people.get(personId) : undefined;
		if (!outbox || !person?.email) return;
		const origin = this.#parts.origin ?? '';
		await outbox.queue({
			id: `webhook-disabled-${hook.id}-${delivery.id}`,
			kind: 'webhook disabled',
			to: person.email,
			subject: 'A webhook was disabled · Mission Control',
			text: [`The webhook to ${hook.url} stopped delivering.`, reason, '', `Fix the receiver, then turn the webhook back on: ${origin}${missionPath(hook.missionId)}/webhooks`].join('\n')
		});
	}
}
