/**
 * socket.io event maps: what is not document state (workspace changes, who is online, sign-outs).
 * Payloads have one zod schema each; types come from z.infer.
 */
import { z } from 'zod';
import type { MeetingClientToServerEvents, MeetingServerToClientEvents } from './meeting.ts';

export const workspaceChange = z.object({
	kind: z.enum(['missions', 'boards', 'departments', 'access', 'settings']),
	/** The mission or board concerned, when there is one. */
	id: z.string().optional()
});
export type WorkspaceChange = z.infer<typeof workspaceChange>;

export const onlinePerson = z.object({ id: z.string(), name: z.string(), kind: z.string() });
export type OnlinePerson = z.infer<typeof onlinePerson>;

export const sessionEnded = z.object({ reason: z.enum(['signed_out', 'revoked', 'removed']) });
export type SessionEnded = z.infer<typeof sessionEnded>;

export interface ServerToClientEvents extends MeetingServerToClientEvents {
	'workspace:changed': (change: WorkspaceChange) => void;
	'presence:online': (people: OnlinePerson[]) => void;
	'session:ended': (ended: SessionEnded) => void;
}

export interface ClientToServerEvents extends MeetingClientToServerEvents {
	'presence:list': (reply: (people: OnlinePerson[]) => void) => void;
}

/** Rooms every socket is placed in by the server. */
export const roomNames = {
	workspace: 'workspace',
	principal: (principalId: string) => `principal:${principalId}`
} as const;
