/**
 * Registers as an XLSX workbook (exceljs): one sheet per register, typed cells (dates are
 * dates, numbers are numbers, ratings and statuses are words), a bold frozen header row with
 * filters, widths that fit. Strings are written as strings, never as formulas, whatever they
 * start with.
 */
import type ExcelJS from 'exceljs';
import type { CellValue, ExportTable } from '#lib/export/export-columns.ts';

const dateFormat = 'yyyy-mm-dd';
const dateTimeFormat = 'yyyy-mm-dd hh:mm';
/** Excel forbids these in sheet names and caps them at 31 characters. */
const sheetNameLimit = 31;

function sheetName(title: string, taken: Set<string>): string {
	const base = title.replace(/[[\]:*?/\\]/g, ' ').slice(0, sheetNameLimit).trim() || 'Sheet';
	let name = base;
	for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base.slice(0, sheetNameLimit - String(n).length - 1)} ${n}`;
	taken.add(name.toLowerCase());
	return name;
}

function xlsxValue(value: CellValue, kind: ExportTable['columns'][number]['kind']): ExcelJS.CellValue {
	if (value === null || value === '') return null;
	switch (kind) {
		case 'date':
			return new Date(`${value}T00:00:00Z`);
		case 'datetime':
			return new Date(Number(value));
		case 'number':
			return Number(value);
		case 'text':
			return String(value);
	}
}

export interface WorkbookInfo {
	title: string;
	/** Who asked for it. */
	creator: string;
	created: Date;
}

export async function toXlsx(tables: readonly ExportTable[], info: WorkbookInfo): Promise<Buffer> {
	// Loaded on first use: exceljs is megabytes the process need not hold at rest.
	const { default: Excel } = await import('exceljs');
	const workbook = new Excel.Workbook();
	workbook.creator = info.creator;
	workbook.created = info.created;
	workbook.title = info.title;
	const taken = new Set<string>();
	for (const table of tables) {
		const sheet = workbook.addWorksheet(sheetName(table.title, taken), { views: [{ state: 'frozen', ySplit: 1 }] });
		sheet.columns = table.columns.map((column) => ({
			header: column.header,
			width: column.width,
			style: column.kind === 'date' ? { numFmt: dateFormat } : column.kind === 'datetime' ? { numFmt: dateTimeFormat } : {}
		}));
		sheet.getRow(1).font = { bold: true };
		for (const row of table.rows) sheet.addRow(row.map((value, i) => xlsxValue(value, table.columns[i]!.kind)));
		sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columns.length } };
	}
	const buffer = await workbook.xlsx.writeBuffer();
	return Buffer.from(buffer);
}
