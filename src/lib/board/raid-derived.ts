/**
 * Derived views of the RAID registers (risks, assumptions), computed and never stored, like
 * derived.ts for the other four.
 */
import type { IsoDate } from '../protocol/record-fields.ts';
import type { AssumptionRecord, RiskRecord } from '../protocol/records.ts';
import { closedRiskStatuses, riskLevels } from '../protocol/registers.ts';

export function isRiskOpen(risk: RiskRecord): boolean {
	return !(closedRiskStatuses as readonly string[]).includes(risk.status);
}

/** Likelihood × impact on the 5 × 5 matrix: 1 (very low, very low) to 25 (very high, very high). */
export function riskScore(risk: RiskRecord): number {
	return (riskLevels.indexOf(risk.likelihood) + 1) * (riskLevels.indexOf(risk.impact) + 1);
}

/** Open and its proximity date has come: the risk may be happening now. */
export function isRiskDue(risk: RiskRecord, today: IsoDate): boolean {
	return isRiskOpen(risk) && risk.proximity !== null && risk.proximity <= today;
}

/** Still unvalidated after the date it was to be checked by. */
export function isAssumptionOverdue(assumption: AssumptionRecord, today: IsoDate): boolean {
	return assumption.status === 'unvalidated' && assumption.validationDate !== null && assumption.validationDate < today;
}
