import { describe, expect, it } from 'vitest';
import {
	defaultRatingScale,
	isAtLeast,
	isRedRating,
	ratingBand,
	ratingLevels,
	ratingScales,
	scaleLevels,
	toScale
} from './ratings.ts';

describe('rating scales', () => {
	it('defaults to three points and offers five', () => {
		expect(defaultRatingScale).toBe('three');
		expect(scaleLevels('three').map((l) => l.label)).toEqual(['Green', 'Amber', 'Red']);
		expect(scaleLevels('five').map((l) => l.label)).toEqual(['Green', 'Amber/Green', 'Amber', 'Amber/Red', 'Red']);
	});

	it('gives every level a word and a distinct shape, ordered by severity', () => {
		const five = scaleLevels('five');
		expect(new Set(five.map((l) => l.shape)).size).toBe(five.length);
		expect(five.map((l) => l.severity)).toEqual([...five.map((l) => l.severity)].sort((a, b) => a - b));
		for (const level of five) expect(level.label).toMatch(/^[A-Z]/);
	});

	it('answers "red" the same way on both scales', () => {
		expect(ratingLevels.filter(isRedRating)).toEqual(['amber_red', 'red']);
		expect(isRedRating(null)).toBe(false);
		expect(ratingBand('amber_green')).toBe('amber');
		expect(isAtLeast('amber', 'amber_green')).toBe(true);
		expect(isAtLeast('green', 'amber')).toBe(false);
		expect(isAtLeast(null, 'green')).toBe(false);
	});

	it('shows a stored level on either scale', () => {
		expect(toScale('amber_red', 'three')).toBe('red');
		expect(toScale('amber_green', 'three')).toBe('amber');
		expect(toScale('amber', 'five')).toBe('amber');
		for (const level of ratingLevels) {
			expect(ratingScales.three as readonly string[]).toContain(toScale(level, 'three'));
		}
	});
});
