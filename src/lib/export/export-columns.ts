/**
 * What an export holds: per register, the columns (header, cell kind, width) and how each cell
 * is read from a validated record. One table model feeds CSV, XLSX and the HTML page, so the
 * three formats always say the same thing. Owners and departments are names, ratings and
 * statuses are words, dates are ISO dates; derived values (slip, days blocked, overdue) are
 * computed here, never read from the document.
 */
import {
	actionSlipCount,
	daysBlocked,
	dependencySlip,
	escalationReached,
	isActionOverdue,
	isBlockerOverdue,
	isDependencyLate
} from '../board/derived.ts';
import type { IsoDate, Person } from '../protocol/record-fields.ts';
import { ratingInfo } from '../protocol/ratings.ts';
import type { RecordOf, RegisterName } from '../protocol/records.ts';
import { escalationLevelLabels, registerNames } from '../protocol/registers.ts';
import { registerTitles, riskLevelLabels, severityLabels, statusLabel } from '../components/board/labels.ts';
import { isAssumptionOverdue, isRiskDue, riskScore } from '../board/raid-derived.ts';

/** `date` is `yyyy-mm-dd`; `datetime` is epoch ms (shown as an ISO instant). */
export type CellKind = 'text' | 'number' | 'date' | 'datetime';
export type CellValue = string | number | null;

export interface ExportContext {
	today: IsoDate;
	departmentName(id: string): string;
	/** The current ref of a record on the same board, by id. */
	refOf(id: string): string | undefined;
}

interface ColumnSpec<R extends RegisterName> {
	header: string;
	kind: CellKind;
	/** Character width in a spreadsheet. */
	width: number;
	value(record: RecordOf<R>, context: ExportContext): CellValue;
}

export type ExportColumn = Omit<ColumnSpec<RegisterName>, 'value'>;

/** One register as rows of cells, ready for any format. */
export interface ExportTable {
	register: RegisterName;
	title: string;
	columns: ExportColumn[];
	rows: CellValue[][];
}

const names = (people: readonly Person[]) => people.map((p) => p.name).join('; ');
const yesNo = (value: boolean) => (value ? 'Yes' : 'No');
const departmentNames = (ids: readonly string[], context: ExportContext) => ids.map((id) => context.departmentName(id)).join('; ');
const refsOf = (links: readonly { id: string }[], context: ExportContext) =>
	links.map((link) => context.refOf(link.id) ?? link.id).join('; ');

function column<R extends RegisterName>(header: string, kind: CellKind, width: number, value: ColumnSpec<R>['value']): ColumnSpec<R> {
	return { header, kind, width, value };
}

function common<R extends RegisterName>(): { head: ColumnSpec<R>[]; tail: ColumnSpec<R>[] } {
	return {
		head: [column<R>('Ref', 'text', 9, (r) => r.ref), column<R>('Title', 'text', 40, (r) => r.title)],
		tail: [
			column<R>('Owner', 'text', 20, (r) => r.owner.name),
			column<R>('Departments', 'text', 28, (r, c) => departmentNames(r.departments, c)),
			column<R>('Description', 'text', 40, (r) => r.description),
			column<R>('Links', 'text', 16, (r, c) => refsOf(r.links, c)),
			column<R>('Comments', 'number', 10, (r) => r.comments.length),
			column<R>('Created by', 'text', 18, (r) => r.createdBy.name),
			column<R>('Created at', 'datetime', 20, (r) => r.createdAt),
			column<R>('Updated by', 'text', 18, (r) => r.updatedBy.name),
			column<R>('Updated at', 'datetime', 20, (r) => r.updatedAt),
			column<R>('Archived', 'text', 9, (r) => yesNo(r.archived))
		]
	};
}

function dependencyColumns(): ColumnSpec<'dependencies'>[] {
	const { head, tail } = common<'dependencies'>();
	return [
		...head,
		column('Provider department', 'text', 24, (r, c) => c.departmentName(r.providerDepartment)),
		column('Provider owner', 'text', 20, (r) => r.providerOwner.name),
		column('Receiver department', 'text', 24, (r, c) => c.departmentName(r.receiverDepartment)),
		column('Receiver owner', 'text', 20, (r) => r.receiverOwner.name),
		column('Deliverable', 'text', 40, (r) => r.deliverable),
		column('Done criteria', 'text', 30, (r) => r.doneCriteria),
		column('Status', 'text', 12, (r) => statusLabel(r.status)),
		column('Confidence', 'text', 13, (r) => (r.rating ? ratingInfo(r.rating).label : 'Not rated')),
		column('Narrative', 'text', 40, (r) => r.narrative),
		column('Needed by', 'date', 12, (r) => r.neededBy),
		column('Committed', 'date', 12, (r) => r.committed),
		column('Forecast', 'date', 12, (r) => r.forecast),
		column('Slip (days)', 'number', 11, (r) => dependencySlip(r).slipDays),
		column('Late', 'text', 8, (r, c) => yesNo(isDependencyLate(r, c.today) || dependencySlip(r).forecastLate)),
		column('Impact if missed', 'text', 30, (r) => r.impact),
		...tail
	];
}

