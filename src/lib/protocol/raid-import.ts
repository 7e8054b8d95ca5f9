/**
 * RAID import (`POST /api/boards/:id/import`): the column mapping a person confirms in the
 * preview, and the preview/result the server answers. The file itself is multipart; see
 * docs/import-export.md.
 */
import { z } from 'zod';
import { fieldLimits } from './record-fields.ts';
import { registerName } from './registers.ts';

export const importLimits = {
	/** Larger files are refused before they are parsed. */
	maxFileBytes: 10 * 1024 * 1024,
	/** Rows per import, over every sheet. */
	maxRows: 20_000,
	maxSheets: 20,
	maxColumns: 200,
	headerChars: 200
} as const;

const header = z.string().trim().min(1).max(importLimits.headerChars);

/** How one sheet (or the CSV file) maps onto a register: `register: null` skips the sheet. */
export const sheetMapping = z.strictObject({
	register: registerName.nullable(),
	/** The column whose value identifies a row from one import to the next. */
	key: header.nullable(),
	/** Our field → their column header. */
	columns: z.record(z.string().max(40), header)
});
export type SheetMapping = z.infer<typeof sheetMapping>;

export const importMapping = z.strictObject({
	sheets: z.record(z.string().max(100), sheetMapping).refine((sheets) => Object.keys(sheets).length <= importLimits.maxSheets, { message: `at most ${importLimits.maxSheets} sheets` })
});
export type ImportMapping = z.infer<typeof importMapping>;

/** The other form fields beside `file`. */
export const importForm = z.strictObject({
	mapping: z.string().max(200_000).optional(),
	/** For a CSV without a mapping: which register its rows are. */
	register: registerName.optional()
});

export const importQuery = z.strictObject({ dryRun: z.enum(['true', 'false']).default('false') });

export const rowActions = ['create', 'update', 'unchanged', 'invalid'] as const;
export type RowAction = (typeof rowActions)[number];

export const importRow = z.object({
	sheet: z.string(),
	/** The row number as the spreadsheet shows it (the header is row 1). */
	row: z.number().int(),
	key: z.string().nullable(),
	action: z.enum(rowActions),
	/** The record's ref: existing for updates, the one it will get for creates (after the import). */
	ref: z.string().optional(),
	title: z.string().optional(),
	/** What changes on an update. */
	changes: z.array(z.string()).optional(),
	issues: z.array(z.object({ column: z.string(), message: z.string() })).optional()
});
export type ImportRow = z.infer<typeof importRow>;

export const importSheet = z.object({
	sheet: z.string(),
	register: registerName.nullable(),
	headers: z.array(z.string()),
	rows: z.number().int(),
	counts: z.record(z.enum(rowActions), z.number().int())
});
export type ImportSheet = z.infer<typeof importSheet>;

export const importResult = z.object({
	dryRun: z.boolean(),
	imported: z.boolean(),
	file: z.object({ name: z.string(), format: z.enum(['csv', 'xlsx']), bytes: z.number().int() }),
	mapping: importMapping,
	/** Where the mapping came from: the request, the mission's last import, or a guess from the headers. */
	mappingSource: z.enum(['request', 'remembered', 'suggested']),
	sheets: z.array(importSheet),
	totals: z.record(z.enum(rowActions), z.number().int()),
	rows: z.array(importRow)
});
export type ImportResult = z.infer<typeof importResult>;

export const maxImportKeyChars = fieldLimits.importKeyChars;
