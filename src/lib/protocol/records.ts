/**
 * The board's records as zod schemas: one schema per stored record (what `readRecord`
 * validates) and the create/patch inputs (API bodies, and what the board model accepts).
 * Types come from z.infer; nothing here is declared twice.
 *
 * Fields that the model owns (refs, audit fields, histories, an action's due date, a
 * decision's text) are never in a patch: they change only through the model's
 * functions (`replanAction`, `setRating`, `correctDecision`, …).
 */
import { z } from 'zod';
import {
	comment,
	departmentId,
	fieldLimits,
	isoDate,
	longText,
	meetingRef,
	person,
	recordId,
	shortText,
	timestamp,
	title
} from './record-fields.ts';
import { ratingLevel } from './ratings.ts';
import {
	actionStatus,
	assumptionStatus,
	blockerStatus,
	decisionStatus,
	dependencyStatus,
	escalationLevel,
	registerName,
	riskLevel,
	riskStatus,
	severity,
	type RegisterName
} from './registers.ts';

export * from './registers.ts';

export const link = z.object({ id: recordId, register: registerName });
export type Link = z.infer<typeof link>;

const departments = z.array(departmentId).max(fieldLimits.departmentsPerRecord);
const linkIds = z.array(recordId).max(fieldLimits.linksPerInput);
/** Mission milestones (ids in the workspace's `mission-milestones`) a dependency or blocker affects. */
const milestoneIds = z.array(recordId).max(fieldLimits.milestonesPerRecord);
const nonEmpty = (patch: object) => Object.keys(patch).length > 0;
const nonEmptyMessage = { message: 'a patch must set at least one field' };

/** Fields every record has that people edit. */
const commonEditable = { title, description: longText, owner: person, departments };

/**
 * Defaults are written once per field: each register's `…Defaults` fill what a stored record may lack
 * (it was written before the field existed) and what a create may leave out.
 */
const commonDefaults = { description: longText.default(''), departments: departments.default([]) };
/** What every create accepts besides the register's editable fields. */
const createCommon = { ...commonDefaults, links: linkIds.default([]) };

/** Fields every stored record has that the model maintains. `ref`/`aliases` are derived on read. */
const storedMeta = {
	id: recordId,
	ref: z.string(),
	aliases: z.array(z.string()),
	archived: z.boolean().default(false),
	createdBy: person,
	createdAt: timestamp,
	updatedBy: person,
	updatedAt: timestamp,
	links: z.array(link).default([]),
	comments: z.array(comment).default([]),
	...commonDefaults,
	/** The stable key of the row a RAID import made this record from: importing the file again updates it. */
	importKey: z.string().max(fieldLimits.importKeyChars).optional()
};

// ── For decision by the Missions Board ───────────────────────────────────────

/**
 * A dependency or blocker put to the Missions Board for a decision. The server writes it (in the
 * board document's `stamps` root, which no client may write) from the caller it authenticated:
 * readers take it from there, never from a value a client put on the record.
 */
export const forDecisionMark = z.object({ by: person, at: timestamp, note: shortText.default('') });
export type ForDecisionMark = z.infer<typeof forDecisionMark>;

/** `PUT …/:ref/for-decision`: what the Missions Board is asked to decide, in a line (optional). */
export const forDecisionInput = z.strictObject({ note: shortText.trim().default('') });
export type ForDecisionInput = z.input<typeof forDecisionInput>;

/** The registers whose records can be put to the Missions Board for a decision. */
export const forDecisionRegisters = ['dependencies', 'blockers'] as const satisfies readonly RegisterName[];
export type ForDecisionRegister = (typeof forDecisionRegisters)[number];

// ── Dependency ───────────────────────────────────────────────────────────────

export const ratingEntry = z.object({ rating: ratingLevel, narrative: longText, by: person, at: timestamp });
export type RatingEntry = z.infer<typeof ratingEntry>;

const dependencyEditable = {
	...commonEditable,
	status: dependencyStatus,
	providerDepartment: departmentId,
	providerOwner: person,
	receiverDepartment: departmentId,
	receiverOwner: person,
	deliverable: longText,
	doneCriteria: longText,
	neededBy: isoDate.nullable(),
	committed: isoDate.nullable(),
	forecast: isoDate.nullable(),
	impact: longText,
	milestones: milestoneIds
};

const dependencyDefaults = {
	doneCriteria: longText.default(''),
	neededBy: isoDate.nullable().default(null),
	committed: isoDate.nullable().default(null),
	forecast: isoDate.nullable().default(null),
	impact: longText.default(''),
	milestones: milestoneIds.default([]),
	rating: ratingLevel.nullable().default(null),
	narrative: longText.default('')
};

