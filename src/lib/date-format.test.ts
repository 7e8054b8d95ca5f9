import { afterEach, describe, expect, it } from 'vitest';
import { formatDate, formatTime } from './components/board/labels.ts';
import { dateLocale, defaultDateLocale, formatDay, formatDayOf, formatMoment, useDateLocale } from './date-format.ts';
import { patchWorkspaceSettingsInput, workspaceSettings } from './protocol/workspace.ts';

const afternoon = Date.parse('2026-11-12T14:05:00Z');

describe('dates in the workspace locale', () => {
	afterEach(() => useDateLocale(defaultDateLocale));

	it('writes day, month in words, year by default (en-GB)', () => {
		expect(dateLocale()).toBe('en-GB');
		expect(formatDay('2026-11-12')).toBe('12 November 2026');
		expect(formatDay('2026-11-12', 'medium')).toBe('12 Nov 2026');
		expect(formatDay('2026-11-12', 'short')).toBe('12 Nov');
		expect(formatDay('2026-11-12', 'weekday')).toBe('Thursday, 12 November 2026');
		expect(formatDayOf(afternoon)).toBe('12 November 2026');
		expect(formatMoment(afternoon)).toBe('12 Nov 2026, 14:05');
	});

	it('keeps a calendar date on its day whatever the zone, and leaves a malformed date as it was', () => {
		expect(formatDay('2026-01-01', 'medium')).toBe('1 Jan 2026');
		expect(formatDay('someday')).toBe('someday');
		// 23:30 UTC on 31 March is already 1 April in UK summer time.
		expect(formatDayOf(Date.parse('2026-03-31T23:30:00Z'))).toBe('1 April 2026');
	});

	it('follows the locale the layout sets, through the board labels too', () => {
		useDateLocale('fr-FR');
		expect(formatDay('2026-11-12')).toBe('12 novembre 2026');
		expect(formatDate('2026-11-12')).toBe('12 nov. 2026');
		expect(formatDate('2026-11-12', '2026')).toBe('12 nov.');
		useDateLocale('en-US');
		expect(formatDay('2026-11-12')).toBe('November 12, 2026');
		expect(formatTime(afternoon)).toMatch(/^Nov 12, 2026, 0?2:05\sPM$/);
		useDateLocale(undefined);
		expect(formatDate('2026-11-12')).toBe('12 Nov 2026');
	});
});

describe('the dateLocale setting', () => {
	it('defaults to en-GB', () => {
		expect(workspaceSettings.parse({}).dateLocale).toBe('en-GB');
	});

	it('takes a language tag the runtime can format in', () => {
		for (const tag of ['en-GB', 'fr-FR', 'de', 'cy-GB']) expect(patchWorkspaceSettingsInput.safeParse({ dateLocale: tag }).success).toBe(true);
	});

	it('refuses anything else with a message that says what to give', () => {
		for (const tag of ['xx-YY', 'en_GB', 'not a locale', '', 'en-GB'.repeat(10)]) {
			const parsed = patchWorkspaceSettingsInput.safeParse({ dateLocale: tag });
			expect(parsed.success).toBe(false);
			expect(parsed.error?.issues[0]?.path).toEqual(['dateLocale']);
		}
		expect(patchWorkspaceSettingsInput.safeParse({ dateLocale: 'xx-YY' }).error?.issues[0]?.message).toBe('must be a language tag such as en-GB or fr-FR');
	});
});
