import { describe, expect, it } from 'vitest';
import { parseDatedValuesCsv } from './csv.ts';
import { actualsIssues, targetIssues } from './validate.ts';

describe('CSV of dated values', () => {
	it('reads rows in either column order, with quotes, thousands separators, CRLF and a BOM', () => {
		expect(parseDatedValuesCsv('\uFEFFDate, Value\r\n2026-01-31,"1,250.5"\r\n2026-02-28,1300\r\n\r\n')).toEqual({ ok: true, rows: [{ date: '2026-01-31', value: 1250.5 }, { date: '2026-02-28', value: 1300 }] });
		expect(parseDatedValuesCsv('value,date\n-3,2026-01-31\n')).toEqual({ ok: true, rows: [{ date: '2026-01-31', value: -3 }] });
	});

	it('names the row and field of every bad cell, and keeps none of the rows', () => {
		const result = parseDatedValuesCsv('date,value\n2026-01-31,12\n2026-02-30,13\n2026-03-31,twelve\n2026-04-30\n\n2026-05-31,12%\n');
		expect(result).toEqual({
			ok: false,
			issues: [
				{ path: 'row 3.date', message: 'row 3, date: "2026-02-30" is not a date as yyyy-mm-dd' },
				{ path: 'row 4.value', message: 'row 4, value: "twelve" is not a number' },
				{ path: 'row 5', message: 'row 5 has 1 cells; it needs 2 (date, value)' },
				{ path: 'row 6', message: 'row 6 is empty' },
				{ path: 'row 7.value', message: 'row 7, value: "12%" is not a number' }
			]
		});
	});

	it('refuses the wrong columns, an empty file and a header alone', () => {
		expect(parseDatedValuesCsv('when,amount\n2026-01-31,1\n')).toMatchObject({ ok: false, issues: [{ path: 'row 1', message: expect.stringContaining('the columns must be "date,value"') }] });
		expect(parseDatedValuesCsv('date,value,note\n')).toMatchObject({ ok: false, issues: [{ path: 'row 1' }] });
		expect(parseDatedValuesCsv('')).toMatchObject({ ok: false, issues: [{ message: expect.stringContaining('empty') }] });
		expect(parseDatedValuesCsv('date,value\n')).toMatchObject({ ok: false, issues: [{ message: 'the CSV has a header but no rows' }] });
	});
});

describe('checks across fields', () => {
	const target = { metric: { better: 'higher' as const }, baseline: { date: '2025-01-01', value: 10 }, target: { date: '2027-01-01', value: 20 }, trajectory: [] };

	it('refuses a target date on or before the baseline, and a target that is not better', () => {
		expect(targetIssues({ ...target, target: { date: '2024-12-31', value: 20 } })).toEqual([{ path: 'target.date', message: 'the target date 2024-12-31 must be after the baseline date 2025-01-01' }]);
		expect(targetIssues({ ...target, target: { date: '2027-01-01', value: 5 } })[0]!.path).toBe('target.value');
		expect(targetIssues({ ...target, metric: { better: 'lower' } })[0]!.message).toContain('must be lower than the baseline 10');
		expect(targetIssues(target)).toEqual([]);
	});

	it('refuses trajectory points outside the dates and repeated dates, naming the point', () => {
		const issues = targetIssues({ ...target, trajectory: [{ date: '2026-01-01', value: 15 }, { date: '2028-01-01', value: 25 }, { date: '2026-01-01', value: 16 }] });
		expect(issues).toEqual([
			{ path: 'trajectory.1.date', message: "trajectory point 2 (2028-01-01) is outside the target's dates, 2025-01-01 to 2027-01-01" },
			{ path: 'trajectory.2.date', message: 'trajectory point 3 repeats the date 2026-01-01 of point 1' }
		]);
	});

	it('refuses actuals before the baseline, in the future, or twice on one date', () => {
		const where = { label: (i: number) => `row ${i + 2}`, path: (i: number) => `row ${i + 2}` };
		const issues = actualsIssues([{ date: '2024-06-01', value: 1 }, { date: '2025-06-01', value: 2 }, { date: '2025-06-01', value: 3 }, { date: '2030-01-01', value: 4 }], { baselineDate: '2025-01-01', today: '2026-01-01' }, where);
		expect(issues.map((issue) => issue.message)).toEqual([
			'row 2: 2024-06-01 is before the baseline date 2025-01-01',
			'row 4: the date 2025-06-01 is also on row 3',
			'row 5: 2030-01-01 is in the future (today is 2026-01-01)'
		]);
	});
});
