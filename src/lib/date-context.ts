/**
 * The workspace's `DateFormat` for every component, through context: the root layout provides it
 * from its data (`dateLocale`), each component reads it with `useDates()` while it initialises.
 * Per render, never per process: two pages rendered at once each use their own layout's value.
 */
import { getContext, setContext } from 'svelte';
import { DateFormat } from './date-format.ts';

const key = Symbol('date-format');

/** Called by the root layout: `locale` is read on every format, so a reloaded setting shows at once. */
export function provideDates(locale: () => string | undefined): DateFormat {
	return setContext(key, new DateFormat(locale));
}

/** The workspace's date formatter; call while a component initialises. */
export function useDates(): DateFormat {
	const found = getContext<DateFormat | undefined>(key);
	if (!found) throw new Error('useDates() needs the root layout (it provides the workspace date locale)');
	return found;
}
