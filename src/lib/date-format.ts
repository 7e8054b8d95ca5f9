/**
 * Dates written for people, in the workspace's locale (the `dateLocale` setting, default en-GB:
 * "12 November 2026"). Every page formats dates through here, never through the browser's locale.
 *
 * The locale is one per workspace, so it is held here once: the root layout sets it from its data
 * (`useDateLocale`) before any page renders, on the server and in the browser alike.
 * Calendar dates (`yyyy-mm-dd`) are days, not instants: they are formatted in UTC so no time zone
 * moves them to the day before. Instants are formatted in UK time unless a zone is given.
 */
import { defaultDateLocale } from './protocol/workspace.ts';

export { defaultDateLocale };

/** long: 12 November 2026 · medium: 12 Nov 2026 · short: 12 Nov · weekday: Thursday, 12 November 2026 */
export type DateStyle = 'long' | 'medium' | 'short' | 'weekday';

const styles: Record<DateStyle, Intl.DateTimeFormatOptions> = {
	long: { day: 'numeric', month: 'long', year: 'numeric' },
	medium: { day: 'numeric', month: 'short', year: 'numeric' },
	short: { day: 'numeric', month: 'short' },
	weekday: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }
};

const instantZone = 'Europe/London';

let current = defaultDateLocale;
const formats = new Map<string, Intl.DateTimeFormat>();

/** Sets the workspace locale every later call formats in. */
export function useDateLocale(locale: string | undefined): void {
	current = locale || defaultDateLocale;
}

export function dateLocale(): string {
	return current;
}

function format(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
	const key = `${locale}|${JSON.stringify(options)}`;
	let found = formats.get(key);
	if (!found) {
		found = new Intl.DateTimeFormat(locale, options);
		formats.set(key, found);
	}
	return found;
}

/** A calendar date (`2026-11-12`) in words: "12 November 2026" (long), "12 Nov 2026", "12 Nov". */
export function formatDay(date: string, style: DateStyle = 'long', locale: string = current): string {
	const at = Date.parse(`${date}T00:00:00Z`);
	if (Number.isNaN(at)) return date;
	return format(locale, { ...styles[style], timeZone: 'UTC' }).format(at);
}

/** The day of an instant (epoch ms) in words, in `timeZone` (default UK time). */
export function formatDayOf(epochMs: number, style: DateStyle = 'long', timeZone: string = instantZone, locale: string = current): string {
	return format(locale, { ...styles[style], timeZone }).format(epochMs);
}

/** An instant with its time: "12 Nov 2026, 14:05" (en-GB); `style` picks the date part. */
export function formatMoment(epochMs: number, style: DateStyle = 'medium', timeZone: string = instantZone, locale: string = current): string {
	return format(locale, { ...styles[style], hour: '2-digit', minute: '2-digit', timeZone }).format(epochMs);
}
