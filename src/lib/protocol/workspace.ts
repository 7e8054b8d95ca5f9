/**
 * The workspace records kept by the server (not in board documents): missions, boards,
 * departments, people, and the workspace settings. One zod schema each; types from z.infer.
 */
import { z } from 'zod';
import { displayText } from './record-fields.ts';

export const entityId = z.string().regex(/^[A-Za-z0-9_-]{6,40}$/, 'an id is 6–40 letters, digits, "_" or "-"');

const audit = {
	createdAt: z.number().int(),
	createdBy: z.string(),
	updatedAt: z.number().int(),
	updatedBy: z.string()
};

export const department = z.object({
	id: entityId,
	name: displayText(120, 'a name'),
	/** Short code shown on badges, e.g. "DfE". */
	code: displayText(12, 'a code'),
	/** A hex colour for badges and the dependency map (never the only cue). */
	colour: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour is #rrggbb'),
	archived: z.boolean().default(false),
	...audit
});
export type Department = z.infer<typeof department>;

export const mission = z.object({
	id: entityId,
	title: displayText(200, 'a title'),
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
	title: displayText(200, 'a title'),
	description: z.string().max(4000).default(''),
	archived: z.boolean().default(false),
	sample: z.boolean().default(false),
	/** Departments that joined this board: every member of each sees it. */
	departmentIds: z.array(entityId).default([]),
	...audit
});
export type Board = z.infer<typeof board>;

export const confidenceScales = ['three', 'five'] as const;

function isTimeZone(value: string): boolean {
	try {
		new Intl.DateTimeFormat('en-GB', { timeZone: value });
		return true;
	} catch {
		return false;
	}
}

export const timeZoneName = z.string().max(64).refine(isTimeZone, 'must be a time zone name such as Europe/London');
function isLocale(value: string): boolean {
	try {
		return Intl.DateTimeFormat.supportedLocalesOf([value]).length === 1;
	} catch {
		return false;
	}
}

/** A BCP 47 language tag the runtime can format dates in, such as en-GB or fr-FR. */
export const dateLocale = z
	.string()
	.max(35)
	.refine(isLocale, 'must be a language tag such as en-GB or fr-FR')
	.describe('the language tag (BCP 47) every page writes dates in, e.g. en-GB: 12 November 2026');
export const defaultDateLocale = 'en-GB';
export const digestHour = z.number().int('must be a whole hour from 0 to 23').min(0, 'must be a whole hour from 0 to 23').max(23, 'must be a whole hour from 0 to 23');

