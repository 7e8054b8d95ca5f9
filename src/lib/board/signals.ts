/**
 * One headline signal per dependency, the same on every screen (docs/signals.md).
 *
 * The confidence rating is the headline: it is a person's judgement and it is what the row, the
 * detail panel, the mission header, the map and the wall show in colour, word and shape. The dates
 * and the agreement status are evidence: each piece of evidence that something is wrong becomes a
 * flag that explains itself in words ("forecast 10 days after needed-by"). When the rating is
 * kinder than the evidence ("rated Green but forecast late"), the dependency is flagged for review
 * rather than silently recoloured: the judgement stays the person's, the contradiction is visible.
 *
 * Pure: "today" (yyyy-mm-dd) and the workspace's rating scale are arguments.
 */
import type { IsoDate } from '../protocol/record-fields.ts';
import { ratingLevelInfo, toScale, type RatingBand, type RatingLevel, type RatingLevelInfo, type RatingScaleId } from '../protocol/ratings.ts';
import type { DependencyRecord } from '../protocol/records.ts';
import { closedDependencyStatuses } from '../protocol/registers.ts';
import { daysBetween } from './dates.ts';

/** The fields the rule reads: the map and the wall can pass slimmer rows than whole records. */
export type SignalInput = Pick<DependencyRecord, 'status' | 'rating' | 'neededBy' | 'committed' | 'forecast'>;

const isOpen = (dependency: SignalInput) => !(closedDependencyStatuses as readonly string[]).includes(dependency.status);

/** What a piece of evidence says. `band` is how bad it is: red evidence outweighs any kinder rating. */
export const evidenceKinds = {
	past_needed_by: { band: 'red', short: 'past needed-by' },
	marked_late: { band: 'red', short: 'marked late' },
	forecast_late: { band: 'amber', short: 'forecast late' },
	forecast_passed: { band: 'amber', short: 'forecast date passed' },
	commit_late: { band: 'amber', short: 'committed late' },
	at_risk: { band: 'amber', short: 'marked at risk' },
	disputed: { band: 'amber', short: 'disputed' }
} as const satisfies Record<string, { band: Exclude<RatingBand, 'green'>; short: string }>;

export type EvidenceKind = keyof typeof evidenceKinds;

export type EvidenceFlag = {
	kind: EvidenceKind;
	band: 'amber' | 'red';
	/** A full phrase, e.g. "12 days past needed-by, not delivered". */
	words: string;
};

/** How the headline is drawn: a rating colour, "not rated", or closed (delivered or cancelled). */
export type SignalTone = RatingLevelInfo['colour'] | 'unrated' | 'closed';

export type DependencySignal = {
	/** The rating on the workspace's scale; null when not rated. */
	rating: RatingLevel | null;
	/** The headline word: the rating's label, "Not rated", "Delivered" or "Cancelled". */
	label: string;
	tone: SignalTone;
	/** The rating's shape (a closed or unrated dependency has none). */
	shape: RatingLevelInfo['shape'] | null;
	/** The band the headline counts as in summaries; null when unrated or closed. */
	band: RatingBand | null;
	/** Evidence that something is wrong, worst first. Empty for closed dependencies. */
	flags: EvidenceFlag[];
	/** The worst evidence band ('green' when nothing is wrong; null when closed). */
	evidence: RatingBand | null;
	/** Set when the rating is kinder than the evidence (or missing while evidence is bad). */
	review: string | null;
	/**
	 * Days the dependency will arrive after its needed-by date (negative = early). An open
	 * dependency cannot arrive before today, so a forecast in the past counts as today.
	 * Null without a needed-by date and a forecast (or once closed).
	 */
	slipDays: number | null;
	/** Orders dependencies worst first: higher is worse. */
	weight: number;
};

