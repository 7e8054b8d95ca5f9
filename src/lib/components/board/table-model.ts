/**
 * The registers as tables: columns, sort keys, filters and derived flags. Pure functions over
 * validated records, so the table component only lays things out.
 */
import {
	daysBlocked,
	escalationReached,
	isActionOverdue,
	isBlockerOverdue,
	isStale,
	actionSlipCount
} from '../../board/derived.ts';
import { dependencyEvidence, signalSlipDays } from '../../board/signals.ts';
import { isAssumptionOverdue, isRiskDue, riskScore } from '../../board/raid-derived.ts';
import { ratingBand, ratingInfo, type RatingBand } from '../../protocol/ratings.ts';
import type { BoardRecord, RecordOf } from '../../protocol/records.ts';
import { escalationLevels, riskLevels, severities, type RegisterName } from '../../protocol/registers.ts';
import type { RecordEntry } from '../../collab/register-view.svelte.ts';
import type { PeopleIndex } from './people.ts';
import { dateFormat, type DateFormat } from '../../date-format.ts';
import { statusesOf, statusLabel } from './labels.ts';

export type TableContext = { today: string; now: number; staleAfterDays: number };

/** What every register's cells component takes (`cells/*-cells.svelte`): it renders `columns` in their order. */
export type CellsProps<R extends RegisterName> = {
	record: RecordOf<R>;
	columns: readonly Column[];
	tabindex: number;
	stale: boolean;
	people: PeopleIndex;
	onopen: () => void;
};

export type ColumnKey =
	| 'ref'
	| 'title'
	| 'parties'
	| 'owner'
	| 'status'
	| 'rating'
	| 'neededBy'
	| 'forecast'
	| 'slip'
	| 'unblocker'
	| 'severity'
	| 'daysBlocked'
	| 'target'
	| 'escalation'
	| 'due'
	| 'slips'
	| 'meeting'
	| 'decidedOn'
	| 'forum'
	| 'makers'
	| 'likelihood'
	| 'impact'
	| 'score'
	| 'proximity'
	| 'validationDate'
	| 'updated';

/** `width` in rem; the title column (null) takes what is left. */
export type Column = { key: ColumnKey; label: string; width: number | null };

/**
 * What a column holds, which decides its width: the title takes what is left; a date is as wide as the
 * longest date in the workspace's locale; a department pair as wide as the board's longest codes; a
 * choice (a status select) as its longest word; anything else has a width known to fit its content.
 */
type ColumnContent =
	| { kind: 'title' }
	| { kind: 'date' }
	| { kind: 'departments' }
	| { kind: 'choice'; words: readonly string[] }
	| { kind: 'fixed'; rem: number };
type ColumnSpec = { key: ColumnKey; label: string; content: ColumnContent };

const spec = (key: ColumnKey, label: string, content: ColumnContent): ColumnSpec => ({ key, label, content });
const fixed = (rem: number): ColumnContent => ({ kind: 'fixed', rem });
const title: ColumnContent = { kind: 'title' };
const date: ColumnContent = { kind: 'date' };
/**
 * An owner's name wraps to two lines (`owner-cell.svelte`): 10.5 rem holds two names of about
 * eighteen characters each ("Alexandra Featherstonehaugh").
 */
const owner: ColumnContent = fixed(10.5);
const statusWords = (register: RegisterName): ColumnContent => ({ kind: 'choice', words: statusesOf[register].map(statusLabel) });

