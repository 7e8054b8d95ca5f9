import { describe, expect, it } from 'vitest';
import type { DependencyRecord } from '../protocol/records.ts';
import { dependencyEvidence, dependencySignal, slipWords } from './signals.ts';
import { testDependency } from './test-records.ts';

const today = '2026-03-10';
const dependency = testDependency;

describe('the headline is the rating', () => {
	it('shows the rating word, colour and shape, with no flags when the evidence agrees', () => {
		const signal = dependencySignal(dependency(), today, 'three');
		expect(signal).toMatchObject({ rating: 'green', label: 'Green', tone: 'green', shape: 'circle', band: 'green', flags: [], evidence: 'green', review: null, slipDays: -2 });
	});

	it('never recolours a rating from the evidence: an amber forecast-late dependency stays Amber', () => {
		const signal = dependencySignal(dependency({ rating: 'amber', forecast: '2026-03-30' }), today, 'three');
		expect(signal.label).toBe('Amber');
		expect(signal.flags.map((f) => f.words)).toEqual(['forecast 10 days after needed-by']);
		expect(signal.review).toBeNull();
	});

	it('shows a five-point level on the three-point scale as its band', () => {
		expect(dependencySignal(dependency({ rating: 'amber_red' }), today, 'three').label).toBe('Red');
		expect(dependencySignal(dependency({ rating: 'amber_red' }), today, 'five').label).toBe('Amber/Red');
	});

	it('says "Not rated" and asks for a rating when the evidence is bad', () => {
		expect(dependencySignal(dependency({ rating: null }), today, 'three')).toMatchObject({ label: 'Not rated', tone: 'unrated', review: null });
		expect(dependencySignal(dependency({ rating: null, status: 'at_risk' }), today, 'three').review).toBe('not rated but marked at risk');
	});

	it('closes delivered and cancelled dependencies: no flags, no review, whatever the dates', () => {
		for (const status of ['delivered', 'cancelled'] as const) {
			const signal = dependencySignal(dependency({ status, neededBy: '2026-01-01', rating: 'red' }), today, 'three');
			expect(signal).toMatchObject({ tone: 'closed', flags: [], review: null, band: null, slipDays: null });
			expect(signal.label).toBe(status === 'delivered' ? 'Delivered' : 'Cancelled');
		}
	});
});

describe('evidence explains itself in words', () => {
	it('flags a needed-by date that has passed, however early the old forecast was', () => {
		// The case the issue found: a "Late" badge beside "5 days early".
		const signal = dependencySignal(dependency({ neededBy: '2026-03-05', forecast: '2026-02-28', committed: null, rating: 'red' }), today, 'three');
		expect(signal.flags.map((f) => f.words)).toEqual(['5 days past needed-by, not delivered', 'forecast date passed 10 days ago, not delivered']);
		expect(signal.slipDays).toBe(5);
		expect(slipWords(signal.slipDays)).toBe('5 days late');
	});

	it('names the status flags and puts red evidence first', () => {
		const flags = dependencyEvidence(dependency({ status: 'disputed', committed: '2026-03-21', neededBy: '2026-03-20', forecast: '2026-03-25' }), today);
		expect(flags.map((f) => f.kind)).toEqual(['forecast_late', 'commit_late', 'disputed']);
		expect(flags[1]!.words).toBe('provider committed 1 day after needed-by');
		const late = dependencyEvidence(dependency({ status: 'late', committed: '2026-03-21' }), today);
		expect(late.map((f) => f.kind)).toEqual(['marked_late', 'commit_late']);
	});

	it('has no slip without both dates', () => {
		expect(dependencySignal(dependency({ forecast: null }), today, 'three').slipDays).toBeNull();
		expect(slipWords(null)).toBe('—');
		expect(slipWords(0)).toBe('On time');
		expect(slipWords(-1)).toBe('1 day early');
	});
});

describe('a rating kinder than the evidence is flagged for review', () => {
	const cases: Array<[Partial<DependencyRecord>, string | null]> = [
		[{ rating: 'green', status: 'at_risk' }, 'rated Green but marked at risk'],
		[{ rating: 'green', forecast: '2026-03-25' }, 'rated Green but forecast late'],
		[{ rating: 'amber', neededBy: '2026-03-01', forecast: '2026-03-12' }, 'rated Amber but past needed-by'],
		[{ rating: 'amber', status: 'late' }, 'rated Amber but marked late'],
		[{ rating: 'red', status: 'late' }, null],
		[{ rating: 'amber', status: 'at_risk' }, null],
		[{ rating: 'red' }, null]
	];
	for (const [over, review] of cases) {
		it(`${JSON.stringify(over)} → ${review ?? 'no review'}`, () => {
			expect(dependencySignal(dependency(over), today, 'three').review).toBe(review);
		});
	}
});

describe('weight orders worst first', () => {
	it('puts red before amber, a contradiction before none, a bigger slip before a smaller one', () => {
		const w = (over: Partial<DependencyRecord>) => dependencySignal(dependency(over), today, 'three').weight;
		expect(w({ rating: 'red' })).toBeGreaterThan(w({ rating: 'amber', status: 'late' }));
		expect(w({ rating: 'green', status: 'late' })).toBeGreaterThan(w({ rating: 'green' }));
		expect(w({ rating: 'red', forecast: '2026-04-20' })).toBeGreaterThan(w({ rating: 'red', forecast: '2026-03-25' }));
		expect(w({ status: 'delivered' })).toBeLessThan(w({ rating: 'green' }));
	});
});