const bandRank: Record<RatingBand, number> = { green: 0, amber: 1, red: 2 };

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** Evidence from the dates and the agreement status of an open dependency, worst first. */
export function dependencyEvidence(dependency: SignalInput, today: IsoDate): EvidenceFlag[] {
	if (!isOpen(dependency)) return [];
	const { neededBy, forecast, committed, status } = dependency;
	const flags: EvidenceFlag[] = [];
	const flag = (kind: EvidenceKind, words: string) => flags.push({ kind, band: evidenceKinds[kind].band, words });
	const pastNeededBy = neededBy !== null && neededBy < today;
	if (pastNeededBy) flag('past_needed_by', `${plural(daysBetween(neededBy, today), 'day')} past needed-by, not delivered`);
	else if (status === 'late') flag('marked_late', 'marked late by its owners');
	// A forecast in the past is not a forecast any more: say so rather than compare it.
	if (forecast !== null && forecast < today) flag('forecast_passed', `forecast date passed ${plural(daysBetween(forecast, today), 'day')} ago, not delivered`);
	else if (neededBy !== null && forecast !== null && forecast > neededBy) flag('forecast_late', `forecast ${plural(daysBetween(neededBy, forecast), 'day')} after needed-by`);
	if (neededBy !== null && committed !== null && committed > neededBy) flag('commit_late', `provider committed ${plural(daysBetween(neededBy, committed), 'day')} after needed-by`);
	if (status === 'at_risk') flag('at_risk', 'marked at risk by its owners');
	if (status === 'disputed') flag('disputed', 'the two departments dispute it');
	return flags.sort((a, b) => bandRank[b.band] - bandRank[a.band]);
}

/** Slip in days with the forecast clamped to today for an open dependency (see `DependencySignal.slipDays`). */
export function signalSlipDays(dependency: SignalInput, today: IsoDate): number | null {
	const { neededBy, forecast } = dependency;
	if (!isOpen(dependency) || neededBy === null || forecast === null) return null;
	return daysBetween(neededBy, forecast < today ? today : forecast);
}

/** The one headline signal of a dependency (see the module comment and docs/signals.md). */
export function dependencySignal(dependency: SignalInput, today: IsoDate, scale: RatingScaleId): DependencySignal {
	if (!isOpen(dependency)) {
		const label = dependency.status === 'delivered' ? 'Delivered' : 'Cancelled';
		return { rating: null, label, tone: 'closed', shape: null, band: null, flags: [], evidence: null, review: null, slipDays: null, weight: -1 };
	}
	const flags = dependencyEvidence(dependency, today);
	const evidence: RatingBand = flags[0]?.band ?? 'green';
	const slipDays = signalSlipDays(dependency, today);
	const rating = dependency.rating === null ? null : toScale(dependency.rating, scale);
	const info = rating === null ? null : ratingLevelInfo[rating];
	let review: string | null = null;
	if (flags.length > 0) {
		const worst = evidenceKinds[flags[0]!.kind].short;
		if (info === null) review = `not rated but ${worst}`;
		else if (bandRank[info.band] < bandRank[evidence]) review = `rated ${info.label} but ${worst}`;
	}
	// Rating first (0..4, unrated counts as amber), then the evidence, then the slip.
	const severity = info?.severity ?? 2;
	const weight = severity * 1_000_000 + bandRank[evidence] * 100_000 + (review ? 50_000 : 0) + Math.max(0, Math.min(slipDays ?? 0, 49_999));
	return {
		rating,
		label: info?.label ?? 'Not rated',
		tone: info?.colour ?? 'unrated',
		shape: info?.shape ?? null,
		band: info?.band ?? null,
		flags,
		evidence,
		review,
		slipDays,
		weight
	};
}

/** CSS colour of a tone (the theme's RAG palette; the wall's dark theme sets the same properties). */
export function toneColour(tone: SignalTone): string {
	if (tone === 'unrated' || tone === 'closed') return 'var(--muted)';
	return `var(--rag-${tone})`;
}

/** Slip in words, the same on every screen: "10 days late", "5 days early", "On time". */
export function slipWords(slipDays: number | null): string {
	if (slipDays === null) return '—';
	if (slipDays === 0) return 'On time';
	return slipDays > 0 ? `${plural(slipDays, 'day')} late` : `${plural(-slipDays, 'day')} early`;
}
