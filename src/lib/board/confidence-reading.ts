/**
 * A mission's two confidences, reconciled the way `docs/signals.md` treats a dependency's rating
 * against its evidence: the judged delivery confidence (a person's call, with who and when) is the
 * headline; the confidence the evidence reads (the level nearest the mean of the open rated
 * dependencies, `MissionHeader.confidence`) stands beside it in words when the two disagree
 * ("Judged Amber; the evidence reads Red: 3 red dependencies, 2 late"). A judgement kinder than the
 * evidence is flagged for review, never overridden. With no judgement yet, the evidence is the
 * headline and says so. Pure.
 */
import { ratingLevelInfo, toScale, type RatingLevel, type RatingScaleId } from '../protocol/ratings.ts';
import type { MissionHeader } from './mission-header.ts';

/** The parts of a judgement this needs (`Judgement` in protocol/missions.ts). */
export type JudgedConfidence = { level: RatingLevel; byName: string; at: number };

export type ConfidenceReading = {
	/** What the header shows big: the judgement, else the evidence, else nothing. */
	headline: RatingLevel | null;
	source: 'judged' | 'evidence' | 'none';
	judged: JudgedConfidence | null;
	/** The level the evidence reads on the workspace's scale, and from how many rated dependencies. */
	evidence: { level: RatingLevel; basis: number } | null;
	/** How the evidence differs, when it does: "Judged Amber; the evidence reads Red: …". */
	disagreement: string | null;
	/** The judgement is kinder than the evidence: someone should look at it again. */
	review: boolean;
};

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function reconcileConfidence(judged: JudgedConfidence | null, header: Pick<MissionHeader, 'confidence' | 'counts' | 'scale'>): ConfidenceReading {
	const { scale } = header;
	const evidence = header.confidence ? { level: toScale(header.confidence.level, scale), basis: header.confidence.basis } : null;
	if (!judged) return { headline: evidence?.level ?? null, source: evidence ? 'evidence' : 'none', judged: null, evidence, disagreement: null, review: false };
	const level = toScale(judged.level, scale);
	const shown = { ...judged, level };
	if (!evidence || evidence.level === level) return { headline: level, source: 'judged', judged: shown, evidence, disagreement: null, review: false };
	const review = ratingLevelInfo[evidence.level].severity > ratingLevelInfo[level].severity;
	return { headline: level, source: 'judged', judged: shown, evidence, disagreement: disagreementWords(level, evidence, header.counts, scale), review };
}

function disagreementWords(judged: RatingLevel, evidence: { level: RatingLevel; basis: number }, counts: MissionHeader['counts'], scale: RatingScaleId): string {
	const reasons = [
		counts.red > 0 ? plural(counts.red, 'red dependency', 'red dependencies') : null,
		counts.late > 0 ? `${counts.late} late` : null,
		counts.review > 0 ? plural(counts.review, 'rating to check', 'ratings to check') : null,
		counts.escalated > 0 ? plural(counts.escalated, 'escalated blocker', 'escalated blockers') : null
	].filter((reason) => reason !== null);
	const from = `from ${plural(evidence.basis, 'rated open dependency', 'rated open dependencies')}`;
	const label = (level: RatingLevel) => ratingLevelInfo[toScale(level, scale)].label;
	return `Judged ${label(judged)}; the evidence reads ${label(evidence.level)}: ${reasons.length > 0 ? `${reasons.join(', ')} (${from})` : from}`;
}
