/**
 * "My work" for one principal across every board they can read (`GET /api/me/work`, `/me/work`,
 * the home page's counts): each board document is read through the hub (held in memory as for any
 * reader) and passed to the pure `workOnBoard` (`src/lib/board/my-work.ts`).
 */
import { listRecords } from '#lib/board/board-doc.ts';
import { isoDateAt } from '#lib/board/dates.ts';
import { workCountsOf, workOnBoard, type WorkPerson } from '#lib/board/my-work.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import type { DirectoryEntry } from '#lib/protocol/identity.ts';
import type { MyWork } from '#lib/protocol/my-work.ts';
import { registerNames, type BoardRecord } from '#lib/protocol/records.ts';
import { boardAccess } from '../auth/policy.ts';
import type { Principal } from '../auth/principal.ts';
import type { WorkspaceReader } from '../access/workspace-reader.ts';
import type { DocHub } from '../hub/doc-hub.ts';

export async function myWorkOf(parts: { hub: DocHub; workspace: WorkspaceReader; directory: readonly DirectoryEntry[] }, principal: Principal, now = Date.now()): Promise<MyWork> {
	const department = principal.departmentId ? await parts.workspace.getDepartment(principal.departmentId) : undefined;
	const person: WorkPerson = { id: principal.id, name: principal.name, department: department && { id: department.id, name: department.name, code: department.code } };
	const today = isoDateAt(now);
	const boards = (await parts.workspace.listBoards()).filter((board) => !board.archived && boardAccess(principal, board) !== 'none');
	const items = [];
	for (const board of boards.sort((a, b) => a.title.localeCompare(b.title))) {
		const records = await parts.hub.withDoc(boardDocName(board.id), (shared) =>
			registerNames.flatMap((register) => listRecords(shared.doc, register).flatMap((result): BoardRecord[] => (result.ok ? [result.record] : [])))
		);
		items.push(...workOnBoard(board, records, person, today, parts.directory));
	}
	return { counts: workCountsOf(items), items, asOf: now };
}