const specs = {
	dependencies: [
		spec('ref', 'Ref', fixed(5.25)),
		spec('title', 'Dependency', title),
		spec('parties', 'From → to', { kind: 'departments' }),
		spec('owner', 'Owner', owner),
		spec('status', 'Status', statusWords('dependencies')),
		spec('rating', 'Confidence', fixed(8.5)),
		spec('neededBy', 'Needed by', date),
		spec('forecast', 'Forecast', date),
		spec('slip', 'Slip', fixed(8.75)),
		spec('updated', 'Updated', fixed(9))
	],
	blockers: [
		spec('ref', 'Ref', fixed(5.25)),
		spec('title', 'Blocker', title),
		spec('owner', 'Owner', owner),
		spec('unblocker', 'Unblocker', fixed(9.25)),
		spec('severity', 'Severity', fixed(6.25)),
		spec('status', 'Status', statusWords('blockers')),
		spec('daysBlocked', 'Blocked', fixed(6.25)),
		spec('target', 'Target', date),
		spec('escalation', 'Escalated to', fixed(9.25)),
		spec('updated', 'Updated', fixed(9))
	],
	actions: [
		spec('ref', 'Ref', fixed(5.25)),
		spec('title', 'Action', title),
		spec('owner', 'Owner', owner),
		spec('due', 'Due', date),
		spec('slips', 'Slips', fixed(4.5)),
		spec('status', 'Status', statusWords('actions')),
		spec('meeting', 'From meeting', fixed(9.25)),
		spec('updated', 'Updated', fixed(9))
	],
	decisions: [
		spec('ref', 'Ref', fixed(5.25)),
		spec('title', 'Decision', title),
		spec('decidedOn', 'Decided', date),
		spec('forum', 'Forum', fixed(9.25)),
		spec('makers', 'Decision-makers', fixed(12)),
		spec('status', 'Status', fixed(7.5)),
		spec('updated', 'Updated', fixed(9))
	],
	risks: [
		spec('ref', 'Ref', fixed(5.25)),
		spec('title', 'Risk', title),
		spec('owner', 'Owner', owner),
		spec('likelihood', 'Likelihood', fixed(7.5)),
		spec('impact', 'Impact', fixed(7.5)),
		spec('score', 'Score', fixed(5)),
		spec('proximity', 'Proximity', date),
		spec('status', 'Status', statusWords('risks')),
		spec('updated', 'Updated', fixed(9))
	],
	assumptions: [
		spec('ref', 'Ref', fixed(5.25)),
		spec('title', 'Assumption', title),
		spec('owner', 'Owner', owner),
		spec('validationDate', 'Validate by', date),
		spec('status', 'Status', statusWords('assumptions')),
		spec('updated', 'Updated', fixed(9))
	]
} as const satisfies Record<RegisterName, readonly ColumnSpec[]>;

/** Narrowest the title column gets before the table scrolls sideways, in rem (two lines of it show). */
export const minTitleRem = 14;

/**
 * Widths of text in rem, generous enough for the app's sans-serif (measured in Chromium at 1440 px): an
 * average glyph is about 0.55 em, a date's (bold when late) 0.57 em, a bold upper-case code 0.75 em, the
 * upper-case header 0.68 em; cells have 0.6 rem padding either side.
 */
const measure = {
	glyphEm: 0.55,
	dateGlyphEm: 0.57,
	codeGlyphEm: 0.75,
	headerGlyphEm: 0.68,
	cellFontRem: 0.875,
	selectFontRem: 0.85,
	codeFontRem: 0.8,
	headerFontRem: 0.78,
	cellPaddingRem: 1.2,
	/** The date overlay's insets: 0.4 rem before, 1.3 rem for the picker's icon. */
	dateChromeRem: 1.7,
	/** A select's own padding and arrow. */
	selectChromeRem: 2.2,
	/** The arrow between two department codes and its gaps. */
	pairArrowRem: 1.4,
	/** The sort mark beside a header. */
	sortMarkRem: 0.9,
	/** Department codes longer than this are cut (the cell's title gives both names in full). */
	maxCodeChars: 8
} as const;

const textRem = (chars: number, fontRem: number, glyphEm: number = measure.glyphEm) => chars * fontRem * glyphEm;
const roundRem = (rem: number) => Math.ceil(rem * 4) / 4;

/** The longest date the table writes (with its year) in the workspace's locale, in characters. */
function longestDateChars(dates: DateFormat): number {
	let longest = 0;
	for (let month = 1; month <= 12; month++) longest = Math.max(longest, dates.day(`2026-${String(month).padStart(2, '0')}-28`, 'medium').length);
	return longest;
}

/** What the board gives column widths to measure: the codes of the departments it names, and the workspace's date formatter. */
export type ColumnMeasures = { departmentCodes: readonly string[]; dates?: DateFormat };

const defaultDates = dateFormat(undefined);

function contentWidth(content: ColumnContent, measures: ColumnMeasures): number | null {
	switch (content.kind) {
		case 'title':
			return null;
		case 'fixed':
			return content.rem;
		case 'date':
			return textRem(longestDateChars(measures.dates ?? defaultDates), measure.cellFontRem, measure.dateGlyphEm) + measure.dateChromeRem + measure.cellPaddingRem;

		case 'choice':
			return textRem(Math.max(...content.words.map((word) => word.length)), measure.selectFontRem) + measure.selectChromeRem + measure.cellPaddingRem;
		case 'departments': {
			const chars = Math.min(measure.maxCodeChars, Math.max(3, ...measures.departmentCodes.map((code) => code.length)));
			return 2 * textRem(chars, measure.codeFontRem, measure.codeGlyphEm) + measure.pairArrowRem + measure.cellPaddingRem;
		}
	}
}

function headerWidth(label: string): number {
	return textRem(label.length, measure.headerFontRem, measure.headerGlyphEm) + measure.sortMarkRem + measure.cellPaddingRem;
}

