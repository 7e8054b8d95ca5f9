/**
 * RAID import (`backend.raidImport`): an uploaded CSV or XLSX, a column mapping (given, or the
 * mission's last one, or suggested from the headers), and a plan of every row (create, update,
 * unchanged or invalid, with reasons). A dry run answers the plan. A real run plans again inside
 * the board's transaction and writes only when no row is invalid: all or nothing. Records carry
 * their row's key, so the same file imported twice updates rather than duplicates.
 */
import type * as Y from 'yjs';
import { z } from 'zod';
import { applyImport, importKeyIndex, type ImportCreate, type ImportUpdate } from '#lib/board/import-records.ts';
import { readRecord } from '#lib/board/read.ts';
import { buildRefIndex } from '#lib/board/refs.ts';
import { isoDateAt } from '#lib/board/dates.ts';
import { importFields } from '#lib/import/import-fields.ts';
import { mapRow, missingColumns, suggestMapping, type DepartmentResolver, type SheetData } from '#lib/import/import-mapping.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import { importLimits, importMapping, type ImportMapping, type ImportResult, type ImportRow, type ImportSheet, type RowAction } from '#lib/protocol/raid-import.ts';
import { registerSchemas, type RecordOf, type RegisterName } from '#lib/protocol/records.ts';
import { formatRef } from '#lib/protocol/registers.ts';
import type { Principal } from '../auth/principal.ts';
import type { DocHub } from '../hub/doc-hub.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/store.ts';
import { RecordCollection } from '../workspace/record-collection.ts';
import { actorOf } from '../workspace/board-records.ts';
import type { Issue } from '../errors.ts';
import { InvalidRequestError } from '../workspace/errors.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { detectFormat, readCsv, readXlsx } from './sheet-reader.ts';

/** The mission's last confirmed mapping, offered again for the next file. */
const importMappingsCollection = 'import-mappings';
const rememberedMapping = z.object({ mapping: importMapping, savedAt: z.number(), by: z.string() });

/** Some rows are invalid: nothing was imported. Carries every reason. */
export class ImportRejectedError extends InvalidRequestError {
	constructor(invalid: number, issues: Issue[]) {
		super(`${invalid} row${invalid === 1 ? ' is' : 's are'} invalid, so nothing was imported: fix ${invalid === 1 ? 'it' : 'them'} (or leave ${invalid === 1 ? 'it' : 'them'} out) and import again`, { issues });
		this.name = 'ImportRejectedError';
	}
}

export interface UploadedFile {
	name: string;
	bytes: Uint8Array;
}

const zero = (): Record<RowAction, number> => ({ create: 0, update: 0, unchanged: 0, invalid: 0 });
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

interface Plan {
	rows: ImportRow[];
	sheets: ImportSheet[];
	creates: ImportCreate[];
	updates: ImportUpdate[];
}

export class RaidImport {
	#workspace: Workspace;
	#hub: DocHub;
	#mappings: RecordCollection<typeof rememberedMapping>;
	#now: () => number;

	constructor(options: { workspace: Workspace; hub: DocHub; store: Store; log: Logger; now?: () => number }) {
		this.#workspace = options.workspace;
		this.#hub = options.hub;
		this.#mappings = new RecordCollection(options.store, importMappingsCollection, rememberedMapping, options.log);
		this.#now = options.now ?? Date.now;
	}

