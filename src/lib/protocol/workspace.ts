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
