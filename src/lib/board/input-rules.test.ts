import { describe, expect, it } from 'vitest';
import { dateError, dateWarning, inputMessages, recordInputIssues } from './input-rules.ts';

describe('input rules', () => {
	it('refuses dates outside 2000–2099 and warns on past and far-future ones', () => {
		expect(dateError('1999-12-31')).toBe(inputMessages.dateOutOfRange);
		expect(dateError('2100-01-01')).toBe(inputMessages.dateOutOfRange);
		expect(dateError('2000-01-01')).toBeUndefined();
		expect(dateError(null)).toBeUndefined();
		expect(dateWarning('2026-03-09', '2026-03-10')).toBe(inputMessages.datePast);
		expect(dateWarning('2026-03-10', '2026-03-10')).toBeUndefined();
		expect(dateWarning('2032-01-01', '2026-03-10')).toBe(inputMessages.dateFarFuture);
		expect(dateWarning('1999-01-01', '2026-03-10')).toBeUndefined();
	});

	it('refuses one department on both sides of a dependency, with the other side from the stored record', () => {
		expect(recordInputIssues('dependencies', { providerDepartment: 'hmt', receiverDepartment: 'hmt' })).toEqual([{ path: 'receiverDepartment', message: inputMessages.sameDepartments }]);
		expect(recordInputIssues('dependencies', { providerDepartment: 'dfe' }, { providerDepartment: 'hmt', receiverDepartment: 'dfe' })).toHaveLength(1);
		expect(recordInputIssues('dependencies', { title: 'x' }, { providerDepartment: 'hmt', receiverDepartment: 'hmt' })).toEqual([]);
		expect(recordInputIssues('blockers', { raisedOn: '1990-01-01', targetResolution: '2030-01-01' }).map((issue) => issue.path)).toEqual(['raisedOn']);
	});
});