export const workspaceSettings = z.object({
	name: displayText(120, 'a name').default('Missions Unit'),
	confidenceScale: z.enum(confidenceScales).default('three'),
	/** An item not updated for this many days looks stale. */
	staleAfterDays: z.number().int().min(1).max(365).default(14),
	/** The workspace's time zone (IANA name): "today", and the hour the daily digest goes out in. */
	timeZone: timeZoneName.default('Europe/London'),
	/** The daily digest email is sent from this hour (0–23) of the day, in `timeZone`. */
	digestHour: digestHour.default(7),
	/** Dates on every page are written in this locale's order and words (BCP 47 tag). */
	dateLocale: dateLocale.default(defaultDateLocale)
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
	title: displayText(200, 'a title'),
	description: z.string().max(4000),
	archived: z.boolean(),
	name: displayText(120, 'a name'),
	code: displayText(12, 'a code'),
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
		staleAfterDays: z.number().int().min(1).max(365),
		timeZone: timeZoneName,
		digestHour,
		dateLocale
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
	dependencies: z.object({ total: z.number().int(), open: z.number().int(), red: z.number().int(), late: z.number().int(), forecastLate: z.number().int(), review: z.number().int() }),
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

// ── Identity and access: people, invites, wall displays, API tokens, sessions ──
// Stored records carry only hashes of secrets; the `…View` schemas are what the API and the
// pages give out (never a hash). A secret is returned once, when it is made.

export const personRoles = ['lead', 'editor', 'viewer', 'adviser'] as const;
export const personRole = z.enum(personRoles, { error: 'a role is lead, editor, viewer or adviser' });
export type PersonRole = z.infer<typeof personRole>;

export const roleDescriptions: Readonly<Record<PersonRole, string>> = {
	lead: 'Missions Unit: manages missions, boards, departments, people, invites and wall displays',
	editor: 'edits the boards their department has joined',
	viewer: 'reads the boards their department has joined',
	adviser: 'a mission’s advisory board: once a lead lists them among the mission’s advisers, reads every board of the mission and its targets, milestones and confidence, and comments; never edits'
};

/** A name people see (a person, a wall display, an API token): the one text rule (`displayText`). */
export const personName = displayText(120, 'a name');

/** An email address, trimmed and lower-cased (people are matched by it). */
export const emailAddress = z
	.string()
	.trim()
	.toLowerCase()
	.max(254, 'an email address is at most 254 characters')
	.pipe(z.email({ error: 'give an email address such as name@example.gov.uk' }));

const secretHash = z.string().regex(/^[0-9a-f]{64}$/);
const revocation = { revokedAt: z.number().int().optional(), revokedBy: z.string().optional() };

export const personRecord = z.object({
	id: entityId,
	name: personName,
	departmentId: entityId,
	role: personRole,
	/** The invite this person joined with. */
	inviteId: entityId.optional(),
	/** A verified address: sign-in links go to it, and single sign-on finds the person by it. */
	email: emailAddress.optional(),
	...audit
});
export type PersonRecord = z.infer<typeof personRecord>;

/** A person as the API gives it: `principalId` is what document history and presence name. */
export const personView = personRecord.extend({ principalId: z.string(), sessions: z.number().int() });
export type PersonView = z.infer<typeof personView>;

export const patchPersonInput = z
	.strictObject({ name: personName, departmentId: entityId, role: personRole, email: emailAddress })
	.partial()
	.refine(nonEmptyPatch, nonEmptyPatchMessage);
export type PatchPersonInput = z.input<typeof patchPersonInput>;

export const inviteLimits = {
	defaultExpiryHours: 7 * 24,
	maxExpiryHours: 90 * 24,
	defaultMaxUses: 25,
	maxUses: 1_000
} as const;

export const inviteStatuses = ['active', 'expired', 'used_up', 'revoked'] as const;
export type InviteStatus = (typeof inviteStatuses)[number];

/** An invite link for a department with a role; with `boardId` it is a board join link. */
export const inviteRecord = z.object({
	id: entityId,
	departmentId: entityId,
	role: personRole,
	/** A board join link: redeeming it also joins the department to this board. */
	boardId: entityId.optional(),
	secretHash,
	expiresAt: z.number().int(),
	maxUses: z.number().int().min(1).max(inviteLimits.maxUses),
	uses: z.number().int().min(0),
	/** The name of who made it, shown to whoever opens the link. */
	createdByName: z.string(),
	/** An invite for one person: sent to this address, which becomes theirs when they accept. */
	email: emailAddress.optional(),
	...revocation,
	...audit
});
export type InviteRecord = z.infer<typeof inviteRecord>;

export const inviteView = inviteRecord.omit({ secretHash: true }).extend({ status: z.enum(inviteStatuses) });
export type InviteView = z.infer<typeof inviteView>;

export const createInviteInput = z.strictObject({
	departmentId: entityId,
	role: personRole.default('editor'),
	boardId: entityId.optional(),
	/** Invite one person by email: the link is sent to them (one use), and the address becomes theirs. */
	email: emailAddress.optional(),
	expiresInHours: z.number().int().min(1).max(inviteLimits.maxExpiryHours).default(inviteLimits.defaultExpiryHours),
	maxUses: z.number().int().min(1).max(inviteLimits.maxUses).default(inviteLimits.defaultMaxUses)
});
export type CreateInviteInput = z.input<typeof createInviteInput>;

/** A credential we issue: `<kind>.<id>.<secret>`. */
export const issuedToken = z.string().min(16).max(256).regex(/^[A-Za-z0-9_\-.~]+$/, 'that is not a link or token we issued');

export const redeemInviteInput = z.strictObject({ token: issuedToken, name: personName });
export type RedeemInviteInput = z.input<typeof redeemInviteInput>;

/** What someone opening an invite link is shown: who invited them to what. */
export const invitePreview = z.object({
	status: z.enum(inviteStatuses),
	invitedBy: z.string(),
	department: z.object({ id: entityId, name: z.string(), code: z.string() }),
	role: personRole,
	board: z.object({ id: entityId, title: z.string() }).optional(),
	/** The address the invite was sent to, when it is for one person. */
	email: z.string().optional(),
	expiresAt: z.number().int()
});
export type InvitePreview = z.infer<typeof invitePreview>;

/** A wall display sees the boards of these missions and these boards, read-only. */
export const wallDisplayScope = z.object({
	missionIds: z.array(entityId).max(50).default([]),
	boardIds: z.array(entityId).max(200).default([])
});
export type WallDisplayScope = z.infer<typeof wallDisplayScope>;

export const wallDisplayRecord = z.object({
	id: entityId,
	name: personName,
	scope: wallDisplayScope,
	secretHash,
	lastSeenAt: z.number().int().optional(),
	...revocation,
	...audit
});
export type WallDisplayRecord = z.infer<typeof wallDisplayRecord>;

export const wallDisplayView = wallDisplayRecord.omit({ secretHash: true }).extend({ status: z.enum(['active', 'revoked']) });
export type WallDisplayView = z.infer<typeof wallDisplayView>;

export const createWallDisplayInput = z
	.strictObject({
		name: personName,
		missionIds: z.array(entityId).max(50).default([]),
		boardIds: z.array(entityId).max(200).default([])
	})
	.refine((input) => input.missionIds.length + input.boardIds.length > 0, { message: 'choose at least one mission or board to show' });
export type CreateWallDisplayInput = z.input<typeof createWallDisplayInput>;

/** A person's token for their own scripts: the same access as the person. */
export const apiTokenRecord = z.object({
	id: entityId,
	/** The person it acts as (`person:<id>`). */
	principalId: z.string().min(1),
	name: personName,
	secretHash,
	lastUsedAt: z.number().int().optional(),
	...revocation,
	...audit
});
export type ApiTokenRecord = z.infer<typeof apiTokenRecord>;

export const apiTokenView = apiTokenRecord.omit({ secretHash: true }).extend({ status: z.enum(['active', 'revoked']) });
export type ApiTokenView = z.infer<typeof apiTokenView>;

export const createApiTokenInput = z.strictObject({ name: personName });
export type CreateApiTokenInput = z.input<typeof createApiTokenInput>;

/** A secret made just now: shown once, never again. */
export const issuedSecret = z.object({ token: z.string(), link: z.string().optional() });
export type IssuedSecret = z.infer<typeof issuedSecret>;

/** A server-side session as listed to its owner or a lead (`id` is the hash of the cookie). */
export const sessionView = z.object({
	id: z.string(),
	principalId: z.string(),
	createdAt: z.number().int(),
	lastSeenAt: z.number().int(),
	userAgent: z.string().optional(),
	current: z.boolean()
});
export type SessionView = z.infer<typeof sessionView>;

/** "Who am I": the caller as the server sees them. */
export const meView = z.object({
	id: z.string(),
	kind: z.enum(['admin', 'person', 'wall', 'api-token']),
	name: z.string(),
	role: personRole,
	department: z.object({ id: entityId, name: z.string(), code: z.string() }).optional(),
	/** The boards the caller can open, with what they may do there. */
	boards: z.array(z.object({ id: entityId, title: z.string(), path: z.string(), access: z.enum(['read', 'write']) }))
});
export type MeView = z.infer<typeof meView>;

/** Query of list endpoints: `?archived=true` includes archived missions and boards. */
export const listQuery = z.object({ archived: z.enum(['true', 'false']).default('false') });

/** `POST /api/boards/:id/departments`: a department joins a board. */
export const boardDepartmentInput = z.strictObject({ departmentId: entityId });
