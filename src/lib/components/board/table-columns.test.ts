import { describe, expect, it } from 'vitest';
import { dateFormat } from '../../date-format.ts';
import { registerNames } from '../../protocol/registers.ts';
import { columnsFor, minTableWidth } from './table-model.ts';

const width = (register: Parameters<typeof columnsFor>[0], key: string, codes: string[] = [], more: { locale?: string } = {}) =>
	columnsFor(register, false, { departmentCodes: codes, dates: dateFormat(more.locale) }).find((column) => column.key === key)?.width;

describe('column widths from what the columns hold', () => {
	it('gives the title what is left and every other column a width', () => {
		for (const register of registerNames) {
			const columns = columnsFor(register, false);
			expect(columns.filter((column) => column.width === null).map((column) => column.key)).toEqual(['title']);
			for (const column of columns) if (column.key !== 'title') expect(column.width).toBeGreaterThan(3);
		}
	});

	it('makes date columns wide enough for the longest date of the locale, header included', () => {
		// "28 Sept 2026": 12 characters at 0.875 rem, the picker icon and padding.
		const english = width('dependencies', 'neededBy')!;
		expect(english).toBeGreaterThanOrEqual(12 * 0.875 * 0.55 + 1.7 + 1.2);
		expect(width('dependencies', 'neededBy', [], { locale: 'fr-FR' })).toBeGreaterThan(english);
		// Every date column of every register follows the same rule.
		expect(width('actions', 'due')).toBe(width('dependencies', 'forecast'));
	});

	it('makes the department pair as wide as the board’s longest codes, up to eight letters each', () => {
		const short = width('dependencies', 'parties', ['HO', 'DfE'])!;
		const long = width('dependencies', 'parties', ['HO', 'DESNZ', 'MHCLG'])!;
		expect(long).toBeGreaterThan(short);
		expect(width('dependencies', 'parties', ['ABCDEFGHIJKL'])).toBe(width('dependencies', 'parties', ['ABCDEFGH']));
	});

	it('sizes a status select from its longest word', () => {
		expect(width('assumptions', 'status')).toBeGreaterThan(width('actions', 'status')!);
	});

	it('fits the dependencies table, a two-line title included, in the 1360 px a 1440 px page gives it (15 px to the rem)', () => {
		const columns = columnsFor('dependencies', false, { departmentCodes: ['DESNZ', 'MHCLG', 'DSIT'] });
		expect(minTableWidth(columns)).toBeLessThanOrEqual(1360 / 15);
	});
});