export const dependencyRecord = z.object({
	...dependencyEditable,
	...storedMeta,
	register: z.literal('dependencies'),
	...dependencyDefaults,
	ratingHistory: z.array(ratingEntry).default([]),
	forDecision: forDecisionMark.optional()
});
export type DependencyRecord = z.infer<typeof dependencyRecord>;

/** Owner defaults to the provider's owner, departments to provider + receiver. */
export const createDependencyInput = z.strictObject({
	...dependencyEditable,
	...createCommon,
	...dependencyDefaults,
	owner: person.optional(),
	departments: departments.optional(),
	status: dependencyStatus.default('proposed')
});
export const patchDependencyInput = z.strictObject(dependencyEditable).partial().refine(nonEmpty, nonEmptyMessage);

export const ratingInput = z.strictObject({ rating: ratingLevel, narrative: longText.default('') });
export type RatingInput = z.input<typeof ratingInput>;

// ── Blocker ──────────────────────────────────────────────────────────────────

export const escalationEntry = z.object({
	level: escalationLevel,
	on: isoDate,
	forum: shortText.min(1),
	note: longText.default(''),
	by: person,
	at: timestamp
});
export type EscalationEntry = z.infer<typeof escalationEntry>;

export const escalationInput = escalationEntry.omit({ by: true, at: true }).strict();
export type EscalationInput = z.input<typeof escalationInput>;

const blockerEditable = {
	...commonEditable,
	status: blockerStatus,
	unblocker: shortText.trim().min(1),
	ask: longText,
	severity,
	raisedOn: isoDate,
	targetResolution: isoDate.nullable(),
	milestones: milestoneIds
};

const blockerDefaults = {
	ask: longText.default(''),
	targetResolution: isoDate.nullable().default(null),
	milestones: milestoneIds.default([])
};

export const blockerRecord = z.object({
	...blockerEditable,
	...storedMeta,
	register: z.literal('blockers'),
	...blockerDefaults,
	blocks: z.array(link).default([]),
	escalations: z.array(escalationEntry).default([]),
	forDecision: forDecisionMark.optional()
});
export type BlockerRecord = z.infer<typeof blockerRecord>;

export const createBlockerInput = z.strictObject({
	...blockerEditable,
	...createCommon,
	...blockerDefaults,
	status: blockerStatus.default('open'),
	severity: severity.default('medium'),
	blocks: linkIds.default([])
});
export const patchBlockerInput = z.strictObject(blockerEditable).partial().refine(nonEmpty, nonEmptyMessage);

// ── Action ───────────────────────────────────────────────────────────────────

export const replanEntry = z.object({
	from: isoDate,
	to: isoDate,
	reason: shortText.default(''),
	by: person,
	at: timestamp
});
export type ReplanEntry = z.infer<typeof replanEntry>;

export const replanInput = z.strictObject({ due: isoDate, reason: shortText.default('') });
export type ReplanInput = z.input<typeof replanInput>;

const actionEditable = {
	...commonEditable,
	/** Verb-led: "Send the revised cost model to HMT". */
	text: longText.trim().min(1),
	status: actionStatus,
	meeting: meetingRef.nullable()
};

const actionDefaults = { meeting: meetingRef.nullable().default(null) };

export const actionRecord = z.object({
	...actionEditable,
	...storedMeta,
	register: z.literal('actions'),
	...actionDefaults,
	due: isoDate,
	originalDue: isoDate,
	replans: z.array(replanEntry).default([])
});
export type ActionRecord = z.infer<typeof actionRecord>;

/** Title defaults to the first line of the text. The due date is re-planned with `replanAction`. */
export const createActionInput = z.strictObject({
	...actionEditable,
	...createCommon,
	...actionDefaults,
	title: title.optional(),
	status: actionStatus.default('open'),
	due: isoDate
});
export const patchActionInput = z.strictObject(actionEditable).partial().refine(nonEmpty, nonEmptyMessage);

// ── Decision ─────────────────────────────────────────────────────────────────

const decisionEditable = {
	...commonEditable,
	forum: shortText.trim().min(1),
	decisionMakers: z.array(person).max(fieldLimits.decisionMakers),
	rationale: longText
};

const decisionDefaults = { rationale: longText.default('') };

/** The decision text and date never change once recorded: `correctDecision` adds a new entry. */
const decisionFixed = { text: longText.trim().min(1), decidedOn: isoDate };

export const decisionRecord = z.object({
	...decisionEditable,
	...decisionFixed,
	...storedMeta,
	register: z.literal('decisions'),
	decisionMakers: z.array(person).default([]),
	...decisionDefaults,
	status: decisionStatus.default('current'),
	supersedes: recordId.nullable().default(null),
	createdActions: z.array(link).default([])
});
export type DecisionRecord = z.infer<typeof decisionRecord>;

