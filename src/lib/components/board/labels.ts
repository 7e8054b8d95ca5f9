/**
 * Words for the board's closed vocabularies and its dates, so every screen says the same thing.
 */
import type { RegisterName } from '../../protocol/registers.ts';
import {
	actionStatuses,
	assumptionStatuses,
	blockerStatuses,
	decisionStatuses,
	dependencyStatuses,
	escalationLevelLabels,
	riskStatuses,
	severities,
	type RiskLevel
} from '../../protocol/registers.ts';
import { msPerDay } from '../../board/dates.ts';

export const statusLabels: Record<string, string> = {
	proposed: 'Proposed',
	agreed: 'Agreed',
	at_risk: 'At risk',
	late: 'Late',
	delivered: 'Delivered',
	cancelled: 'Cancelled',
	disputed: 'Disputed',
	open: 'Open',
	in_progress: 'In progress',
	escalated: 'Escalated',
	resolved: 'Resolved',
	done: 'Done',
	dropped: 'Dropped',
	current: 'Current',
	superseded: 'Superseded',
	mitigating: 'Mitigating',
	accepted: 'Accepted',
	closed: 'Closed',
	unvalidated: 'Not yet validated',
	validated: 'Validated',
	invalid: 'Proved invalid'
};

export const statusesOf = {
	dependencies: dependencyStatuses,
	blockers: blockerStatuses,
	actions: actionStatuses,
	decisions: decisionStatuses,
	risks: riskStatuses,
	assumptions: assumptionStatuses
} as const satisfies Record<RegisterName, readonly string[]>;

export const severityLabels: Record<(typeof severities)[number], string> = {
	low: 'Low',
	medium: 'Medium',
	high: 'High',
	critical: 'Critical'
};

export { escalationLevelLabels };

export const riskLevelLabels: Record<RiskLevel, string> = {
	very_low: 'Very low',
	low: 'Low',
	medium: 'Medium',
	high: 'High',
	very_high: 'Very high'
};

export const registerTitles = {
	dependencies: 'Dependencies',
	blockers: 'Blockers',
	actions: 'Actions',
	decisions: 'Decisions',
	risks: 'Risks',
	assumptions: 'Assumptions'
} as const satisfies Record<RegisterName, string>;

export function statusLabel(status: string): string {
	return statusLabels[status] ?? status;
}

/** "just now", "5 minutes ago", "3 days ago", "3 weeks ago", "4 months ago". */
export function timeAgo(epochMs: number, now: number): string {
	const seconds = Math.max(0, Math.round((now - epochMs) / 1000));
	if (seconds < 60) return 'just now';
	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) return plural(minutes, 'minute');
	const hours = Math.floor(minutes / 60);
	if (hours < 24) return plural(hours, 'hour');
	const days = Math.floor((now - epochMs) / msPerDay);
	if (days < 14) return plural(days, 'day');
	if (days < 60) return plural(Math.floor(days / 7), 'week');
	if (days < 730) return plural(Math.floor(days / 30), 'month');
	return plural(Math.floor(days / 365), 'year');
}

function plural(n: number, unit: string): string {
	return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
}

/** "3 days", "1 day", "0 days". */
export function days(n: number): string {
	return `${n} day${Math.abs(n) === 1 ? '' : 's'}`;
}
