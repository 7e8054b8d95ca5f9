/**
 * What the access layer, identity and notifications read of the workspace: boards (who joined
 * them), missions and departments. A narrow interface given by the workspace: the catalogue
 * (`server/workspace/catalogue.ts`) is the one reader of these records, and a department joining a
 * board through a join link is one of its writes (announced like every other board change).
 */
import type { Board, Department, Mission } from '#lib/protocol/workspace.ts';

export interface WorkspaceReader {
	getBoard(id: string): Promise<Board | undefined>;
	listBoards(): Promise<Board[]>;
	getMission(id: string): Promise<Mission | undefined>;
	getDepartment(id: string): Promise<Department | undefined>;
	listDepartments(): Promise<Department[]>;
	/** Adds a department to a board; false when it had already joined (or the board is gone). */
	joinBoard(boardId: string, departmentId: string, by: string): Promise<boolean>;
}
