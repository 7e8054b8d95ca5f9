/**
 * Exports of a board or a mission (`backend.exports`): the registers the caller can see, with
 * the board's filters applied, as CSV, XLSX or an accessible HTML page. Records are read from
 * the live board document through the hub, so an export holds what the board shows now.
 */
import type * as Y from 'yjs';
import { listRecords, validRecords } from '#lib/board/board-doc.ts';
import { isoDateAt } from '#lib/board/dates.ts';
import { buildRefIndex } from '#lib/board/refs.ts';
import { searchableText } from '#lib/board/search-text.ts';
import { matchesFilters } from '#lib/components/board/table-model.ts';
import { exportTable, mergeTables, type ExportContext, type ExportTable } from '#lib/export/export-columns.ts';
import { filtersOf } from '#lib/export/export-query.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import { exportMediaTypes, type ExportFormat, type ExportQuery } from '#lib/protocol/exports.ts';
import { registerNames, type RecordOf, type RegisterName } from '#lib/protocol/records.ts';
import type { Principal } from '../auth/principal.ts';
import type { DocHub } from '../hub/doc-hub.ts';
import type { BoardHistory } from '../ledger/board-history.ts';
import { InvalidRequestError, NotFoundError } from '../workspace/errors.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { toCsv } from './csv-format.ts';
import { htmlDocumentCsp, renderDocument } from './html-document.ts';
import { tableHtml } from './html-format.ts';
import { toXlsx } from './xlsx-format.ts';

export interface ExportFile {
	body: string | Buffer;
	type: string;
	filename: string;
	/** HTML opens in the browser; spreadsheets download. */
	disposition: 'inline' | 'attachment';
	/** The content-security policy of an HTML file. */
	csp?: string;
}

export interface BoardTables {
	tables: ExportTable[];
	/** Records stored in a malformed shape, left out of the tables (the board shows them as errors). */
	invalid: number;
}

const slug = (text: string) => text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'export';

function filterSummary(query: ExportQuery, departmentName: (id: string) => string): string {
	const parts: string[] = [];
	if (query.search) parts.push(`text "${query.search}"`);
	if (query.department) parts.push(`department ${departmentName(query.department)}`);
	if (query.owner) parts.push(`owner ${query.owner}`);
	if (query.status) parts.push(`status ${query.status.replace(/_/g, ' ')}`);
	if (query.rating) parts.push(query.rating === 'none' ? 'not rated' : `rating ${query.rating}`);
	if (query.overdue === 'true') parts.push('late or overdue only');
	if (query.archived === 'true') parts.push('archived included');
	// The as-at moment is not a filter: it has its own line.
	return parts.length > 0 ? parts.join(', ') : 'none';
}

export class Exports {
	#workspace: Workspace;
	#hub: DocHub;
	#history: BoardHistory;
	#now: () => number;

	constructor(options: { workspace: Workspace; hub: DocHub; history: BoardHistory; now?: () => number }) {
		this.#workspace = options.workspace;
		this.#hub = options.hub;
		this.#history = options.history;
		this.#now = options.now ?? Date.now;
	}

