/**
 * Who sees whom in the workspace's "online now" list: leads (and the administrator) see everyone;
 * a department's people see their own department and the Missions Unit leads; wall displays are
 * never listed and get no list. socket.io delivers each audience its list through a room.
 */
import type { OnlinePerson } from '#lib/protocol/room-events.ts';
import { isLead } from '../auth/policy.ts';
import type { Principal } from '../auth/principal.ts';

export const presenceRooms = {
	everyone: 'presence:everyone',
	department: (departmentId: string) => `presence:department:${departmentId}`
} as const;

/** The presence room a socket of this principal joins; undefined for wall displays. */
export function presenceRoom(principal: Principal): string | undefined {
	if (principal.kind === 'wall') return undefined;
	if (isLead(principal)) return presenceRooms.everyone;
	return principal.departmentId ? presenceRooms.department(principal.departmentId) : undefined;
}

/** Each presence room that has members, with the list its members may see. */
export function presenceLists(online: readonly Principal[]): Map<string, OnlinePerson[]> {
	const people = new Map<string, Principal>();
	for (const principal of online) if (principal.kind !== 'wall') people.set(principal.id, principal);
	const everyone = [...people.values()];
	const lists = new Map<string, OnlinePerson[]>();
	const entry = ({ id, name, kind }: Principal): OnlinePerson => ({ id, name, kind });
	for (const principal of everyone) {
		const room = presenceRoom(principal);
		if (!room || lists.has(room)) continue;
		const visible = room === presenceRooms.everyone ? everyone : everyone.filter((other) => isLead(other) || other.departmentId === principal.departmentId);
		lists.set(room, visible.map(entry));
	}
	return lists;
}

/** The list one principal may see (for `presence:list`). */
export function visiblePresence(viewer: Principal, online: readonly Principal[]): OnlinePerson[] {
	const room = presenceRoom(viewer);
	if (!room) return [];
	return presenceLists([viewer, ...online]).get(room) ?? [];
}

/** Whether `viewer` may see that `other` is online (the rule above, for one pair). */
export function seesPerson(viewer: Principal, other: Principal): boolean {
	if (viewer.kind === 'wall' || other.kind === 'wall') return false;
	if (isLead(viewer) || viewer.id === other.id) return true;
	return isLead(other) || (viewer.departmentId !== undefined && other.departmentId === viewer.departmentId);
}
