/**
 * Reading one spreadsheet cell as one of our field kinds. Formulas are never evaluated: a
 * formula cell gives the value the spreadsheet saved with it, or an error when it saved none.
 * Dates are read in three written forms (2026-03-01, 01/03/2026 as day/month/year, 1 Mar 2026)
 * and as spreadsheet dates.
 */
import { isoDate, type IsoDate, type Person } from '../protocol/record-fields.ts';
import { ratingLevelInfo, ratingLevels, type RatingLevel } from '../protocol/ratings.ts';
import { riskLevels, severities, type RiskLevel, type Severity } from '../protocol/registers.ts';
import { statusLabels } from '../components/board/labels.ts';

/** A cell as the sheet reader gives it. */
export type SheetCell = string | number | boolean | Date | null | { formula: string; result: string | number | boolean | Date | null };

export class CellError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'CellError';
	}
}

/** The plain value of a cell: a formula's saved result, never a computed one. */
export function plainValue(cell: SheetCell): string | number | boolean | Date | null {
	if (cell !== null && typeof cell === 'object' && !(cell instanceof Date)) {
		if (cell.result === null || cell.result === undefined) throw new CellError(`holds the formula =${cell.formula.slice(0, 60)} with no saved value; formulas are never evaluated, so paste the values instead`);
		return cell.result;
	}
	return cell;
}

export function isBlank(cell: SheetCell): boolean {
	if (cell === null) return true;
	if (typeof cell === 'string') return cell.trim() === '';
	return false;
}

const isoOf = (date: Date) => date.toISOString().slice(0, 10);

export function cellText(cell: SheetCell): string {
	const value = plainValue(cell);
	if (value === null) return '';
	if (value instanceof Date) return isoOf(value);
	return String(value).trim();
}

const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function checked(year: number, month: number, day: number): IsoDate {
	const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
	if (!isoDate.safeParse(text).success) throw new CellError(`${text} is not a calendar date`);
	return text;
}

/** Excel's day 1 is 1900-01-01 (with its 1900 leap-year bug): serial 25569 is 1970-01-01. */
const excelEpochSerial = 25_569;

export function cellDate(cell: SheetCell): IsoDate {
	const value = plainValue(cell);
	if (value instanceof Date) {
		if (Number.isNaN(value.getTime())) throw new CellError('is not a valid date');
		return isoOf(value);
	}
	if (typeof value === 'number' && Number.isInteger(value) && value > 20_000 && value < 80_000) return isoOf(new Date((value - excelEpochSerial) * 86_400_000));
	const text = cellText(cell);
	let match = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(text);
	if (match) return checked(Number(match[1]), Number(match[2]), Number(match[3]));
	match = /^(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})$/.exec(text);
	if (match) {
		const year = match[3]!.length === 2 ? 2000 + Number(match[3]) : Number(match[3]);
		return checked(year, Number(match[2]), Number(match[1]));
	}
	match = /^(\d{1,2})[\s-]+([A-Za-z]{3,9})\.?[\s-,]+(\d{4})$/.exec(text);
	if (match) {
		const month = months.indexOf(match[2]!.slice(0, 3).toLowerCase());
		if (month >= 0) return checked(Number(match[3]), month + 1, Number(match[1]));
	}
	throw new CellError(`"${text.slice(0, 40)}" is not a date: write 2026-03-01, 01/03/2026 (day/month/year) or 1 Mar 2026`);
}

export function cellPerson(cell: SheetCell): Person {
	const name = cellText(cell).replace(/\s+/g, ' ');
	if (name.length > 120) throw new CellError('a name is at most 120 characters');
	return { name };
}

export function cellList(cell: SheetCell): string[] {
	return [...new Set(cellText(cell).split(/[;\n,]/).map((part) => part.trim().replace(/\s+/g, ' ')).filter(Boolean))];
}

const key = (text: string) => text.trim().toLowerCase().replace(/[\s/-]+/g, '_');

/** A status key from a key or its label ("At risk" → at_risk), checked against the register's statuses. */
export function cellStatus(cell: SheetCell, allowed: readonly string[]): string {
	const text = cellText(cell);
	const wanted = key(text);
	const found = allowed.find((status) => status === wanted || key(statusLabels[status] ?? status) === wanted);
	if (!found) throw new CellError(`"${text.slice(0, 40)}" is not a status here: use one of ${allowed.map((s) => statusLabels[s] ?? s).join(', ')}`);
	return found;
}

const ratingAbbreviations: Record<string, RatingLevel> = { g: 'green', ag: 'amber_green', a: 'amber', ar: 'amber_red', r: 'red' };

export function cellRating(cell: SheetCell): RatingLevel {
	const text = cellText(cell);
	const wanted = key(text);
	const found = ratingLevels.find((level) => level === wanted || key(ratingLevelInfo[level].label) === wanted) ?? ratingAbbreviations[wanted.replace(/_/g, '')];
	if (!found) throw new CellError(`"${text.slice(0, 40)}" is not a rating: use Green, Amber/Green, Amber, Amber/Red or Red`);
	return found;
}

export function cellSeverity(cell: SheetCell): Severity {
	const text = cellText(cell);
	const wanted = key(text) === 'med' ? 'medium' : key(text);
	const found = severities.find((level) => level === wanted);
	if (!found) throw new CellError(`"${text.slice(0, 40)}" is not a severity: use Low, Medium, High or Critical`);
	return found;
}

const riskAbbreviations: Record<string, RiskLevel> = { vl: 'very_low', l: 'low', m: 'medium', med: 'medium', h: 'high', vh: 'very_high', '1': 'very_low', '2': 'low', '3': 'medium', '4': 'high', '5': 'very_high' };

export function cellRiskLevel(cell: SheetCell): RiskLevel {
	const text = cellText(cell);
	const wanted = key(text);
	const found = riskLevels.find((level) => level === wanted) ?? riskAbbreviations[wanted.replace(/_/g, '')];
	if (!found) throw new CellError(`"${text.slice(0, 40)}" is not a level: use Very low, Low, Medium, High, Very high (or 1–5)`);
	return found;
}