	/**
	 * Reads the board's document now (through the hub) or, with `asAt`, as it stood then (rebuilt from
	 * the kept history, access checked by BoardHistory); derived values (overdue, days blocked) are
	 * worked out for that day.
	 */
	async #read(principal: Principal, boardId: string, query: ExportQuery, departmentName: (id: string) => string): Promise<BoardTables> {
		if (query.asAt === undefined) return this.#hub.withDoc(boardDocName(boardId), (shared) => this.#tablesOf(shared.doc, query, departmentName, isoDateAt(this.#now())));
		const doc = await this.#history.boardAsAt(principal, boardId, query.asAt);
		return this.#tablesOf(doc, query, departmentName, isoDateAt(query.asAt));
	}

	async #departmentNames(): Promise<(id: string) => string> {
		const names = new Map((await this.#workspace.listDepartments({ includeArchived: true })).map((d) => [d.id, d.name]));
		return (id) => names.get(id) ?? id;
	}

	#tablesOf(doc: Y.Doc, query: ExportQuery, departmentName: (id: string) => string, today: string): BoardTables {
		const filters = filtersOf(query);
		const search = filters.search.trim().toLowerCase();
		const refs = new Map<string, string>();
		for (const register of registerNames) for (const [id, info] of buildRefIndex(doc, register).byId) refs.set(id, info.ref);
		const context: ExportContext = { today, departmentName, refOf: (id) => refs.get(id) };
		let invalid = 0;
		const tables = (query.register ? [query.register] : registerNames).map(<R extends RegisterName>(register: R) => {
			const results = listRecords(doc, register, { includeArchived: filters.showArchived });
			invalid += results.filter((result) => !result.ok).length;
			const records = validRecords(results).filter((record: RecordOf<R>) => matchesFilters(record, search, search ? searchableText(record) : '', filters, { today }));
			return exportTable(register, records, context);
		});
		return { tables, invalid };
	}

	/** The board's registers as tables, for the caller (404 if they cannot see the board). */
	async boardTables(principal: Principal, boardId: string, query: ExportQuery): Promise<BoardTables & { title: string }> {
		const { board } = await this.#workspace.resolveBoard(principal, boardId);
		const departmentName = await this.#departmentNames();
		const tables = await this.#read(principal, board.id, query, departmentName);
		return { ...tables, title: board.title };
	}

	async board(principal: Principal, boardId: string, format: ExportFormat, query: ExportQuery): Promise<ExportFile> {
		requireRegisterForCsv(format, query);
		const { tables, invalid, title } = await this.boardTables(principal, boardId, query);
		const departmentName = await this.#departmentNames();
		return this.#render(format, tables, { title, subject: 'Board', principal, query, invalid, departmentName });
	}

	/** Every board of the mission the caller can see, one sheet (or table) per register with a Board column. */
	async mission(principal: Principal, missionId: string, format: ExportFormat, query: ExportQuery): Promise<ExportFile> {
		requireRegisterForCsv(format, query);
		const mission = await this.#workspace.getMission(principal, missionId, { includeArchived: query.archived === 'true' });
		const departmentName = await this.#departmentNames();
		const perBoard: { board: string; tables: ExportTable[] }[] = [];
		let invalid = 0;
		for (const board of mission.boards) {
			// As at a moment before a board existed, that board is simply not in the export.
			if (query.asAt !== undefined && query.asAt < board.createdAt) continue;
			const read = await this.#read(principal, board.id, query, departmentName).catch((error: unknown) => {
				if (error instanceof NotFoundError && query.asAt !== undefined) return undefined;
				throw error;
			});
			if (!read) continue;
			invalid += read.invalid;
			perBoard.push({ board: board.title, tables: read.tables });
		}
		const registers = query.register ? [query.register] : registerNames;
		const tables = registers.map((register, i) => mergeTables(perBoard.map(({ board, tables }) => ({ board, table: tables[i]! })), register));
		return this.#render(format, tables, { title: mission.title, subject: 'Mission', principal, query, invalid, departmentName });
	}

	async #render(
		format: ExportFormat,
		tables: ExportTable[],
		info: { title: string; subject: 'Board' | 'Mission'; principal: Principal; query: ExportQuery; invalid: number; departmentName: (id: string) => string }
	): Promise<ExportFile> {
		const now = this.#now();
		const asAt = info.query.asAt;
		const today = isoDateAt(now);
		const name = `${slug(info.title)}-${info.query.register ?? info.subject.toLowerCase()}-${asAt === undefined ? today : `as-at-${new Date(asAt).toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-')}`}`;
		const title = asAt === undefined ? info.title : `${info.title} (as at ${utcMinute(asAt)})`;
		switch (format) {
			case 'csv':
				return { body: await toCsv(tables[0]!), type: exportMediaTypes.csv, filename: `${name}.csv`, disposition: 'attachment' };
			case 'xlsx': {
				const body = await toXlsx(tables, { title, creator: info.principal.name, created: new Date(now) });
				return { body, type: exportMediaTypes.xlsx, filename: `${name}.xlsx`, disposition: 'attachment' };
			}
			case 'html': {
				const meta: [string, string][] = [
					[info.subject, info.title],
					...(asAt === undefined ? [] : [['As at', `${utcMinute(asAt)} (as the board stood then; not live)`] as [string, string]]),
					['Filters', filterSummary(info.query, info.departmentName)],
					['Exported', `${utcMinute(now)} by ${info.principal.name}`]
				];
				if (info.invalid > 0) meta.push(['Left out', `${info.invalid} record${info.invalid === 1 ? '' : 's'} stored in a malformed shape (see the board)`]);
				const body = tables.map((table) => tableHtml(table)).join('\n');
				return { body: renderDocument({ title: `${title}: ${tables.length === 1 ? tables[0]!.title : 'export'}`, meta, body }), type: exportMediaTypes.html, filename: `${name}.html`, disposition: 'inline', csp: htmlDocumentCsp };
			}
		}
	}
}

const utcMinute = (at: number) => `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

function requireRegisterForCsv(format: ExportFormat, query: ExportQuery): void {
	if (format === 'csv' && !query.register) throw new InvalidRequestError('a CSV file holds one register: add ?register=dependencies (or blockers, actions, decisions, risks, assumptions)');
}
