/**
 * The workspace records kept by the server (not in board documents): missions, boards,
 * departments, people, and the workspace settings. One zod schema each; types from z.infer.
 */
import { z } from 'zod';

export const entityId = z.string().regex(/^[A-Za-z0-9_-]{6,40}$/, 'an id is 6–40 letters, digits, "_" or "-"');

const audit = {
	createdAt: z.number().int(),
	createdBy: z.string(),
	updatedAt: z.number().int(),
	updatedBy: z.string()
};

export const department = z.object({
	id: entityId,
	name: z.string().trim().min(1).max(120),
	/** Short code shown on badges, e.g. "DfE". */
	code: z.string().trim().min(1).max(12),
	/** A hex colour for badges and the dependency map (never the only cue). */
	colour: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour is #rrggbb'),
	archived: z.boolean().default(false),
	...audit
});
export type Department = z.infer<typeof department>;

export const mission = z.object({
	id: entityId,
	title: z.string().trim().min(1).max(200),
	description: z.string().max(4000).default(''),
	archived: z.boolean().default(false),
	/** Marks the sample mission so it can be removed in one step. */
	sample: z.boolean().default(false),
	...audit
});
export type Mission = z.infer<typeof mission>;

export const board = z.object({
	id: entityId,
	missionId: entityId,
	title: z.string().trim().min(1).max(200),
	description: z.string().max(4000).default(''),
	archived: z.boolean().default(false),
	sample: z.boolean().default(false),
	/** Departments that joined this board: every member of each sees it. */
	departmentIds: z.array(entityId).default([]),
	...audit
});
export type Board = z.infer<typeof board>;

export const confidenceScales = ['three', 'five'] as const;

export const workspaceSettings = z.object({
	name: z.string().trim().min(1).max(120).default('Missions Unit'),
	confidenceScale: z.enum(confidenceScales).default('three'),
	/** An item not updated for this many days looks stale. */
	staleAfterDays: z.number().int().min(1).max(365).default(14)
});
export type WorkspaceSettings = z.infer<typeof workspaceSettings>;

/** Collections in the record store. */
export const collections = {
	departments: 'departments',
	missions: 'missions',
	boards: 'boards',
	people: 'people',
	invites: 'invites',
	boardJoinLinks: 'board-join-links',
	wallDisplays: 'wall-displays',
	apiTokens: 'api-tokens',
	settings: 'settings',
	playlists: 'playlists',
	meetings: 'meetings'
} as const;

/** The page of a board, as API responses give it (`path`). */
export function boardPath(boardId: string): string {
	return `/boards/${boardId}`;
}

export function missionPath(missionId: string): string {
	return `/missions/${missionId}`;
}

// ── API inputs and views (the JSON API and the pages validate with these) ──────

const nonEmptyPatch = (patch: object) => Object.keys(patch).length > 0;
const nonEmptyPatchMessage = { message: 'a patch must set at least one field' };

/** Field schemas without defaults, so a patch never fills in what it did not mention. */
const editable = {
	title: z.string().trim().min(1).max(200),
	description: z.string().max(4000),
	archived: z.boolean(),
	name: z.string().trim().min(1).max(120),
	code: z.string().trim().min(1).max(12),
	colour: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour is #rrggbb'),
	departmentIds: z.array(entityId).max(200)
};

export const createMissionInput = z.strictObject({
	title: editable.title,
	description: editable.description.default('')
});
export type CreateMissionInput = z.input<typeof createMissionInput>;

export const patchMissionInput = z
	.strictObject({ title: editable.title, description: editable.description, archived: editable.archived })
	.partial()
	.refine(nonEmptyPatch, nonEmptyPatchMessage);
export type PatchMissionInput = z.input<typeof patchMissionInput>;

export const createBoardInput = z.strictObject({
	title: editable.title,
	description: editable.description.default(''),
	departmentIds: editable.departmentIds.default([])
});
export type CreateBoardInput = z.input<typeof createBoardInput>;

export const patchBoardInput = z
	.strictObject({
		title: editable.title,
		description: editable.description,
		archived: editable.archived,
		departmentIds: editable.departmentIds
	})
	.partial()
	.refine(nonEmptyPatch, nonEmptyPatchMessage);
export type PatchBoardInput = z.input<typeof patchBoardInput>;

/** `id` is optional: give one to match the department ids your board records already use. */
export const createDepartmentInput = z.strictObject({
	id: entityId.optional(),
	name: editable.name,
	code: editable.code,
	colour: editable.colour
});
export type CreateDepartmentInput = z.input<typeof createDepartmentInput>;

export const patchDepartmentInput = z
	.strictObject({ name: editable.name, code: editable.code, colour: editable.colour, archived: editable.archived })
	.partial()
	.refine(nonEmptyPatch, nonEmptyPatchMessage);
export type PatchDepartmentInput = z.input<typeof patchDepartmentInput>;

export const patchWorkspaceSettingsInput = z
	.strictObject({
		name: editable.name,
		confidenceScale: z.enum(confidenceScales),
		staleAfterDays: z.number().int().min(1).max(365)
	})
	.partial()
	.refine(nonEmptyPatch, nonEmptyPatchMessage);
export type PatchWorkspaceSettingsInput = z.input<typeof patchWorkspaceSettingsInput>;

/** A hard delete names its consequence: `?confirm=true`. */
export const deleteConfirmation = z.object({
	confirm: z.literal('true', { message: 'deleting is permanent: repeat the request with ?confirm=true' })
});

/** The counts shown per board (the board model's `boardSummary`). */
export const boardCounts = z.object({
	dependencies: z.object({ total: z.number().int(), open: z.number().int(), red: z.number().int(), late: z.number().int(), forecastLate: z.number().int() }),
	blockers: z.object({ total: z.number().int(), open: z.number().int(), escalated: z.number().int(), overdue: z.number().int() }),
	actions: z.object({ total: z.number().int(), open: z.number().int(), overdue: z.number().int() }),
	decisions: z.object({ total: z.number().int(), current: z.number().int() })
});
export type BoardCounts = z.infer<typeof boardCounts>;

/** A board as the API and the home page give it: with its page and, when asked, its counts. */
export const boardView = board.extend({ path: z.string(), counts: boardCounts.optional() });
export type BoardView = z.infer<typeof boardView>;

/** A mission with its page and the boards the caller can see. */
export const missionView = mission.extend({ path: z.string(), boards: z.array(boardView) });
export type MissionView = z.infer<typeof missionView>;

/** Whether the sample mission is loaded, and what it created. */
export const sampleState = z.object({
	missionId: entityId,
	boardIds: z.array(entityId),
	/** Departments the sample created (ones that already existed are not listed). */
	departmentIds: z.array(z.string()),
	loadedAt: z.number().int(),
	loadedBy: z.string()
});
export type SampleState = z.infer<typeof sampleState>;

/** The page of one record on its board (`/boards/<id>?ref=DEP-12`), as API responses give it. */
export function recordPath(boardId: string, ref: string): string {
	return `${boardPath(boardId)}?ref=${encodeURIComponent(ref)}`;
}

/** Query of list endpoints: `?archived=true` includes archived missions and boards. */
export const listQuery = z.object({ archived: z.enum(['true', 'false']).default('false') });

/** `POST /api/boards/:id/departments`: a department joins a board. */
export const boardDepartmentInput = z.strictObject({ departmentId: entityId });
