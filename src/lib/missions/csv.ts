/**
 * Dated values (actuals, trajectory points) from CSV: a header row `date,value` (in either order,
 * any case, extra spaces allowed; a UTF-8 BOM is ignored), then one row per value. Every problem is
 * reported with its row number as a spreadsheet shows it (the header is row 1), so a department can
 * fix its export; rows are all-or-nothing.
 */
import { isoDate } from '../protocol/record-fields.ts';
import type { Issue } from './validate.ts';
import type { Point } from './trajectory.ts';

export const csvColumns = ['date', 'value'] as const;

export type CsvResult = { ok: true; rows: Point[] } | { ok: false; issues: Issue[] };

/** Splits one line into cells, honouring double quotes ("a, b" and "" for a quote). */
function cells(line: string): string[] {
	const out: string[] = [];
	let current = '';
	let quoted = false;
	for (let i = 0; i < line.length; i++) {
		const char = line[i]!;
		if (quoted) {
			if (char === '"' && line[i + 1] === '"') {
				current += '"';
				i++;
			} else if (char === '"') quoted = false;
			else current += char;
		} else if (char === '"') quoted = true;
		else if (char === ',') {
			out.push(current);
			current = '';
		} else current += char;
	}
	out.push(current);
	return out.map((cell) => cell.trim());
}

/** A number as spreadsheets write it: "1234.5", "1,234.5" (quoted), "-3", "12%" is refused. */
function parseNumber(cell: string): number | undefined {
	const plain = cell.replace(/,(?=\d{3}(?:\D|$))/g, '');
	if (!/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(plain)) return undefined;
	const value = Number(plain);
	return Number.isFinite(value) ? value : undefined;
}

export function parseDatedValuesCsv(text: string): CsvResult {
	const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
	while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop();
	if (lines.length === 0) return { ok: false, issues: [{ path: 'row 1', message: 'the CSV is empty: give a header row "date,value" and one row per value' }] };
	const header = cells(lines[0]!).map((cell) => cell.toLowerCase());
	const dateColumn = header.indexOf('date');
	const valueColumn = header.indexOf('value');
	if (header.length !== csvColumns.length || dateColumn < 0 || valueColumn < 0) {
		return { ok: false, issues: [{ path: 'row 1', message: `row 1: the columns must be "date,value" (got ${JSON.stringify(lines[0]!.slice(0, 120))})` }] };
	}
	const rows: Point[] = [];
	const issues: Issue[] = [];
	for (let index = 1; index < lines.length; index++) {
		const row = index + 1;
		if (lines[index]!.trim() === '') {
			issues.push({ path: `row ${row}`, message: `row ${row} is empty` });
			continue;
		}
		const values = cells(lines[index]!);
		if (values.length !== csvColumns.length) {
			issues.push({ path: `row ${row}`, message: `row ${row} has ${values.length} cells; it needs 2 (date, value)` });
			continue;
		}
		const date = values[dateColumn]!;
		const value = parseNumber(values[valueColumn]!);
		const dateOk = isoDate.safeParse(date).success;
		if (!dateOk) issues.push({ path: `row ${row}.date`, message: `row ${row}, date: ${JSON.stringify(date.slice(0, 40))} is not a date as yyyy-mm-dd` });
		if (value === undefined) issues.push({ path: `row ${row}.value`, message: `row ${row}, value: ${JSON.stringify(values[valueColumn]!.slice(0, 40))} is not a number` });
		if (dateOk && value !== undefined) rows.push({ date, value });
	}
	if (issues.length > 0) return { ok: false, issues };
	if (rows.length === 0) return { ok: false, issues: [{ path: 'row 2', message: 'the CSV has a header but no rows' }] };
	return { ok: true, rows };
}
