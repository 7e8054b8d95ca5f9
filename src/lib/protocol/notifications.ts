/**
 * Notifications: in-app (the bell and the inbox, live over socket.io) and by email, with each
 * person's preferences. Shared by the server, the API and the pages.
 */
import { z } from 'zod';
import { registerName } from './registers.ts';

export const notificationKinds = ['owner', 'mention', 'dependency_red', 'dependency_late', 'escalated', 'mention_unseen'] as const;
export const notificationKind = z.enum(notificationKinds);
export type NotificationKind = z.infer<typeof notificationKind>;

/** What a person can choose per kind of event (email); in-app notifications are always kept. */
export const deliveryModes = ['immediate', 'digest', 'off'] as const;
export const deliveryMode = z.enum(deliveryModes);
export type DeliveryMode = z.infer<typeof deliveryMode>;

/** The kinds a person sets a preference for (a dependency turning red or late is one setting). */
export const preferenceKinds = ['owner', 'mention', 'dependency', 'escalated'] as const;
export type PreferenceKind = (typeof preferenceKinds)[number];

export const preferenceLabels: Readonly<Record<PreferenceKind, string>> = {
	owner: 'You are made owner of a record',
	mention: 'Someone @mentions you in a comment',
	dependency: 'A dependency you provide or receive turns red or late',
	escalated: 'A blocker is escalated to you'
};

export function preferenceKindOf(kind: NotificationKind): PreferenceKind {
	if (kind === 'dependency_red' || kind === 'dependency_late') return 'dependency';
	if (kind === 'mention_unseen') return 'mention';
	return kind;
}

export const notificationPreferences = z.strictObject({
	email: z.strictObject({ owner: deliveryMode, mention: deliveryMode, dependency: deliveryMode, escalated: deliveryMode }),
	/** The daily digest: what is due or overdue, and what changed on your records. */
	dailyDigest: z.boolean()
});
export type NotificationPreferences = z.infer<typeof notificationPreferences>;

export const defaultPreferences: NotificationPreferences = {
	email: { owner: 'immediate', mention: 'immediate', dependency: 'immediate', escalated: 'immediate' },
	dailyDigest: true
};

/** One notification as the inbox, the API and the socket event give it. */
export const notificationView = z.object({
	id: z.string(),
	kind: notificationKind,
	/** One line saying what happened, e.g. "Priya Shah made you owner of DEP-4 Pupil data". */
	text: z.string(),
	boardId: z.string(),
	boardTitle: z.string(),
	register: registerName,
	recordId: z.string(),
	ref: z.string(),
	title: z.string(),
	/** The record's page. */
	path: z.string(),
	by: z.string(),
	at: z.number().int(),
	readAt: z.number().int().optional()
});
export type NotificationView = z.infer<typeof notificationView>;

export const notificationList = z.object({ notifications: z.array(notificationView), unread: z.number().int() });

/** `POST /api/me/notifications/read`: these ids, or every one (`all: true`). */
export const markReadInput = z.union([z.strictObject({ ids: z.array(z.string().max(80)).min(1).max(500) }), z.strictObject({ all: z.literal(true) })]);
export type MarkReadInput = z.infer<typeof markReadInput>;
