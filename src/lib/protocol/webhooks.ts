/**
 * Webhooks: a lead registers an endpoint per mission for chosen events; the server signs and
 * delivers each event once (docs/webhooks.md). One schema per wire shape, shared by the API, the
 * admin page and the OpenAPI document.
 */
import { z } from 'zod';
import { displayText } from './record-fields.ts';
import { registerName } from './registers.ts';
import { entityId } from './workspace.ts';

/** The events a hook can subscribe to (`ping` is sent on request only, never subscribed). */
export const webhookEventTypes = ['record.created', 'record.changed', 'record.closed', 'rating.changed', 'blocker.escalated', 'decision.recorded', 'meeting.ended'] as const;
export const webhookEventType = z.enum(webhookEventTypes);
export type WebhookEventType = z.infer<typeof webhookEventType>;

export const webhookEventLabels = {
	'record.created': 'A record was created',
	'record.changed': 'A record changed',
	'record.closed': 'A record was closed (delivered, resolved, done, accepted, validated…)',
	'rating.changed': 'A confidence rating changed',
	'blocker.escalated': 'A blocker was escalated',
	'decision.recorded': 'A decision was recorded',
	'meeting.ended': 'A meeting ended'
} as const satisfies Record<WebhookEventType, string>;

export const webhookLimits = {
	/** Hooks per mission. */
	perMission: 20,
	urlChars: 2_000,
	/** Deliveries kept per hook, newest first (the delivery log). */
	logSize: 100
} as const;

/** The signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const signatureHeader = 'X-MC-Signature';

const targetUrl = z
	.string()
	.trim()
	.max(webhookLimits.urlChars, `a URL is at most ${webhookLimits.urlChars} characters`)
	.pipe(z.url({ protocol: /^https?$/, error: 'must be an https:// URL' }));

export const createWebhookInput = z.strictObject({
	url: targetUrl,
	events: z.array(webhookEventType).min(1, 'choose at least one event').max(webhookEventTypes.length),
	/** Only these boards of the mission; empty or absent: every board of the mission. */
	boardIds: z.array(entityId).max(200).default([]),
	description: z.union([z.literal(''), displayText(200, 'a description')]).default('')
});
export type CreateWebhookInput = z.input<typeof createWebhookInput>;

export const patchWebhookInput = z
	.strictObject({
		events: createWebhookInput.shape.events.optional(),
		boardIds: z.array(entityId).max(200).optional(),
		description: z.union([z.literal(''), displayText(200, 'a description')]).optional(),
		/** true: deliver again (after it was disabled); false: stop delivering, keep the log. */
		enabled: z.boolean().optional()
	})
	.refine((value) => Object.keys(value).length > 0, 'send at least one field to change');
export type PatchWebhookInput = z.input<typeof patchWebhookInput>;

/** A hook as stored. The secret signs deliveries, so it is kept as it is (see docs/webhooks.md). */
export const webhookRecord = z.object({
	id: entityId,
	missionId: entityId,
	url: z.string(),
	events: z.array(webhookEventType),
	boardIds: z.array(entityId),
	description: z.string(),
	secret: z.string(),
	/** Principal id of the lead who registered it: deliveries carry only what they may read. */
	ownerId: z.string(),
	ownerName: z.string(),
	enabled: z.boolean(),
	/** Why it stopped delivering, when it was disabled after persistent failure. */
	disabledReason: z.string().nullable(),
	disabledAt: z.number().int().nullable(),
	createdAt: z.number().int(),
	updatedAt: z.number().int()
});
export type WebhookRecord = z.infer<typeof webhookRecord>;

/** A hook as the API shows it: never the secret (it is shown once, when the hook is created). */
export const webhookView = webhookRecord.omit({ secret: true });
export type WebhookView = z.infer<typeof webhookView>;

export const createdWebhook = webhookView.extend({ secret: z.string().describe('shown once: keep it to check signatures') });

export const deliveryStatuses = ['pending', 'sending', 'delivered', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/** One delivery attempt series of one event to one hook: the delivery log's line. */
export const webhookDelivery = z.object({
	id: z.string(),
	hookId: entityId,
	eventId: z.string(),
	type: z.union([webhookEventType, z.literal('ping')]),
	status: z.enum(deliveryStatuses),
	attempts: z.number().int().min(0),
	createdAt: z.number().int(),
	nextAttemptAt: z.number().int(),
	finishedAt: z.number().int().nullable(),
	/** The receiver's last HTTP status, or null when there was no answer. */
	lastStatus: z.number().int().nullable(),
	lastError: z.string().max(300).nullable(),
	lastDurationMs: z.number().int().nullable()
});
export type WebhookDelivery = z.infer<typeof webhookDelivery>;

/** The body of every delivery (JSON, UTF-8). */
export const webhookPayload = z.object({
	/** Unique per event: a receiver that sees an id twice (a retry after a lost answer) ignores it. */
	id: z.string(),
	type: z.union([webhookEventType, z.literal('ping')]),
	/** When the event happened (ms since the epoch) and as ISO text. */
	at: z.number().int(),
	occurredAt: z.string(),
	mission: z.object({ id: entityId, title: z.string() }),
	board: z.object({ id: entityId, title: z.string() }).nullable(),
	record: z
		.object({ register: registerName, id: z.string(), ref: z.string(), title: z.string(), status: z.string().nullable(), url: z.string().nullable() })
		.nullable(),
	/** The fields changed, as the server's ledger recorded them (before → after). */
	changes: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
	meeting: z.object({ id: z.string(), title: z.string(), forum: z.string(), startedAt: z.number().int(), endedAt: z.number().int().nullable(), packUrl: z.string().nullable() }).nullable(),
	/** Who made the change, as the server knew them. */
	by: z.object({ name: z.string(), department: z.string().nullable() }).nullable()
});
export type WebhookPayload = z.infer<typeof webhookPayload>;

/** One hook with its delivery log, newest first. */
export const webhookWithLog = webhookView.extend({ deliveries: z.array(webhookDelivery) });
export type WebhookWithLog = z.infer<typeof webhookWithLog>;
