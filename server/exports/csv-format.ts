/**
 * One register as CSV: UTF-8 with a byte-order mark (so Excel reads the accents right), CRLF
 * line ends (RFC 4180), a header row, one row per record. Text cells that a spreadsheet would
 * read as a formula (`=`, `+`, `-`, `@`, and tab or carriage return before them) get a leading
 * apostrophe: a title such as `=HYPERLINK(…)` typed on a board must never run on a reader's desk.
 */
import type { CellValue, ExportTable } from '#lib/export/export-columns.ts';

const byteOrderMark = '\uFEFF';
const formulaStart = /^[=+\-@\t\r]/;

/** A text cell made safe to open in a spreadsheet. */
export function neutraliseCell(text: string): string {
	return formulaStart.test(text) ? `'${text}` : text;
}

function csvCell(value: CellValue, kind: ExportTable['columns'][number]['kind']): string {
	if (value === null) return '';
	switch (kind) {
		case 'number':
			return String(value);
		case 'date':
			return String(value);
		case 'datetime':
			return new Date(Number(value)).toISOString();
		case 'text':
			return neutraliseCell(String(value));
	}
}

export async function toCsv(table: ExportTable): Promise<string> {
	// Loaded on first use: the process need not hold csv-stringify at rest.
	const { stringify } = await import('csv-stringify/sync');
	const rows = [table.columns.map((column) => neutraliseCell(column.header)), ...table.rows.map((row) => row.map((value, i) => csvCell(value, table.columns[i]!.kind)))];
	return byteOrderMark + stringify(rows, { record_delimiter: 'windows' });
}
