import { describe, expect, it } from 'vitest';
import { DateFormat, dateFormat } from './date-format.ts';
import { historyContext, describeChange } from './components/board/history-words.ts';
import { patchWorkspaceSettingsInput, workspaceSettings } from './protocol/workspace.ts';

const afternoon = Date.parse('2026-11-12T14:05:00Z');

describe('dates in the workspace locale', () => {
	it('writes day, month in words, year by default (en-GB)', () => {
		const dates = dateFormat(undefined);
		expect(dates.locale).toBe('en-GB');
		expect(dates.day('2026-11-12')).toBe('12 November 2026');
		expect(dates.day('2026-11-12', 'medium')).toBe('12 Nov 2026');
		expect(dates.day('2026-11-12', 'short')).toBe('12 Nov');
		expect(dates.day('2026-11-12', 'weekday')).toBe('Thursday, 12 November 2026');
		expect(dates.dayOf(afternoon)).toBe('12 November 2026');
		expect(dates.moment(afternoon)).toBe('12 Nov 2026, 14:05');
	});

	it('keeps a calendar date on its day whatever the zone, and leaves a malformed date as it was', () => {
		const dates = dateFormat('en-GB');
		expect(dates.day('2026-01-01', 'medium')).toBe('1 Jan 2026');
		expect(dates.day('someday')).toBe('someday');
		// 23:30 UTC on 31 March is already 1 April in UK summer time.
		expect(dates.dayOf(Date.parse('2026-03-31T23:30:00Z'))).toBe('1 April 2026');
	});

	it('writes the year only when it is not the year given, and a dash for no date', () => {
		const dates = dateFormat('en-GB');
		expect(dates.near('2026-11-12', '2026')).toBe('12 Nov');
		expect(dates.near('2026-11-12', '2026-01-30')).toBe('12 Nov');
		expect(dates.near('2027-01-03', '2026-12-01')).toBe('3 Jan 2027');
		expect(dates.near('2026-11-12')).toBe('12 Nov 2026');
		expect(dates.near(null)).toBe('—');
		expect(dates.weekdayNear('2026-12-04', '2026-12-01')).toBe('Fri 4 Dec');
		expect(dates.weekdayNear('2026-12-04')).toBe('Fri 4 Dec');
	});

	it('writes each locale its own way, each formatter keeping its own', () => {
		const french = dateFormat('fr-FR');
		const american = dateFormat('en-US');
		expect(french.day('2026-11-12')).toBe('12 novembre 2026');
		expect(french.near('2026-11-12')).toBe('12 nov. 2026');
		expect(french.near('2026-11-12', '2026')).toBe('12 nov.');
		expect(american.day('2026-11-12')).toBe('November 12, 2026');
		expect(american.moment(afternoon)).toMatch(/^Nov 12, 2026, 0?2:05\sPM$/);
		// Two formatters in use at once never see each other's locale (no locale is held per process).
		expect(french.day('2026-11-12')).toBe('12 novembre 2026');
		expect(dateFormat('en-GB').near('2026-11-12')).toBe('12 Nov 2026');
	});

	it('reads a live locale on every call, so a reloaded setting shows at once', () => {
		let setting: string | undefined = 'en-GB';
		const dates = new DateFormat(() => setting);
		expect(dates.day('2026-11-12')).toBe('12 November 2026');
		setting = 'fr-FR';
		expect(dates.day('2026-11-12')).toBe('12 novembre 2026');
		setting = undefined;
		expect(dates.locale).toBe('en-GB');
	});

	it('writes history values in the locale of the context', () => {
		const departments = { department: () => undefined };
		const change = { at: afternoon, by: { id: 'person:p1', name: 'Priya Shah' }, field: 'forecast', before: '2026-03-12', after: '2027-04-30' };
		expect(describeChange(change as never, historyContext(departments, '2026-11-12', dateFormat('fr-FR'))).text).toContain('12 mars → 30 avr. 2027');
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