/** Title defaults to the first line of the text; owner to the person recording it. */
export const createDecisionInput = z.strictObject({
	...decisionEditable,
	...decisionFixed,
	...createCommon,
	...decisionDefaults,
	title: title.optional(),
	owner: person.optional(),
	decisionMakers: decisionEditable.decisionMakers.default([]),
	createdActions: linkIds.default([])
});
export const patchDecisionInput = z.strictObject(decisionEditable).partial().refine(nonEmpty, nonEmptyMessage);

/** A correction: the new text, plus anything else that changes; the rest is copied. */
export const correctDecisionInput = z.strictObject({
	...decisionFixed,
	decidedOn: isoDate.optional(),
	title: title.optional(),
	forum: decisionEditable.forum.optional(),
	decisionMakers: decisionEditable.decisionMakers.optional(),
	rationale: longText.optional()
});
export type CorrectDecisionInput = z.input<typeof correctDecisionInput>;

// ── Risk (RAID) ──────────────────────────────────────────────────────────────

const riskEditable = {
	...commonEditable,
	status: riskStatus,
	/** Cause → event → effect: "because …, … may happen, which would …". */
	cause: longText,
	event: longText,
	effect: longText,
	likelihood: riskLevel,
	impact: riskLevel,
	/** When the risk would strike, or null. */
	proximity: isoDate.nullable(),
	mitigations: longText
};

const riskDefaults = {
	cause: longText.default(''),
	event: longText.default(''),
	effect: longText.default(''),
	proximity: isoDate.nullable().default(null),
	mitigations: longText.default('')
};

export const riskRecord = z.object({ ...riskEditable, ...storedMeta, register: z.literal('risks'), ...riskDefaults });
export type RiskRecord = z.infer<typeof riskRecord>;

export const createRiskInput = z.strictObject({
	...riskEditable,
	...createCommon,
	...riskDefaults,
	status: riskStatus.default('open'),
	likelihood: riskLevel.default('medium'),
	impact: riskLevel.default('medium')
});
export const patchRiskInput = z.strictObject(riskEditable).partial().refine(nonEmpty, nonEmptyMessage);

// ── Assumption (RAID) ────────────────────────────────────────────────────────

const assumptionEditable = {
	...commonEditable,
	status: assumptionStatus,
	/** What is assumed to be true. */
	statement: longText.trim().min(1),
	/** When it will be checked, or null. */
	validationDate: isoDate.nullable()
};

const assumptionDefaults = { validationDate: isoDate.nullable().default(null) };

export const assumptionRecord = z.object({
	...assumptionEditable,
	...storedMeta,
	register: z.literal('assumptions'),
	...assumptionDefaults
});
export type AssumptionRecord = z.infer<typeof assumptionRecord>;

/** Title defaults to the first line of the statement. */
export const createAssumptionInput = z.strictObject({
	...assumptionEditable,
	...createCommon,
	...assumptionDefaults,
	title: title.optional(),
	status: assumptionStatus.default('unvalidated')
});
export const patchAssumptionInput = z.strictObject(assumptionEditable).partial().refine(nonEmpty, nonEmptyMessage);

// ── Per-register map ─────────────────────────────────────────────────────────

export const registerSchemas = {
	dependencies: { record: dependencyRecord, create: createDependencyInput, patch: patchDependencyInput },
	blockers: { record: blockerRecord, create: createBlockerInput, patch: patchBlockerInput },
	actions: { record: actionRecord, create: createActionInput, patch: patchActionInput },
	decisions: { record: decisionRecord, create: createDecisionInput, patch: patchDecisionInput },
	risks: { record: riskRecord, create: createRiskInput, patch: patchRiskInput },
	assumptions: { record: assumptionRecord, create: createAssumptionInput, patch: patchAssumptionInput }
} as const satisfies Record<RegisterName, { record: z.ZodType; create: z.ZodType; patch: z.ZodType }>;

type Schemas = typeof registerSchemas;
export type RecordOf<R extends RegisterName> = z.infer<Schemas[R]['record']>;
/** What callers pass to `createRecord` (defaults not yet applied). */
export type CreateInput<R extends RegisterName> = z.input<Schemas[R]['create']>;
export type CreateData<R extends RegisterName> = z.output<Schemas[R]['create']>;
export type PatchInput<R extends RegisterName> = z.input<Schemas[R]['patch']>;
export type PatchData<R extends RegisterName> = z.output<Schemas[R]['patch']>;
export type BoardRecord = RecordOf<RegisterName>;

/** One problem with a stored record, flattened for display and logs. */
export const recordIssue = z.object({ path: z.string(), message: z.string() });
export type RecordIssue = z.infer<typeof recordIssue>;

/** What reading a record from the doc yields: never throws, bad records are reported. */
export type ReadResult<R extends RegisterName = RegisterName> =
	| { ok: true; id: string; record: RecordOf<R> }
	| { ok: false; id: string; register: R; issues: RecordIssue[] };