function widthOf(column: ColumnSpec, measures: ColumnMeasures): number | null {
	const content = contentWidth(column.content, measures);
	return content === null ? null : roundRem(Math.max(content, headerWidth(column.label)));
}

/** The table's minimum width in rem: every fixed column plus a readable title. */
export function minTableWidth(list: readonly Column[]): number {
	return list.reduce((sum, column) => sum + (column.width ?? minTitleRem), 0);
}

/** The columns kept when the detail panel takes half the width. */
const compactKeys: Record<RegisterName, readonly ColumnKey[]> = {
	dependencies: ['ref', 'title', 'status', 'rating', 'slip'],
	blockers: ['ref', 'title', 'severity', 'status', 'daysBlocked'],
	actions: ['ref', 'title', 'owner', 'due', 'status'],
	decisions: ['ref', 'title', 'decidedOn', 'status'],
	risks: ['ref', 'title', 'score', 'status'],
	assumptions: ['ref', 'title', 'validationDate', 'status']
};

/** A register's columns, each as wide as what it holds (dates in the workspace's locale, the board's department codes). */
export function columnsFor(register: RegisterName, compact: boolean, measures: ColumnMeasures = { departmentCodes: [] }): readonly Column[] {
	const all: readonly ColumnSpec[] = specs[register];
	const shown = compact ? all.filter((column) => compactKeys[register].includes(column.key)) : all;
	return shown.map((column) => ({ key: column.key, label: column.label, width: widthOf(column, measures) }));
}

export type SortDirection = 'ascending' | 'descending';

/** Columns where a bigger value is worse (slip, severity, days blocked…): the first click sorts worst first. */
const worstFirstColumns: ReadonlySet<ColumnKey> = new Set<ColumnKey>(['slip', 'rating', 'severity', 'daysBlocked', 'escalation', 'slips', 'score', 'likelihood', 'impact']);

export function firstSortDirection(key: ColumnKey): SortDirection {
	return worstFirstColumns.has(key) ? 'descending' : 'ascending';
}
export type SortState = { key: ColumnKey; direction: SortDirection };
export const defaultSort: SortState = { key: 'ref', direction: 'ascending' };

type SortValue = string | number | null;

function refNumber(ref: string): number {
	return Number(ref.slice(ref.indexOf('-') + 1)) || 0;
}

/** The value a column sorts by; null sorts last whatever the direction. */
export function sortValue(record: BoardRecord, key: ColumnKey, context: TableContext): SortValue {
	switch (key) {
		case 'ref':
			return refNumber(record.ref);
		case 'title':
			return record.title.toLowerCase();
		case 'owner':
			return record.owner.name.toLowerCase();
		case 'status':
			return record.status;
		case 'updated':
			return record.updatedAt;
	}
	switch (record.register) {
		case 'dependencies':
			if (key === 'parties') return `${record.providerDepartment}>${record.receiverDepartment}`;
			if (key === 'rating') return record.rating ? ratingInfo(record.rating).severity : null;
			if (key === 'neededBy') return record.neededBy;
			if (key === 'forecast') return record.forecast;
			if (key === 'slip') return signalSlipDays(record, context.today);
			return null;
		case 'blockers':
			if (key === 'unblocker') return record.unblocker.toLowerCase();
			if (key === 'severity') return severities.indexOf(record.severity);
			if (key === 'daysBlocked') return daysBlocked(record, context.today);
			if (key === 'target') return record.targetResolution;
			if (key === 'escalation') {
				const level = escalationReached(record);
				return level ? escalationLevels.indexOf(level) : null;
			}
			return null;
		case 'actions':
			if (key === 'due') return record.due;
			if (key === 'slips') return actionSlipCount(record);
			if (key === 'meeting') return record.meeting?.date ?? null;
			return null;
		case 'decisions':
			if (key === 'decidedOn') return record.decidedOn;
			if (key === 'forum') return record.forum.toLowerCase();
			if (key === 'makers') return record.decisionMakers.map((p) => p.name).join(', ').toLowerCase();
			return null;
		case 'risks':
			if (key === 'likelihood') return riskLevels.indexOf(record.likelihood);
			if (key === 'impact') return riskLevels.indexOf(record.impact);
			if (key === 'score') return riskScore(record);
			if (key === 'proximity') return record.proximity;
			return null;
		case 'assumptions':
			if (key === 'validationDate') return record.validationDate;
			return null;
	}
}

export type Filters = {
	search: string;
	department: string;
	owner: string;
	status: string;
	/** Dependencies only: a rating band, or "none" for unrated. */
	rating: '' | RatingBand | 'none';
	overdueOnly: boolean;
	showArchived: boolean;
};

