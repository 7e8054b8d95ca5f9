/**
 * Tracking a mission (docs/missions.md): its leadership, headline targets with a planned trajectory
 * and actual values, dated milestones, and delivery-confidence judgements. Stored by the server in
 * the workspace record store (one record per mission profile, target and milestone); every change
 * appends a server-stamped history entry. One zod schema per shape; types come from z.infer.
 */
import { z } from 'zod';
import { isoDate } from './record-fields.ts';
import { ratingLevel } from './ratings.ts';
import { entityId } from './workspace.ts';

/** Collections in the record store (beside `collections` in workspace.ts). */
export const missionCollections = {
	profiles: 'mission-profiles',
	targets: 'mission-targets',
	milestones: 'mission-milestones'
} as const;

export const missionLimits = {
	trajectoryPoints: 400,
	actuals: 2_000,
	actualsPerRequest: 2_000,
	csvBytes: 262_144,
	advisers: 30,
	targetsPerMission: 20,
	milestonesPerMission: 200,
	milestonesPerRecord: 20,
	/** Red dependencies and escalated blockers listed per mission on the Missions Board view. */
	portfolioItems: 10,
	/** Points of [baseline, …actuals] the current trend is fitted to. */
	trendWindow: 4
} as const;

const text = (max: number) => z.string().trim().max(max);
const name = z
	.string()
	.trim()
	.min(1, 'give a name')
	.max(120, 'a name is at most 120 characters')
	.regex(/^[^\p{Cc}\p{Cf}]+$/u, 'a name cannot contain control characters');

/** A finite number: "12", NaN or Infinity are refused with a clear message. */
export const metricValue = z.number({ error: 'a value is a number' }).refine(Number.isFinite, 'a value is a finite number');

/** A leader: a named person, tied to a signed-in person when there is one (`personId`). */
export const leader = z.strictObject({ name, personId: entityId.optional() });
export type Leader = z.infer<typeof leader>;

/** Who did something, stamped by the server from the authenticated principal. */
const stamp = { by: z.string(), byName: z.string(), at: z.number().int() };

/** A delivery-confidence judgement on the workspace's scale, with its narrative. */
export const judgement = z.object({ level: ratingLevel, narrative: z.string().max(4000), ...stamp });
export type Judgement = z.infer<typeof judgement>;

export const judgementInput = z.strictObject({ level: ratingLevel, narrative: text(4000).default('') });
export type JudgementInput = z.input<typeof judgementInput>;

/** One line of a record's history: what changed, in words, and the fields before and after. */
export const historyEntry = z.object({
	...stamp,
	summary: z.string(),
	changes: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })).default([])
});
export type HistoryEntry = z.infer<typeof historyEntry>;

const audit = { createdAt: z.number().int(), createdBy: z.string(), updatedAt: z.number().int(), updatedBy: z.string() };

// ── Leadership and the mission's confidence ──────────────────────────────────

export const missionProfile = z.object({
	missionId: entityId,
	ceo: leader.nullable().default(null),
	sro: leader.nullable().default(null),
	minister: leader.nullable().default(null),
	advisers: z.array(leader).max(missionLimits.advisers).default([]),
	confidence: judgement.nullable().default(null),
	confidenceHistory: z.array(judgement).default([]),
	history: z.array(historyEntry).default([]),
	...audit
});
export type MissionProfile = z.infer<typeof missionProfile>;

export const leadershipInput = z
	.strictObject({
		ceo: leader.nullable(),
		sro: leader.nullable(),
		minister: leader.nullable(),
		advisers: z.array(leader).max(missionLimits.advisers)
	})
	.partial()
	.refine((patch) => Object.keys(patch).length > 0, { message: 'a patch must set at least one field' });
export type LeadershipInput = z.input<typeof leadershipInput>;

// ── Targets, trajectories and actuals ────────────────────────────────────────

export const metricDirections = ['higher', 'lower'] as const;

export const metric = z.strictObject({
	name: text(200).min(1, 'name the metric'),
	unit: text(40).default(''),
	/** Which way is better: `higher` (e.g. homes built) or `lower` (e.g. waiting times). */
	better: z.enum(metricDirections, { error: 'better is "higher" or "lower"' })
});

export const datedValue = z.strictObject({ date: isoDate, value: metricValue });
export type DatedValue = z.infer<typeof datedValue>;

/** An actual as stored: who recorded it (server-stamped) and when. */
export const actual = z.object({ date: isoDate, value: z.number(), ...stamp });
export type Actual = z.infer<typeof actual>;

