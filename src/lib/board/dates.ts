/**
 * Calendar-date arithmetic on `yyyy-mm-dd` strings. Dates are days, not instants:
 * they are compared as strings (ISO order is chronological) and subtracted in UTC so
 * daylight-saving changes never produce a 23- or 25-hour "day".
 */
import type { IsoDate } from '../protocol/record-fields.ts';

export const msPerDay = 86_400_000;

/** The time zone "today" is taken in by default: the unit works on UK time. */
export const defaultTimeZone = 'Europe/London';

function dayNumber(date: IsoDate): number {
	const [y, m, d] = date.split('-').map(Number) as [number, number, number];
	return Date.UTC(y, m - 1, d) / msPerDay;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
	return dayNumber(to) - dayNumber(from);
}

export function addDays(date: IsoDate, days: number): IsoDate {
	return new Date((dayNumber(date) + days) * msPerDay).toISOString().slice(0, 10);
}

/** The calendar date of an instant in a time zone (default UK time). */
export function isoDateAt(epochMs: number, timeZone: string = defaultTimeZone): IsoDate {
	// en-CA formats dates as yyyy-mm-dd.
	return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
		epochMs
	);
}

/** Whole days elapsed between two instants, rounded down. */
export function daysSince(epochMs: number, now: number): number {
	return Math.floor((now - epochMs) / msPerDay);
}
