import { describe, expect, it } from 'vitest';
import { boardInitials } from './view-props.ts';

describe('boardInitials', () => {
	it('takes the first letter of each word, upper-cased', () => {
		expect(boardInitials('Regional programme board')).toBe('RPB');
		expect(boardInitials('Missions Board delivery')).toBe('MBD');
	});
	it('skips punctuation, keeps at most four letters, and never returns nothing', () => {
		expect(boardInitials('Net zero – grid & heat: phase two delivery')).toBe('NZGH');
		expect(boardInitials('  ')).toBe('?');
	});
});
