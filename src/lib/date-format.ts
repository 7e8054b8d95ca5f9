/**
 * Dates written for people, in the workspace's locale (the `dateLocale` setting, default en-GB:
 * "12 November 2026"). Every page, the wall and the server's sentences format dates through a
 * `DateFormat`, never through the browser's locale.
 *
 * The locale flows explicitly: the root layout gives its data's `dateLocale` to every component
 * through context (`provideDates` / `useDates` in `date-context.ts`), server code makes a
 * `DateFormat` from the settings it read for that request. Nothing here is held per process, so a
 * changed setting shows on the next render.
 *
 * Calendar dates (`yyyy-mm-dd`) are days, not instants: they are formatted in UTC so no time zone
 * moves them to the day before. Instants are formatted in UK time unless a zone is given.
 */
import { defaultDateLocale } from './protocol/workspace.ts';

export { defaultDateLocale };

/**
 * long: 12 November 2026 · medium: 12 Nov 2026 · short: 12 Nov · weekday: Thursday, 12 November 2026
 * · weekdayShort: Thu 12 Nov 2026 · weekdayShortNoYear: Thu 12 Nov
 */
export type DateStyle = 'long' | 'medium' | 'short' | 'weekday' | 'weekdayShort' | 'weekdayShortNoYear';

const styles: Record<DateStyle, Intl.DateTimeFormatOptions> = {
	long: { day: 'numeric', month: 'long', year: 'numeric' },
	medium: { day: 'numeric', month: 'short', year: 'numeric' },
	short: { day: 'numeric', month: 'short' },
	weekday: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' },
	weekdayShort: { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' },
	weekdayShortNoYear: { weekday: 'short', day: 'numeric', month: 'short' }
};

const instantZone = 'Europe/London';

/** A memo of built formatters (building one costs far more than using it); the same for everyone. */
const formats = new Map<string, Intl.DateTimeFormat>();

function format(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
	const key = `${locale}|${JSON.stringify(options)}`;
	let found = formats.get(key);
	if (!found) {
		found = new Intl.DateTimeFormat(locale, options);
		formats.set(key, found);
	}
	return found;
}

/**
 * The formatter of one locale. `locale` is a value or a function read on every call (the layout
 * passes `() => data.dateLocale`, so a template that formats a date follows a reloaded setting).
 */
export class DateFormat {
	readonly #locale: () => string;

	constructor(locale: string | undefined | (() => string | undefined)) {
		this.#locale = typeof locale === 'function' ? () => locale() || defaultDateLocale : () => locale || defaultDateLocale;
	}

	get locale(): string {
		return this.#locale();
	}

	/** A calendar date (`2026-11-12`) in words: "12 November 2026" (long), "12 Nov 2026", "12 Nov". */
	day(date: string, style: DateStyle = 'long'): string {
		const at = Date.parse(`${date}T00:00:00Z`);
		if (Number.isNaN(at)) return date;
		return format(this.locale, { ...styles[style], timeZone: 'UTC' }).format(at);
	}

	/** The day of an instant (epoch ms) in words, in `timeZone` (default UK time). */
	dayOf(epochMs: number, style: DateStyle = 'long', timeZone: string = instantZone): string {
		return format(this.locale, { ...styles[style], timeZone }).format(epochMs);
	}

	/** An instant with its time: "12 Nov 2026, 14:05" (en-GB); `style` picks the date part. */
	moment(epochMs: number, style: DateStyle = 'medium', timeZone: string = instantZone): string {
		return format(this.locale, { ...styles[style], hour: '2-digit', minute: '2-digit', timeZone }).format(epochMs);
	}

	/**
	 * A calendar date with its year only when it is not the year of `relativeTo` (a yyyy-mm-dd date
	 * or a bare year): "30 Apr", "30 Apr 2027"; without `relativeTo` the year is always written.
	 * `—` for no date. Tables, the wall and the at-risk sentences use this.
	 */
	near(date: string | null | undefined, relativeTo?: string): string {
		if (!date) return '—';
		return this.day(date, relativeTo && date.slice(0, 4) === relativeTo.slice(0, 4) ? 'short' : 'medium');
	}

	/** "Thu 12 Nov", with the year when it is not the year of `relativeTo` (always without it). */
	weekdayNear(date: string, relativeTo?: string): string {
		return this.day(date, relativeTo === undefined || date.slice(0, 4) === relativeTo.slice(0, 4) ? 'weekdayShortNoYear' : 'weekdayShort');
	}
}

/** The formatter of a locale the caller holds (server code, after reading the workspace's settings). */
export function dateFormat(locale: string | undefined): DateFormat {
	return new DateFormat(locale);
}