export const targetRecord = z.object({
	id: entityId,
	missionId: entityId,
	metric: z.object({ name: z.string(), unit: z.string(), better: z.enum(metricDirections) }),
	baseline: z.object({ date: isoDate, value: z.number() }),
	target: z.object({ date: isoDate, value: z.number() }),
	/** Where the data comes from, in words ("ONS quarterly housing supply"). */
	source: z.string().default(''),
	/** The department whose people (and their API tokens) may record actuals. */
	sourceDepartmentId: entityId.nullable().default(null),
	trajectory: z.array(z.object({ date: isoDate, value: z.number() })).default([]),
	actuals: z.array(actual).default([]),
	history: z.array(historyEntry).default([]),
	...audit
});
export type TargetRecord = z.infer<typeof targetRecord>;

const targetFields = {
	metric,
	baseline: datedValue,
	target: datedValue,
	source: text(500),
	sourceDepartmentId: entityId.nullable(),
	trajectory: z.array(datedValue).max(missionLimits.trajectoryPoints)
};

export const createTargetInput = z.strictObject({
	...targetFields,
	source: targetFields.source.default(''),
	sourceDepartmentId: targetFields.sourceDepartmentId.default(null),
	trajectory: targetFields.trajectory.default([])
});
export type CreateTargetInput = z.input<typeof createTargetInput>;

export const patchTargetInput = z
	.strictObject(targetFields)
	.partial()
	.refine((patch) => Object.keys(patch).length > 0, { message: 'a patch must set at least one field' });
export type PatchTargetInput = z.input<typeof patchTargetInput>;

/** `POST …/actuals` as JSON: one `{ date, value }` or a list of them (read as a list, so issues name the entry: `1.value`). */
export const actualsInput = z.preprocess(
	(value) => (Array.isArray(value) ? value : [value]),
	z.array(datedValue).min(1, 'send at least one actual').max(missionLimits.actualsPerRequest)
);

export const targetStatuses = ['on_track', 'behind', 'no_data'] as const;
export type TargetStatus = (typeof targetStatuses)[number];

/** The arithmetic of a target (src/lib/missions/trajectory.ts). */
export const targetProgress = z.object({
	status: z.enum(targetStatuses),
	/** The date the current trend reaches the target value; null without a trend towards it. */
	projectedDate: isoDate.nullable(),
	latest: z.object({ date: isoDate, value: z.number() }).nullable(),
	/** The planned value on the latest actual's date. */
	planned: z.number().nullable(),
	/** How far the latest actual is behind the plan, in the metric's unit (0 when on track). */
	behindBy: z.number().nullable(),
	/** Whether the trend reaches the target by the target date. */
	reachesTargetInTime: z.boolean().nullable()
});
export type TargetProgress = z.infer<typeof targetProgress>;

export const targetView = targetRecord.extend(targetProgress.shape);
export type TargetView = z.infer<typeof targetView>;

// ── Milestones ───────────────────────────────────────────────────────────────

export const milestoneStatuses = ['not_started', 'in_progress', 'done', 'missed'] as const;
export const milestoneStatus = z.enum(milestoneStatuses, { error: 'a status is not_started, in_progress, done or missed' });

export const milestoneRecord = z.object({
	id: entityId,
	missionId: entityId,
	title: z.string(),
	owner: leader.nullable().default(null),
	date: isoDate,
	status: milestoneStatus.default('not_started'),
	targetIds: z.array(entityId).default([]),
	confidence: judgement.nullable().default(null),
	confidenceHistory: z.array(judgement).default([]),
	history: z.array(historyEntry).default([]),
	...audit
});
export type MilestoneRecord = z.infer<typeof milestoneRecord>;

const milestoneFields = {
	title: text(200).min(1, 'give the milestone a title'),
	owner: leader.nullable(),
	date: isoDate,
	status: milestoneStatus,
	targetIds: z.array(entityId).max(missionLimits.targetsPerMission)
};

export const createMilestoneInput = z.strictObject({
	...milestoneFields,
	owner: milestoneFields.owner.default(null),
	status: milestoneFields.status.default('not_started'),
	targetIds: milestoneFields.targetIds.default([])
});
export type CreateMilestoneInput = z.input<typeof createMilestoneInput>;

export const patchMilestoneInput = z
	.strictObject(milestoneFields)
	.partial()
	.refine((patch) => Object.keys(patch).length > 0, { message: 'a patch must set at least one field' });
export type PatchMilestoneInput = z.input<typeof patchMilestoneInput>;

/** `POST/DELETE …/milestones/:milestoneId/links`: a dependency or blocker on one of the mission's boards, by ref. */
export const milestoneLinkInput = z.strictObject({
	boardId: entityId,
	ref: z.string().trim().regex(/^(DEP|BLK)-\d{1,6}$/i, 'a dependency or blocker ref, such as DEP-4 or BLK-2')
});
export type MilestoneLinkInput = z.input<typeof milestoneLinkInput>;

