/**
 * Confidence rating scales. A workspace picks one (three-point by default, as
 * government project reporting now uses; five-point as the older Delivery Confidence
 * Assessment did). Records store the level key; every level carries a word and a
 * shape so a rating is never shown by colour alone, and a band + severity so
 * "red" queries work the same on both scales.
 */
import { z } from 'zod';
import { confidenceScales } from './workspace.ts';

/** Every level any scale can use; this is what a record stores. */
export const ratingLevels = ['green', 'amber_green', 'amber', 'amber_red', 'red'] as const;
export const ratingLevel = z.enum(ratingLevels);
export type RatingLevel = z.infer<typeof ratingLevel>;

/** The three colours everything collapses to for summaries and "red" filters. */
export const ratingBands = ['green', 'amber', 'red'] as const;
export type RatingBand = (typeof ratingBands)[number];

export const ratingShapes = ['circle', 'pentagon', 'triangle', 'diamond', 'square'] as const;
export type RatingShape = (typeof ratingShapes)[number];

export type RatingLevelInfo = {
	level: RatingLevel;
	/** The word shown next to the colour. */
	label: string;
	/** A non-colour encoding: the UI draws this shape. */
	shape: RatingShape;
	/** 0 = best. Comparable across scales (the five-point scale's levels interleave). */
	severity: number;
	band: RatingBand;
	/** A CSS-friendly colour token, for the UI's palette lookup. */
	colour: 'green' | 'amber-green' | 'amber' | 'amber-red' | 'red';
};

export const ratingLevelInfo = {
	green: { level: 'green', label: 'Green', shape: 'circle', severity: 0, band: 'green', colour: 'green' },
	amber_green: {
		level: 'amber_green',
		label: 'Amber/Green',
		shape: 'pentagon',
		severity: 1,
		band: 'amber',
		colour: 'amber-green'
	},
	amber: { level: 'amber', label: 'Amber', shape: 'triangle', severity: 2, band: 'amber', colour: 'amber' },
	amber_red: {
		level: 'amber_red',
		label: 'Amber/Red',
		shape: 'diamond',
		severity: 3,
		band: 'red',
		colour: 'amber-red'
	},
	red: { level: 'red', label: 'Red', shape: 'square', severity: 4, band: 'red', colour: 'red' }
} as const satisfies Record<RatingLevel, RatingLevelInfo>;

/** Scale ids are the workspace setting's (`confidenceScale`): one list, declared there. */
export const ratingScaleIds = confidenceScales;
export const ratingScaleId = z.enum(ratingScaleIds);
export type RatingScaleId = z.infer<typeof ratingScaleId>;

/** Levels of each scale, best first. */
export const ratingScales = {
	three: ['green', 'amber', 'red'],
	five: ['green', 'amber_green', 'amber', 'amber_red', 'red']
} as const satisfies Record<RatingScaleId, readonly RatingLevel[]>;

export const defaultRatingScale: RatingScaleId = 'three';

export function ratingInfo(level: RatingLevel): RatingLevelInfo {
	return ratingLevelInfo[level];
}

/** The levels a scale offers, with their words and shapes, best first. */
export function scaleLevels(scale: RatingScaleId): RatingLevelInfo[] {
	return ratingScales[scale].map((level) => ratingLevelInfo[level]);
}

/** The band of a level: amber/green counts as amber, amber/red as red. */
export function ratingBand(level: RatingLevel): RatingBand {
	return ratingLevelInfo[level].band;
}

/** True for red and amber/red: what "red items" means on either scale. */
export function isRedRating(level: RatingLevel | null | undefined): boolean {
	return level != null && ratingBand(level) === 'red';
}

/** True when `level` is at least as severe as `threshold` (null ratings never are). */
export function isAtLeast(level: RatingLevel | null | undefined, threshold: RatingLevel): boolean {
	return level != null && ratingLevelInfo[level].severity >= ratingLevelInfo[threshold].severity;
}

/**
 * Shows a stored level on a workspace's scale. A five-point level on the three-point
 * scale becomes its band; a three-point level is already on the five-point scale.
 */
export function toScale(level: RatingLevel, scale: RatingScaleId): RatingLevel {
	const levels: readonly RatingLevel[] = ratingScales[scale];
	return levels.includes(level) ? level : ratingBand(level);
}
