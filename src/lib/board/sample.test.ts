import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { registerNames } from '../protocol/registers.ts';
import { department } from '../protocol/workspace.ts';
import { readBoard, validRecords } from './board-doc.ts';
import { boardSummary, isStale } from './derived.ts';
import { fillLargeBoard, fillSampleBoard, sampleDepartments } from './sample.ts';

const today = '2026-03-10';

/** The registers the sample and large boards fill (risks and assumptions come from RAID imports). */
const sampleRegisters = ['dependencies', 'blockers', 'actions', 'decisions'] as const;

describe('fillSampleBoard', () => {
	it('creates a dozen valid records of each kind with some late, escalated and overdue', () => {
		const doc = new Y.Doc();
		const ids = fillSampleBoard(doc, { today, actor: { name: 'Sample' } });
		const board = readBoard(doc);
		for (const register of sampleRegisters) {
			expect(ids[register]).toHaveLength(12);
			expect(board[register].filter((r) => !r.ok)).toEqual([]);
			expect(board[register]).toHaveLength(12);
		}
		// The RAID registers a log brings: risks and assumptions too.
		expect(ids.risks).toHaveLength(4);
		expect(ids.assumptions).toHaveLength(3);
		expect(board.risks.filter((r) => !r.ok)).toEqual([]);
		expect(board.assumptions.filter((r) => !r.ok)).toEqual([]);
		const records = {
			dependencies: validRecords(board.dependencies),
			blockers: validRecords(board.blockers),
			actions: validRecords(board.actions),
			decisions: validRecords(board.decisions)
		};
		const summary = boardSummary(records, today);
		expect(summary.dependencies.red).toBeGreaterThan(0);
		expect(summary.dependencies.late).toBeGreaterThan(0);
		expect(summary.dependencies.forecastLate).toBeGreaterThan(0);
		expect(summary.blockers.escalated).toBeGreaterThan(0);
		expect(summary.blockers.overdue).toBeGreaterThan(0);
		expect(summary.actions.overdue).toBeGreaterThan(0);
		expect(summary.decisions.current).toBe(11); // one is superseded by a correction

		const departmentIds = new Set(sampleDepartments.map((d) => d.id));
		for (const dependency of records.dependencies) {
			expect(departmentIds.has(dependency.providerDepartment)).toBe(true);
			expect(departmentIds.has(dependency.receiverDepartment)).toBe(true);
		}
		const now = Date.parse(`${today}T12:00:00Z`);
		expect(records.dependencies.some((d) => isStale(d, now))).toBe(true);
		expect(records.actions.some((a) => a.replans.length > 0)).toBe(true);
		expect(records.blockers.some((b) => b.escalations.length >= 3)).toBe(true);
	});

	it('lists the departments with names, codes and colours', () => {
		expect(sampleDepartments.map((d) => d.code)).toEqual([
			'HMT', 'DfE', 'HO', 'DHSC', 'MHCLG', 'DfT', 'DESNZ', 'DSIT', 'CO', 'DWP', 'MoJ'
		]);
		for (const department of sampleDepartments) {
			expect(department.colour).toMatch(/^#[0-9a-f]{6}$/);
			expect(department.name.length).toBeGreaterThan(department.code.length);
		}
		expect(new Set(sampleDepartments.map((d) => d.colour)).size).toBe(sampleDepartments.length);
		// They can seed the workspace's department records as they are.
		const seedable = department.pick({ id: true, name: true, code: true, colour: true });
		for (const d of sampleDepartments) expect(seedable.safeParse(d).success).toBe(true);
	});
});

describe('fillLargeBoard', () => {
	it('writes 5,000 valid records with unique refs', () => {
		const doc = new Y.Doc();
		const counts = fillLargeBoard(doc, 5_000);
		expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(5_000);
		const board = readBoard(doc);
		for (const register of sampleRegisters) {
			const results = board[register];
			expect(results).toHaveLength(counts[register]);
			expect(results.filter((r) => !r.ok)).toEqual([]);
			const refs = validRecords(results).map((r) => r.ref);
			expect(new Set(refs).size).toBe(refs.length);
		}
	}, 20_000);
});
