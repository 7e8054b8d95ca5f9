/**
 * Uploaded RAID files into sheets of rows: CSV with csv-parse, XLSX with exceljs. The file type
 * is decided from its bytes, not its name. Formula cells keep their formula and the value the
 * spreadsheet saved (nothing is evaluated); merged cells read as the value of their top-left cell;
 * the first row of a sheet is its header; empty rows are skipped.
 */
import type ExcelJS from 'exceljs';
import type { SheetCell } from '#lib/import/cell-values.ts';
import type { SheetData } from '#lib/import/import-mapping.ts';
import { importLimits } from '#lib/protocol/raid-import.ts';
import { InvalidRequestError } from '../workspace/errors.ts';

export type FileFormat = 'csv' | 'xlsx';

const zipMagic = [0x50, 0x4b, 0x03, 0x04];
const oleMagic = [0xd0, 0xcf, 0x11, 0xe0];
const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((byte, i) => bytes[i] === byte);

export function detectFormat(bytes: Uint8Array): FileFormat {
	if (startsWith(bytes, zipMagic)) return 'xlsx';
	if (startsWith(bytes, oleMagic)) throw new InvalidRequestError('this is an old binary Excel file (.xls): save it as .xlsx or CSV and upload that');
	const head = bytes.subarray(0, 4096);
	if (head.includes(0)) throw new InvalidRequestError('this is not a CSV or XLSX file: upload a RAID log saved as .xlsx or .csv (UTF-8)');
	try {
		new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, head.length - 4));
	} catch {
		throw new InvalidRequestError('this CSV is not UTF-8 text: save it as "CSV UTF-8" and upload again');
	}
	return 'csv';
}

function uniqueHeaders(raw: readonly string[]): string[] {
	const seen = new Map<string, number>();
	return raw.map((value, i) => {
		const base = value.trim().replace(/\s+/g, ' ').slice(0, importLimits.headerChars) || `Column ${i + 1}`;
		const count = (seen.get(base) ?? 0) + 1;
		seen.set(base, count);
		return count === 1 ? base : `${base} (${count})`;
	});
}

const blankRow = (cells: readonly SheetCell[]) => cells.every((cell) => cell === null || (typeof cell === 'string' && cell.trim() === ''));

function checkSize(rows: number, columns: number): void {
	if (rows > importLimits.maxRows) throw new InvalidRequestError(`the file has more than ${importLimits.maxRows.toLocaleString('en-GB')} rows: split it and import the parts`);
	if (columns > importLimits.maxColumns) throw new InvalidRequestError(`a sheet has more than ${importLimits.maxColumns} columns`);
}

export async function readCsv(bytes: Uint8Array, name: string): Promise<SheetData[]> {
	// Loaded on first use, like exceljs below: the process need not hold csv-parse at rest.
	const { parse } = await import('csv-parse/sync');
	let records: string[][];
	try {
		records = parse(Buffer.from(bytes), { bom: true, relax_column_count: true, skip_empty_lines: true, trim: false });
	} catch (error) {
		throw new InvalidRequestError(`the CSV cannot be read: ${error instanceof Error ? error.message.slice(0, 200) : 'malformed'}`);
	}
	const [header, ...body] = records;
	if (!header) throw new InvalidRequestError('the file is empty: the first row must name the columns');
	checkSize(body.length, header.length);
	const headers = uniqueHeaders(header);
	const rows = body
		.map((cells, i) => ({ row: i + 2, cells: headers.map((_, c) => cells[c] ?? null) as SheetCell[] }))
		.filter((row) => !blankRow(row.cells));
	return [{ name, headers, rows }];
}

function cellValue(cell: ExcelJS.Cell): SheetCell {
	const value = cell.value as unknown;
	if (value === null || value === undefined) return null;
	if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
	if (typeof value === 'object') {
		const v = value as { richText?: { text: string }[]; formula?: string; sharedFormula?: string; result?: unknown; text?: unknown; error?: string };
		if (v.richText) return v.richText.map((part) => part.text).join('');
		if (v.formula !== undefined || v.sharedFormula !== undefined) {
			const result = v.result;
			const saved = result === undefined || result === null || (typeof result === 'object' && !(result instanceof Date)) ? null : (result as string | number | boolean | Date);
			return { formula: String(v.formula ?? v.sharedFormula), result: saved };
		}
		if (v.error) return v.error;
		if (v.text !== undefined) return typeof v.text === 'string' ? v.text : cellValue({ value: v.text } as ExcelJS.Cell);
	}
	return String(value);
}

export async function readXlsx(bytes: Uint8Array): Promise<SheetData[]> {
	// Loaded on first use: exceljs is megabytes the process need not hold at rest.
	const { default: Excel } = await import('exceljs');
	const workbook = new Excel.Workbook();
	try {
		await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
	} catch {
		throw new InvalidRequestError('the XLSX file cannot be read: it may be damaged or password-protected');
	}
	const sheets: SheetData[] = [];
	const total = workbook.worksheets.reduce((sum, sheet) => sum + sheet.actualRowCount, 0);
	if (workbook.worksheets.length > importLimits.maxSheets) throw new InvalidRequestError(`the workbook has more than ${importLimits.maxSheets} sheets`);
	checkSize(total, 0);
	for (const sheet of workbook.worksheets) {
		if (sheet.state !== 'visible' || sheet.actualRowCount === 0) continue;
		const width = sheet.columnCount;
		checkSize(0, width);
		const headerRow = sheet.getRow(1);
		const headers = uniqueHeaders(Array.from({ length: width }, (_, i) => {
			const value = cellValue(headerRow.getCell(i + 1));
			return value === null ? '' : typeof value === 'object' && !(value instanceof Date) ? String(value.result ?? '') : String(value instanceof Date ? value.toISOString().slice(0, 10) : value);
		}));
		const rows: SheetData['rows'] = [];
		sheet.eachRow({ includeEmpty: false }, (row, number) => {
			if (number === 1) return;
			const cells = headers.map((_, i) => cellValue(row.getCell(i + 1)));
			if (!blankRow(cells)) rows.push({ row: number, cells });
		});
		sheets.push({ name: sheet.name, headers, rows });
	}
	if (sheets.length === 0) throw new InvalidRequestError('the workbook has no sheet with rows in it');
	return sheets;
}
