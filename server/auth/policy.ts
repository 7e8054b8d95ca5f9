/**
 * Who may do what: one place, pure functions, used by pages, the JSON API, the `/yjs` upgrade and
 * socket.io. The server decides on every request and message.
 */
import type { Board } from '#lib/protocol/workspace.ts';
import { canWrite, type Principal } from './principal.ts';

export const accessLevels = ['none', 'read', 'write'] as const;
export type AccessLevel = (typeof accessLevels)[number];

export function isLead(principal: Principal | undefined): boolean {
	return principal?.role === 'lead' && principal.kind !== 'wall';
}

/**
 * Leads see every board. A person sees the boards their department joined; an adviser also every
 * board of the missions whose advisory board names them (`advises`). A wall display sees the
 * missions or boards it is scoped to, read-only. Archived boards are read-only for everyone.
 */
export function boardAccess(principal: Principal | undefined, board: Pick<Board, 'id' | 'missionId' | 'departmentIds' | 'archived'>): AccessLevel {
	if (!principal) return 'none';
	let visible: boolean;
	if (principal.kind === 'wall') {
		visible = Boolean(principal.scope?.boardIds?.includes(board.id) || principal.scope?.missionIds?.includes(board.missionId));
	} else if (isLead(principal)) {
		visible = true;
	} else {
		const joined = principal.departmentId !== undefined && board.departmentIds.includes(principal.departmentId);
		visible = joined || (principal.role === 'adviser' && Boolean(principal.advises?.includes(board.missionId)));
	}
	if (!visible) return 'none';
	return canWrite(principal) && !board.archived ? 'write' : 'read';
}

/**
 * Who may add to a record's comment thread: whoever may write the board, and an adviser (a
 * person or their API token) on a board they can read that is not archived. Commenting is the
 * one write an adviser has, and only through the API's comment route: their `/yjs` and
 * socket.io connections stay read-only.
 */
export function canComment(principal: Principal | undefined, board: Pick<Board, 'id' | 'missionId' | 'departmentIds' | 'archived'>): boolean {
	const access = boardAccess(principal, board);
	if (access === 'write') return true;
	return access === 'read' && !board.archived && principal?.role === 'adviser' && principal.kind !== 'wall';
}