export const emptyFilters: Filters = {
	search: '',
	department: '',
	owner: '',
	status: '',
	rating: '',
	overdueOnly: false,
	showArchived: false
};

/** What "overdue" means in each register (decisions are never overdue). */
export const overdueLabels = {
	dependencies: 'Late or forecast late',
	blockers: 'Past target date',
	actions: 'Overdue',
	decisions: undefined,
	risks: 'Proximity reached',
	assumptions: 'Past validation date'
} as const satisfies Record<RegisterName, string | undefined>;

export function isOverdue(record: BoardRecord, today: string): boolean {
	switch (record.register) {
		case 'dependencies':
			return dependencyEvidence(record, today).some((flag) => flag.kind === 'past_needed_by' || flag.kind === 'marked_late' || flag.kind === 'forecast_late' || flag.kind === 'forecast_passed');
		case 'blockers':
			return isBlockerOverdue(record, today);
		case 'actions':
			return isActionOverdue(record, today);
		case 'decisions':
			return false;
		case 'risks':
			return isRiskDue(record, today);
		case 'assumptions':
			return isAssumptionOverdue(record, today);
	}
}

export function isStaleRecord(record: BoardRecord, context: TableContext): boolean {
	return isStale(record, context.now, context.staleAfterDays);
}

/** Whether a record passes the filters; `search` is lower-cased, `searchText` the record's (see search-text.ts). */
export function matchesFilters(record: BoardRecord, search: string, searchText: string, filters: Filters, context: Pick<TableContext, 'today'>): boolean {
	if (record.archived && !filters.showArchived) return false;
	if (filters.department && !record.departments.includes(filters.department)) return false;
	if (filters.owner && record.owner.name !== filters.owner) return false;
	if (filters.status && record.status !== filters.status) return false;
	if (filters.rating && record.register === 'dependencies') {
		if (filters.rating === 'none' ? record.rating !== null : record.rating === null || ratingBand(record.rating) !== filters.rating) return false;
	}
	if (filters.overdueOnly && !isOverdue(record, context.today)) return false;
	if (search && !searchText.includes(search)) return false;
	return true;
}

export function hasFilters(filters: Filters): boolean {
	return Boolean(filters.search.trim() || filters.department || filters.owner || filters.status || filters.rating || filters.overdueOnly);
}

/**
 * The rows to show, filtered and sorted. Records that fail validation are always shown first,
 * whatever the filters, so a broken record is seen and fixed rather than silently hidden.
 *
 * Unfiltered and in ref order (how a board opens) nothing needs validating: the order comes from
 * the ref index, and only the rows on screen are read. Invalid records then show in ref order.
 */
export function visibleEntries<R extends RegisterName>(
	entries: readonly RecordEntry<R>[],
	filters: Filters,
	sort: SortState,
	context: TableContext
): RecordEntry<R>[] {
	if (sort.key === 'ref' && !hasFilters(filters)) {
		const sign = sort.direction === 'ascending' ? 1 : -1;
		const shown = filters.showArchived ? [...entries] : entries.filter((entry) => !entry.archivedFlag);
		return shown.sort((a, b) => (a.refNumber - b.refNumber) * sign);
	}
	const search = filters.search.trim().toLowerCase();
	const invalid: RecordEntry<R>[] = [];
	const rows: { entry: RecordEntry<R>; value: SortValue; ref: number }[] = [];
	for (const entry of entries) {
		const result = entry.peek();
		if (!result.ok) {
			invalid.push(entry);
			continue;
		}
		const record = result.record as RecordOf<R>;
		if (!matchesFilters(record, search, entry.searchText, filters, context)) continue;
		rows.push({ entry, value: sortValue(record, sort.key, context), ref: refNumber(record.ref) });
	}
	const sign = sort.direction === 'ascending' ? 1 : -1;
	rows.sort((a, b) => {
		if (a.value === b.value) return a.ref - b.ref;
		if (a.value === null) return 1;
		if (b.value === null) return -1;
		return (a.value < b.value ? -1 : 1) * sign;
	});
	invalid.sort((a, b) => (a.id < b.id ? -1 : 1));
	return [...invalid, ...rows.map((row) => row.entry)];
}

/** Distinct owner names of a register, for the owner filter. */
export function ownerNames(entries: readonly RecordEntry[]): string[] {
	const names = new Set<string>();
	for (const entry of entries) {
		const result = entry.peek();
		if (result.ok) names.add(result.record.owner.name);
	}
	return [...names].sort((a, b) => a.localeCompare(b));
}