	async run(principal: Principal, boardId: string, file: UploadedFile, options: { mapping?: ImportMapping; register?: RegisterName; dryRun: boolean }): Promise<ImportResult> {
		const board = await this.#workspace.requireWritableBoard(principal, boardId);
		if (file.bytes.length > importLimits.maxFileBytes) throw new InvalidRequestError(`the file is larger than ${importLimits.maxFileBytes / 1024 / 1024} MB`);
		if (file.bytes.length === 0) throw new InvalidRequestError('the file is empty');
		const format = detectFormat(file.bytes);
		const sheets = format === 'csv' ? await readCsv(file.bytes, file.name.replace(/\.[^.]*$/, '') || 'CSV') : await readXlsx(file.bytes);
		const remembered = await this.#mappings.get(board.missionId);
		const { mapping, source } = chooseMapping(sheets, options, remembered?.mapping);
		checkMapping(sheets, mapping);
		const departments = await this.#departmentResolver();
		const today = isoDateAt(this.#now());
		const base = { file: { name: file.name, format, bytes: file.bytes.length }, mapping, mappingSource: source };

		if (options.dryRun) {
			const plan = await this.#hub.withDoc(boardDocName(boardId), (shared) => planImport(shared.doc, sheets, mapping, departments, today));
			return { ...base, dryRun: true, imported: false, ...summary(plan) };
		}
		const plan = await this.#hub.transact(boardDocName(boardId), principal, (doc) => {
			const planned = planImport(doc, sheets, mapping, departments, today);
			const invalid = planned.rows.filter((row) => row.action === 'invalid');
			if (invalid.length > 0) {
				const issues = invalid.flatMap((row) => (row.issues ?? []).map((issue) => ({ path: `${row.sheet} row ${row.row}${issue.column ? `, ${issue.column}` : ''}`, message: issue.message })));
				throw new ImportRejectedError(invalid.length, issues);
			}
			const made = applyImport(doc, planned.creates, planned.updates, actorOf(principal));
			let i = 0;
			for (const row of planned.rows) if (row.action === 'create') row.ref = made[i++]?.ref;
			return planned;
		});
		await this.#mappings.update(board.missionId, () => ({ mapping, savedAt: this.#now(), by: principal.id })).then(async (updated) => {
			if (!updated) await this.#mappings.create(board.missionId, { mapping, savedAt: this.#now(), by: principal.id });
		});
		return { ...base, dryRun: false, imported: true, ...summary(plan) };
	}

	async #departmentResolver(): Promise<DepartmentResolver> {
		const departments = await this.#workspace.listDepartments({ includeArchived: true });
		const index = new Map<string, string>();
		for (const department of departments) for (const name of [department.id, department.code, department.name]) index.set(name.trim().toLowerCase(), department.id);
		return (text) => index.get(text.trim().toLowerCase());
	}
}

function chooseMapping(sheets: SheetData[], options: { mapping?: ImportMapping; register?: RegisterName }, remembered: ImportMapping | undefined): { mapping: ImportMapping; source: ImportResult['mappingSource'] } {
	if (options.mapping) return { mapping: options.mapping, source: 'request' };
	const suggested = suggestMapping(sheets, options.register);
	if (remembered) {
		// Only the sheets this file has, and only when their columns are all still there.
		const fits = sheets.filter((sheet) => remembered.sheets[sheet.name] && missingColumns(remembered.sheets[sheet.name]!, sheet.headers).length === 0);
		if (fits.length > 0) return { mapping: { sheets: { ...suggested.sheets, ...Object.fromEntries(fits.map((sheet) => [sheet.name, remembered.sheets[sheet.name]!])) } }, source: 'remembered' };
	}
	return { mapping: suggested, source: 'suggested' };
}

function checkMapping(sheets: SheetData[], mapping: ImportMapping): void {
	const issues: { path: string; message: string }[] = [];
	for (const sheet of sheets) {
		const sheetMapping = mapping.sheets[sheet.name];
		if (!sheetMapping?.register) continue;
		for (const header of missingColumns(sheetMapping, sheet.headers)) issues.push({ path: `${sheet.name}`, message: `no column "${header}" in this sheet` });
		const known = new Set(importFields[sheetMapping.register].map((field) => field.field));
		for (const field of Object.keys(sheetMapping.columns)) if (!known.has(field)) issues.push({ path: `${sheet.name}.${field}`, message: `${sheetMapping.register} have no field ${field}` });
	}
	if (issues.length > 0) throw Object.assign(new InvalidRequestError('the column mapping does not fit the file'), { issues });
}

/** Zod's path → the column the person mapped to that field. */
function columnOf(mapping: { columns: Record<string, string> }, path: string): string {
	const field = path.split('.')[0] ?? '';
	return mapping.columns[field] ?? (field ? `${field} (not mapped)` : '');
}

function planImport(doc: Y.Doc, sheets: SheetData[], mapping: ImportMapping, departments: DepartmentResolver, today: string): Plan {
	const plan: Plan = { rows: [], sheets: [], creates: [], updates: [] };
	const keys = new Map<RegisterName, Map<string, string>>();
	const seen = new Map<string, string>();
	const nextRef = new Map<RegisterName, number>();
	for (const sheet of sheets) {
		const sheetMapping = mapping.sheets[sheet.name];
		const register = sheetMapping?.register ?? null;
		const counts = zero();
		plan.sheets.push({ sheet: sheet.name, register, headers: sheet.headers, rows: sheet.rows.length, counts });
		if (!register || !sheetMapping) continue;
		if (!keys.has(register)) keys.set(register, importKeyIndex(doc, register));
		if (!nextRef.has(register)) nextRef.set(register, buildRefIndex(doc, register).max);
		for (const { row, cells } of sheet.rows) {
			const mapped = mapRow(register, sheetMapping, sheet.headers, cells, departments);
			const entry: ImportRow = { sheet: sheet.name, row, key: mapped.key, action: 'invalid' };
			const issues = [...mapped.issues];
			if (!sheetMapping.key) issues.push({ column: '', message: 'choose the key column: it tells this row apart on the next import' });
			const seenAt = mapped.key === null ? undefined : seen.get(`${register}:${mapped.key}`);
			if (seenAt) issues.push({ column: sheetMapping.key ?? '', message: `the key "${mapped.key}" is used again: first on ${seenAt}` });
			if (mapped.key !== null && !seenAt) seen.set(`${register}:${mapped.key}`, `${sheet.name} row ${row}`);
			const existingId = mapped.key === null ? undefined : keys.get(register)!.get(mapped.key);
			if (issues.length === 0) {
				if (existingId) planUpdate(doc, register, existingId, mapped.values, sheetMapping, entry, issues, plan);
				else planCreate(register, mapped.key!, mapped.values, sheetMapping, entry, issues, plan, today, nextRef);
			}
			if (issues.length > 0) {
				entry.action = 'invalid';
				entry.issues = issues;
			}
			counts[entry.action]++;
			plan.rows.push(entry);
		}
	}
	return plan;
}

