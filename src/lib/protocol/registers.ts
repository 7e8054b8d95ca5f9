/**
 * The registers of a board (the four a Missions Unit keeps, and the risks and assumptions of a RAID log), their reference prefixes and the closed vocabularies
 * (statuses, severities, the escalation ladder). `as const` arrays, never enums.
 */
import { z } from 'zod';

export const registerNames = ['dependencies', 'blockers', 'actions', 'decisions', 'risks', 'assumptions'] as const;
export const registerName = z.enum(registerNames);
export type RegisterName = z.infer<typeof registerName>;

/** Short-reference prefixes: `DEP-12`, `BLK-3`, `ACT-40`, `DEC-7`, `RSK-2`, `ASM-5`. */
export const refPrefixes = {
	dependencies: 'DEP',
	blockers: 'BLK',
	actions: 'ACT',
	decisions: 'DEC',
	risks: 'RSK',
	assumptions: 'ASM'
} as const satisfies Record<RegisterName, string>;

/** Singular nouns, for messages and UI labels. */
export const registerNouns = {
	dependencies: 'dependency',
	blockers: 'blocker',
	actions: 'action',
	decisions: 'decision',
	risks: 'risk',
	assumptions: 'assumption'
} as const satisfies Record<RegisterName, string>;

/** Agreement status of a dependency: proposed → agreed → at risk → late → delivered. */
export const dependencyStatuses = [
	'proposed',
	'agreed',
	'at_risk',
	'late',
	'delivered',
	'cancelled',
	'disputed'
] as const;
export const dependencyStatus = z.enum(dependencyStatuses);
export type DependencyStatus = z.infer<typeof dependencyStatus>;
/** Dependencies in these states need no more attention. */
export const closedDependencyStatuses = ['delivered', 'cancelled'] as const satisfies readonly DependencyStatus[];

export const blockerStatuses = ['open', 'in_progress', 'escalated', 'resolved'] as const;
export const blockerStatus = z.enum(blockerStatuses);
export type BlockerStatus = z.infer<typeof blockerStatus>;

export const severities = ['low', 'medium', 'high', 'critical'] as const;
export const severity = z.enum(severities);
export type Severity = z.infer<typeof severity>;

export const actionStatuses = ['open', 'done', 'dropped'] as const;
export const actionStatus = z.enum(actionStatuses);
export type ActionStatus = z.infer<typeof actionStatus>;

/** A decision is `current` until a correction supersedes it. */
export const decisionStatuses = ['current', 'superseded'] as const;
export const decisionStatus = z.enum(decisionStatuses);
export type DecisionStatus = z.infer<typeof decisionStatus>;

/** A risk: open → being mitigated → accepted (tolerated) or closed. */
export const riskStatuses = ['open', 'mitigating', 'accepted', 'closed'] as const;
export const riskStatus = z.enum(riskStatuses);
export type RiskStatus = z.infer<typeof riskStatus>;
/** Risks in these states need no more attention. */
export const closedRiskStatuses = ['accepted', 'closed'] as const satisfies readonly RiskStatus[];

/** Likelihood and impact of a risk, on the five-point scale of a risk matrix. */
export const riskLevels = ['very_low', 'low', 'medium', 'high', 'very_high'] as const;
export const riskLevel = z.enum(riskLevels);
export type RiskLevel = z.infer<typeof riskLevel>;

/** An assumption is held until it is checked: then it proved valid, or it did not. */
export const assumptionStatuses = ['unvalidated', 'validated', 'invalid'] as const;
export const assumptionStatus = z.enum(assumptionStatuses);
export type AssumptionStatus = z.infer<typeof assumptionStatus>;

/** The escalation ladder, lowest rung first. */
export const escalationLevels = [
	'owner_to_owner',
	'department_programme_board',
	'missions_unit_lead',
	'ministers',
	'missions_board'
] as const;
export const escalationLevel = z.enum(escalationLevels);
export type EscalationLevel = z.infer<typeof escalationLevel>;

export const escalationLevelLabels = {
	owner_to_owner: 'Owner to owner',
	department_programme_board: 'Department programme board',
	missions_unit_lead: 'Missions Unit lead',
	ministers: 'Ministers',
	missions_board: 'Missions Board'
} as const satisfies Record<EscalationLevel, string>;

/** Formats a short reference: `formatRef('dependencies', 12)` → `DEP-12`. */
export function formatRef(register: RegisterName, n: number): string {
	return `${refPrefixes[register]}-${n}`;
}

/** Parses `DEP-12` (any case, optional spaces) into its register and number. */
export function parseRef(ref: string): { register: RegisterName; n: number } | undefined {
	const match = /^\s*([A-Za-z]{3})\s*-?\s*(\d{1,9})\s*$/.exec(ref);
	if (!match) return undefined;
	const prefix = match[1]!.toUpperCase();
	const register = registerNames.find((r) => refPrefixes[r] === prefix);
	const n = Number(match[2]);
	return register && n > 0 ? { register, n } : undefined;
}