export const riskReasonKinds = ['dependency_forecast', 'blocker_overdue', 'blocker_target', 'date_passed'] as const;

/** Why a milestone is at risk: a sentence, and the board record behind it when there is one. */
export const riskReason = z.object({
	kind: z.enum(riskReasonKinds),
	message: z.string(),
	ref: z.string().optional(),
	boardId: z.string().optional(),
	path: z.string().optional()
});
export type RiskReason = z.infer<typeof riskReason>;

/** A board record linked to a milestone, as the mission page lists it. */
export const linkedRecord = z.object({ ref: z.string(), title: z.string(), boardId: z.string(), register: z.enum(['dependencies', 'blockers']), path: z.string() });
export type LinkedRecord = z.infer<typeof linkedRecord>;

export const milestoneView = milestoneRecord.extend({
	atRisk: z.boolean(),
	reasons: z.array(riskReason),
	linked: z.array(linkedRecord)
});
export type MilestoneView = z.infer<typeof milestoneView>;

// ── The mission's home and the Missions Board view ───────────────────────────

export const escalatedItem = z.object({ ref: z.string(), title: z.string(), boardId: z.string(), boardTitle: z.string(), path: z.string(), detail: z.string() });
export type EscalatedItem = z.infer<typeof escalatedItem>;

/** A dependency or blocker put to the Missions Board for a decision: who put it, when, and the question. */
export const forDecisionItem = escalatedItem.extend({
	register: z.enum(['dependencies', 'blockers']),
	recordId: z.string(),
	note: z.string(),
	by: z.object({ name: z.string(), id: z.string().optional() }),
	at: z.number().int()
});
export type ForDecisionItem = z.infer<typeof forDecisionItem>;

/** Everything the mission page shows beside its boards. */
export const missionTracking = z.object({
	missionId: entityId,
	profile: missionProfile.omit({ history: true }),
	targets: z.array(targetView),
	milestones: z.array(milestoneView),
	/** Red dependencies and blockers escalated to ministers or the Missions Board, across the mission's boards. */
	redDependencies: z.array(escalatedItem),
	escalatedBlockers: z.array(escalatedItem),
	/** Items put to the Missions Board for a decision, oldest mark first. */
	forDecision: z.array(forDecisionItem),
	scale: z.enum(['three', 'five'])
});
export type MissionTracking = z.infer<typeof missionTracking>;

/** One mission's row on the Missions Board view (`GET /api/portfolio`). */
export const portfolioMission = z.object({
	id: entityId,
	title: z.string(),
	path: z.string(),
	sample: z.boolean(),
	ceo: leader.nullable(),
	confidence: judgement.nullable(),
	targets: z.array(z.object({ id: entityId, name: z.string(), unit: z.string(), status: z.enum(targetStatuses), projectedDate: isoDate.nullable(), behindBy: z.number().nullable(), targetDate: isoDate, targetValue: z.number(), latest: z.object({ date: isoDate, value: z.number() }).nullable() })),
	milestones: z.object({ total: z.number().int(), atRisk: z.number().int(), done: z.number().int() }),
	milestonesAtRisk: z.array(z.object({ id: entityId, title: z.string(), date: isoDate, reasons: z.array(riskReason) })),
	/** The first `missionLimits.portfolioItems` of each; `counts` has how many there are. */
	redDependencies: z.array(escalatedItem),
	escalatedBlockers: z.array(escalatedItem),
	/** Every item put to the Missions Board for a decision (not capped: the Board decides them all). */
	forDecision: z.array(forDecisionItem),
	counts: z.object({ redDependencies: z.number().int(), escalatedBlockers: z.number().int(), forDecision: z.number().int() }),
	boards: z.number().int()
});
export type PortfolioMission = z.infer<typeof portfolioMission>;

export const portfolio = z.object({ missions: z.array(portfolioMission), scale: z.enum(['three', 'five']), asAt: z.number().int() });
export type Portfolio = z.infer<typeof portfolio>;

export function targetPath(missionId: string, targetId: string): string {
	return `/missions/${missionId}#target-${targetId}`;
}

/** `GET /api/portfolio?missions=a,b`: only these missions (the chair's pick); all visible ones without it. */
export const portfolioQuery = z.object({
	missions: z
		.string()
		.max(2_000)
		.transform((value) => value.split(',').filter((id) => id !== ''))
		.pipe(z.array(entityId).max(50))
		.optional()
});