function planCreate(register: RegisterName, key: string, values: Record<string, unknown>, mapping: { columns: Record<string, string> }, entry: ImportRow, issues: ImportRow['issues'] & object, plan: Plan, today: string, nextRef: Map<RegisterName, number>): void {
	const input = { ...(register === 'blockers' && values.raisedOn === undefined ? { raisedOn: today } : {}), ...values };
	const parsed = registerSchemas[register].create.safeParse(input);
	if (!parsed.success) {
		for (const issue of parsed.error.issues) {
			const path = issue.path.map(String).join('.');
			issues.push({ column: columnOf(mapping, path), message: issue.message === 'Invalid input: expected string, received undefined' || issue.message.startsWith('Invalid input: expected object') ? `${path} is required: map a column to it or fill it in` : `${path}: ${issue.message}` });
		}
		return;
	}
	const n = (nextRef.get(register) ?? 0) + 1;
	nextRef.set(register, n);
	entry.action = 'create';
	entry.ref = formatRef(register, n);
	entry.title = String((input as { title?: unknown; text?: unknown; statement?: unknown }).title ?? (input as { text?: unknown }).text ?? (input as { statement?: unknown }).statement ?? '').slice(0, 120);
	plan.creates.push({ register, key, input: input as never });
}

function planUpdate(doc: Y.Doc, register: RegisterName, id: string, values: Record<string, unknown>, mapping: { columns: Record<string, string> }, entry: ImportRow, issues: ImportRow['issues'] & object, plan: Plan): void {
	const current = readRecord(doc, register, id);
	if (!current?.ok) {
		issues.push({ column: '', message: 'the record this key imported before is stored in a malformed shape: fix it on the board first' });
		return;
	}
	const record = current.record as RecordOf<RegisterName> & Record<string, unknown>;
	entry.ref = record.ref;
	entry.title = record.title;
	const patch: Record<string, unknown> = {};
	const update: ImportUpdate = { register, id };
	const changes: string[] = [];
	for (const [field, value] of Object.entries(values)) {
		const now = field === 'owner' || field.endsWith('Owner') ? { name: (record[field] as { name: string }).name } : record[field];
		if (same(now, value)) continue;
		if (register === 'actions' && field === 'due') update.replan = { due: value as string, reason: 'RAID import' };
		else if (register === 'dependencies' && (field === 'rating' || field === 'narrative')) update.rating = { rating: (values.rating ?? record.rating) as never, narrative: String(values.narrative ?? record.narrative) };
		else if (register === 'decisions' && (field === 'text' || field === 'decidedOn')) {
			issues.push({ column: mapping.columns[field] ?? field, message: "a decision's text and date never change: correct the decision on the board" });
			return;
		} else patch[field] = field === 'owner' || field.endsWith('Owner') ? { ...(record[field] as object), ...(value as object) } : value;
		changes.push(field);
	}
	if (update.rating && !update.rating.rating) {
		issues.push({ column: mapping.columns.narrative ?? 'narrative', message: 'a narrative needs a rating: map the rating column too' });
		return;
	}
	if (Object.keys(patch).length > 0) {
		const parsed = registerSchemas[register].patch.safeParse(patch);
		if (!parsed.success) {
			for (const issue of parsed.error.issues) issues.push({ column: columnOf(mapping, issue.path.map(String).join('.')), message: issue.message });
			return;
		}
		update.patch = patch as never;
	}
	if (changes.length === 0) {
		entry.action = 'unchanged';
		return;
	}
	entry.action = 'update';
	entry.changes = changes;
	plan.updates.push(update);
}

function summary(plan: Plan): Pick<ImportResult, 'sheets' | 'totals' | 'rows'> {
	const totals = zero();
	for (const row of plan.rows) totals[row.action]++;
	return { sheets: plan.sheets, totals, rows: plan.rows };
}