function blockerColumns(): ColumnSpec<'blockers'>[] {
	const { head, tail } = common<'blockers'>();
	return [
		...head,
		column('Unblocker', 'text', 24, (r) => r.unblocker),
		column('Ask', 'text', 40, (r) => r.ask),
		column('Severity', 'text', 10, (r) => severityLabels[r.severity]),
		column('Status', 'text', 12, (r) => statusLabel(r.status)),
		column('Raised on', 'date', 12, (r) => r.raisedOn),
		column('Days blocked', 'number', 12, (r, c) => daysBlocked(r, c.today)),
		column('Target resolution', 'date', 14, (r) => r.targetResolution),
		column('Past target', 'text', 10, (r, c) => yesNo(isBlockerOverdue(r, c.today))),
		column('Escalated to', 'text', 24, (r) => {
			const level = escalationReached(r);
			return level ? escalationLevelLabels[level] : '';
		}),
		column('Escalations', 'number', 11, (r) => r.escalations.length),
		column('Blocks', 'text', 16, (r, c) => refsOf(r.blocks, c)),
		...tail
	];
}

function actionColumns(): ColumnSpec<'actions'>[] {
	const { head, tail } = common<'actions'>();
	return [
		...head,
		column('Action', 'text', 40, (r) => r.text),
		column('Status', 'text', 10, (r) => statusLabel(r.status)),
		column('Due', 'date', 12, (r) => r.due),
		column('Original due', 'date', 12, (r) => r.originalDue),
		column('Re-plans', 'number', 9, (r) => actionSlipCount(r)),
		column('Overdue', 'text', 9, (r, c) => yesNo(isActionOverdue(r, c.today))),
		column('Meeting', 'text', 24, (r) => r.meeting?.title ?? ''),
		column('Meeting date', 'date', 12, (r) => r.meeting?.date ?? null),
		...tail
	];
}

function decisionColumns(): ColumnSpec<'decisions'>[] {
	const { head, tail } = common<'decisions'>();
	return [
		...head,
		column('Decision', 'text', 40, (r) => r.text),
		column('Decided on', 'date', 12, (r) => r.decidedOn),
		column('Forum', 'text', 20, (r) => r.forum),
		column('Decision-makers', 'text', 28, (r) => names(r.decisionMakers)),
		column('Rationale', 'text', 40, (r) => r.rationale),
		column('Status', 'text', 11, (r) => statusLabel(r.status)),
		column('Supersedes', 'text', 11, (r, c) => (r.supersedes ? (c.refOf(r.supersedes) ?? r.supersedes) : '')),
		column('Created actions', 'text', 16, (r, c) => refsOf(r.createdActions, c)),
		...tail
	];
}

function riskColumns(): ColumnSpec<'risks'>[] {
	const { head, tail } = common<'risks'>();
	return [
		...head,
		column('Cause', 'text', 30, (r) => r.cause),
		column('Event', 'text', 30, (r) => r.event),
		column('Effect', 'text', 30, (r) => r.effect),
		column('Likelihood', 'text', 11, (r) => riskLevelLabels[r.likelihood]),
		column('Impact', 'text', 11, (r) => riskLevelLabels[r.impact]),
		column('Score', 'number', 7, (r) => riskScore(r)),
		column('Proximity', 'date', 12, (r) => r.proximity),
		column('Mitigations', 'text', 40, (r) => r.mitigations),
		column('Status', 'text', 11, (r) => statusLabel(r.status)),
		column('Proximity reached', 'text', 10, (r, c) => yesNo(isRiskDue(r, c.today))),
		...tail
	];
}

function assumptionColumns(): ColumnSpec<'assumptions'>[] {
	const { head, tail } = common<'assumptions'>();
	return [
		...head,
		column('Statement', 'text', 40, (r) => r.statement),
		column('Validation date', 'date', 13, (r) => r.validationDate),
		column('Status', 'text', 16, (r) => statusLabel(r.status)),
		column('Past validation date', 'text', 10, (r, c) => yesNo(isAssumptionOverdue(r, c.today))),
		...tail
	];
}

const columnSpecs: { [R in RegisterName]: () => ColumnSpec<R>[] } = {
	dependencies: dependencyColumns,
	blockers: blockerColumns,
	actions: actionColumns,
	decisions: decisionColumns,
	risks: riskColumns,
	assumptions: assumptionColumns
};

/** The registers an export holds, in board order. */
export const exportRegisters: readonly RegisterName[] = registerNames;

/** One register's records as a table. */
export function exportTable<R extends RegisterName>(register: R, records: readonly RecordOf<R>[], context: ExportContext): ExportTable {
	const specs = columnSpecs[register]();
	return {
		register,
		title: registerTitles[register],
		columns: specs.map(({ header, kind, width }) => ({ header, kind, width })),
		rows: records.map((record) => specs.map((spec) => spec.value(record, context)))
	};
}

/** Tables of several boards in one: a leading Board column says where each row comes from. */
export function mergeTables(parts: readonly { board: string; table: ExportTable }[], register: RegisterName): ExportTable {
	const first = parts[0]?.table ?? exportTable(register, [], { today: '1970-01-01', departmentName: (id) => id, refOf: () => undefined });
	return {
		register,
		title: first.title,
		columns: [{ header: 'Board', kind: 'text', width: 24 }, ...first.columns],
		rows: parts.flatMap(({ board, table }) => table.rows.map((row) => [board, ...row]))
	};
}
