/**
 * From a sheet row to our fields: the suggested mapping (sheet names and headers matched against
 * `importFields`), and one row read through a confirmed mapping into field values, with every
 * problem named by its column.
 */
import type { ImportMapping, SheetMapping } from '../protocol/raid-import.ts';
import type { RegisterName } from '../protocol/registers.ts';
import { statusesOf } from '../components/board/labels.ts';
import {
	CellError,
	cellDate,
	cellList,
	cellPerson,
	cellRating,
	cellRiskLevel,
	cellSeverity,
	cellStatus,
	cellText,
	isBlank,
	type SheetCell
} from './cell-values.ts';
import { importFields, keyAliases, normaliseHeader, registerForSheet, type ImportField } from './import-fields.ts';

export interface SheetData {
	name: string;
	headers: string[];
	/** `row` is the spreadsheet's row number; `cells` follow `headers`. */
	rows: { row: number; cells: SheetCell[] }[];
}

/** Resolves a department written as its id, code or name; undefined when the registry has none. */
export type DepartmentResolver = (text: string) => string | undefined;

export interface MappedRow {
	key: string | null;
	values: Record<string, unknown>;
	issues: { column: string; message: string }[];
}

function suggestSheet(sheet: SheetData, register: RegisterName | null): SheetMapping {
	if (!register) return { register: null, key: null, columns: {} };
	const normalised = sheet.headers.map(normaliseHeader);
	const used = new Set<number>();
	const columns: Record<string, string> = {};
	const keyIndex = normalised.findIndex((header) => keyAliases.includes(header));
	if (keyIndex >= 0) used.add(keyIndex);
	// Exact names first (a "Description" column is the description, not the deliverable), then aliases.
	for (const pass of ['own', 'alias'] as const) {
		for (const field of importFields[register]) {
			if (columns[field.field]) continue;
			const own = [field.aliases[0], field.aliases[1]];
			const index = normalised.findIndex((header, i) => !used.has(i) && (pass === 'own' ? own.includes(header) : field.aliases.includes(header)));
			if (index >= 0) {
				columns[field.field] = sheet.headers[index]!;
				used.add(index);
			}
		}
	}
	return { register, key: keyIndex >= 0 ? sheet.headers[keyIndex]! : null, columns };
}

/** A first mapping for a file: each sheet's register from its name (or `fallback` for one sheet), columns from headers. */
export function suggestMapping(sheets: readonly SheetData[], fallback?: RegisterName): ImportMapping {
	const entries = sheets.map((sheet) => [sheet.name, suggestSheet(sheet, registerForSheet(sheet.name) ?? (sheets.length === 1 ? (fallback ?? null) : null))] as const);
	return { sheets: Object.fromEntries(entries) };
}

function readField(field: ImportField, register: RegisterName, cell: SheetCell, departments: DepartmentResolver): unknown {
	switch (field.kind) {
		case 'text': {
			const text = cellText(cell);
			if (text.length > 20_000) throw new CellError('is longer than 20,000 characters');
			return text;
		}
		case 'date':
			return cellDate(cell);
		case 'person':
			return cellPerson(cell);
		case 'people':
			return cellList(cell).map((name) => ({ name }));
		case 'department': {
			const text = cellText(cell);
			const id = departments(text);
			if (!id) throw new CellError(`unknown department "${text.slice(0, 60)}": add it under Departments first, or write its code`);
			return id;
		}
		case 'departments':
			return cellList(cell).map((text) => {
				const id = departments(text);
				if (!id) throw new CellError(`unknown department "${text.slice(0, 60)}": add it under Departments first, or write its code`);
				return id;
			});
		case 'status':
			return cellStatus(cell, statusesOf[register]);
		case 'rating':
			return cellRating(cell);
		case 'severity':
			return cellSeverity(cell);
		case 'riskLevel':
			return cellRiskLevel(cell);
		case 'escalation':
			return cellText(cell);
	}
}

/** One row through the mapping: field values for the cells that are filled, problems by column. */
export function mapRow(register: RegisterName, mapping: SheetMapping, headers: readonly string[], cells: readonly SheetCell[], departments: DepartmentResolver): MappedRow {
	const issues: MappedRow['issues'] = [];
	const cellOf = (header: string) => cells[headers.indexOf(header)] ?? null;
	let key: string | null = null;
	if (mapping.key) {
		try {
			key = cellText(cellOf(mapping.key)) || null;
		} catch (error) {
			issues.push({ column: mapping.key, message: error instanceof Error ? error.message : String(error) });
		}
		if (key === null && issues.length === 0) issues.push({ column: mapping.key, message: 'the key is empty: every row needs one, so a second import updates it' });
		else if (key !== null && key.length > 200) issues.push({ column: mapping.key, message: 'a key is at most 200 characters' });
	}
	const values: Record<string, unknown> = {};
	for (const field of importFields[register]) {
		const header = mapping.columns[field.field];
		if (!header) continue;
		const cell = cellOf(header);
		if (isBlank(cell)) continue;
		try {
			values[field.field] = readField(field, register, cell, departments);
		} catch (error) {
			if (!(error instanceof CellError)) throw error;
			issues.push({ column: header, message: error.message });
		}
	}
	return { key, values, issues };
}

/** Headers the mapping names that the sheet does not have. */
export function missingColumns(mapping: SheetMapping, headers: readonly string[]): string[] {
	const named = [...Object.values(mapping.columns), ...(mapping.key ? [mapping.key] : [])];
	return [...new Set(named.filter((header) => !headers.includes(header)))];
}
