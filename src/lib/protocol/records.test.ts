import { describe, expect, it } from 'vitest';
import {
	createActionInput,
	createDependencyInput,
	formatRef,
	parseRef,
	patchBlockerInput,
	patchDecisionInput,
	refPrefixes,
	registerNames,
	registerSchemas
} from './records.ts';

const person = { name: 'Olivia Brennan' };

describe('record schemas', () => {
	it('names six registers with their ref prefixes', () => {
		expect(registerNames).toEqual(['dependencies', 'blockers', 'actions', 'decisions', 'risks', 'assumptions']);
		expect(registerNames.map((r) => refPrefixes[r])).toEqual(['DEP', 'BLK', 'ACT', 'DEC', 'RSK', 'ASM']);
		expect(parseRef('rsk-3')).toEqual({ register: 'risks', n: 3 });
		expect(formatRef('actions', 40)).toBe('ACT-40');
		expect(parseRef('dep-12')).toEqual({ register: 'dependencies', n: 12 });
		expect(parseRef(' DEC 7 ')).toEqual({ register: 'decisions', n: 7 });
		expect(parseRef('XYZ-1')).toBeUndefined();
		expect(parseRef('DEP-0')).toBeUndefined();
		expect(parseRef('DEP-')).toBeUndefined();
	});

	it('fills create defaults and rejects unknown keys', () => {
		const parsed = createActionInput.parse({ text: 'Send the note', owner: person, due: '2026-01-31' });
		expect(parsed).toMatchObject({ status: 'open', description: '', departments: [], meeting: null, links: [] });
		expect(parsed.title).toBeUndefined();
		const extra = createActionInput.safeParse({ text: 'x', owner: person, due: '2026-01-31', slips: 3 });
		expect(extra.success).toBe(false);
		expect(extra.error?.issues[0]?.code).toBe('unrecognized_keys');
	});

	it('validates dates as real yyyy-mm-dd calendar dates', () => {
		const base = {
			title: 't',
			providerDepartment: 'hmt',
			providerOwner: person,
			receiverDepartment: 'dfe',
			receiverOwner: person,
			deliverable: 'd'
		};
		expect(createDependencyInput.safeParse({ ...base, neededBy: '2026-02-28' }).success).toBe(true);
		expect(createDependencyInput.safeParse({ ...base, neededBy: '2026-02-30' }).success).toBe(false);
		expect(createDependencyInput.safeParse({ ...base, neededBy: '28/02/2026' }).success).toBe(false);
		expect(createDependencyInput.safeParse({ ...base, neededBy: null }).success).toBe(true);
	});

	it('patches never apply defaults and must change something', () => {
		expect(patchBlockerInput.parse({ severity: 'high' })).toEqual({ severity: 'high' });
		expect(patchBlockerInput.safeParse({}).success).toBe(false);
		expect(patchBlockerInput.safeParse({ escalations: [] }).success).toBe(false);
		expect(patchDecisionInput.safeParse({ text: 'rewrite' }).success).toBe(false);
		expect(patchDecisionInput.safeParse({ supersedes: 'x' }).success).toBe(false);
	});

	it('validates stored records leniently about missing optional fields but strictly about types', () => {
		const stored = {
			id: 'abc',
			register: 'actions',
			ref: 'ACT-1',
			aliases: [],
			title: 'Send',
			owner: person,
			status: 'open',
			text: 'Send the note',
			due: '2026-01-31',
			originalDue: '2026-01-31',
			createdBy: person,
			createdAt: 1,
			updatedBy: person,
			updatedAt: 2
		};
		expect(registerSchemas.actions.record.safeParse(stored).success).toBe(true);
		expect(registerSchemas.actions.record.safeParse({ ...stored, status: 'finished' }).success).toBe(false);
		expect(registerSchemas.actions.record.safeParse({ ...stored, updatedAt: '2' }).success).toBe(false);
		expect(registerSchemas.actions.record.safeParse({ ...stored, register: 'decisions' }).success).toBe(false);
	});
});
