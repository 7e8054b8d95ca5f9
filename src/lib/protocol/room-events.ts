/**
 * socket.io event maps: what is not document state (workspace changes, who is online, sign-outs).
 * Payloads have one zod schema each; types come from z.infer.
 */
import { z } from 'zod';
import type { MeetingClientToServerEvents, MeetingServerToClientEvents } from './meeting.ts';
import type { NotificationView } from './notifications.ts';
import { entityId } from './workspace.ts';

export const workspaceChange = z.object({
	kind: z.enum(['missions', 'boards', 'departments', 'access', 'settings', 'records']),
	/** The mission, board or department concerned, or the person whose access changed (`access`: `person:<id>`); server-side listeners only: never sent to sockets. */
	id: z.string().optional()
});
export type WorkspaceChange = z.infer<typeof workspaceChange>;

export const onlinePerson = z.object({ id: z.string(), name: z.string(), kind: z.string() });
export type OnlinePerson = z.infer<typeof onlinePerson>;

export const sessionEnded = z.object({ reason: z.enum(['signed_out', 'revoked', 'removed']) });
export type SessionEnded = z.infer<typeof sessionEnded>;

/** A board's socket.io room: joined with `board:join`, checked against the board's access. */
export const boardTarget = z.strictObject({ boardId: entityId });
export type BoardTarget = z.infer<typeof boardTarget>;

export const boardJoinReply = z.union([
	z.object({ ok: z.literal(true), boardId: z.string(), access: z.enum(['read', 'write']) }),
	z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) })
]);
export type BoardJoinReply = z.infer<typeof boardJoinReply>;

export interface ServerToClientEvents extends MeetingServerToClientEvents {
	/** Something of this kind changed: reload what you may see. Sent without `id` (hidden ids never leave the server). */
	'workspace:changed': (change: WorkspaceChange) => void;
	'presence:online': (people: OnlinePerson[]) => void;
	'session:ended': (ended: SessionEnded) => void;
	/** This socket may no longer see the board (its department was removed): it has left the room. */
	'board:revoked': (target: BoardTarget) => void;
	/** A new notification for this person (sent to their `principal:<id>` room). */
	'notification:new': (notification: NotificationView) => void;
}

export interface ClientToServerEvents extends MeetingClientToServerEvents {
	'presence:list': (reply: (people: OnlinePerson[]) => void) => void;
	/** Joins the board's room (events of that board go only there) if the caller may see the board. */
	'board:join': (target: BoardTarget, reply: (reply: BoardJoinReply) => void) => void;
	'board:leave': (target: BoardTarget) => void;
}

/** Rooms every socket is placed in by the server. */
export const roomNames = {
	workspace: 'workspace',
	principal: (principalId: string) => `principal:${principalId}`,
	/** Joined with `board:join` only; the server emits a board's events to this room alone. */
	board: (boardId: string) => `board:${boardId}`
} as const;
