import { describe, expect, it } from 'vitest';
import type { BlockerRecord, DependencyRecord } from '../protocol/records.ts';
import { msPerDay } from './dates.ts';
import { diffBoards, type BoardReading } from './diff.ts';
import { missionHeader, type HeaderBoard } from './mission-header.ts';
import { recordMeta, testDependency, testNow } from './test-records.ts';

const now = testNow;
const today = '2026-03-10';
const since = '2026-03-03';
const dependency = (id: string, over: Partial<DependencyRecord> = {}): DependencyRecord =>
	testDependency({ ...recordMeta(id, `DEP-${id}`), title: `Item DEP-${id}`, deliverable: '', neededBy: '2026-04-01', committed: null, forecast: '2026-03-30', ...over });
const reading = (dependencies: DependencyRecord[], blockers: BlockerRecord[] = []): BoardReading => ({ dependencies, blockers, actions: [], decisions: [] });
const board = (id: string, weekAgo: BoardReading, current: BoardReading): HeaderBoard => ({ id, title: `Board ${id}`, weekAgo, now: current, changes: diffBoards(weekAgo, current, { fromDay: since, toDay: today }) });
const header = (boards: HeaderBoard[]) => missionHeader(boards, { today, now, since, scale: 'three', staleAfterDays: 14 });

describe('mission header', () => {
	it('says worse when the overall confidence fell, and lists what moved worst first', () => {
		const before = reading([dependency('1'), dependency('2'), dependency('3', { rating: 'amber' })]);
		const after = reading([dependency('1', { rating: 'red' }), dependency('2', { rating: 'red' }), dependency('3', { rating: 'green' })]);
		const result = header([board('b', before, after)]);
		expect(result.confidence).toEqual({ level: 'amber', basis: 3 });
		expect(result.lastWeek.confidence).toEqual({ level: 'green', basis: 3 });
		expect(result.lastWeek.trend).toBe('worse');
		expect(result.lastWeek.worse).toBeGreaterThan(result.lastWeek.better);
		expect(result.lastWeek.moved[0]!.direction).toBe('worse');
		expect(result.lastWeek.moved.at(-1)).toMatchObject({ ref: 'DEP-3', direction: 'better' });
	});

	it('says no change when nothing moved, and better when more improved than worsened at the same level', () => {
		const same = reading([dependency('1')]);
		expect(header([board('b', same, same)]).lastWeek).toMatchObject({ trend: 'same', worse: 0, better: 0, moved: [] });
		const before = reading([dependency('1', { rating: 'amber' }), dependency('2', { rating: 'amber' }), dependency('3', { rating: 'amber' })]);
		const after = reading([dependency('1', { rating: 'amber' }), dependency('2', { rating: 'amber' }), dependency('3', { rating: 'amber', status: 'delivered' })]);
		expect(header([board('b', before, after)]).lastWeek.trend).toBe('better');
	});

	it('names the three worst red items by the headline signal, across boards', () => {
		const current = reading([
			dependency('1', { rating: 'red', forecast: '2026-04-02' }),
			dependency('2', { rating: 'red', forecast: '2026-05-01' }),
			dependency('3', { rating: 'amber', status: 'late' }),
			dependency('4', { rating: 'green' }),
			dependency('5', { rating: 'red', status: 'delivered' })
		]);
		const other = reading([dependency('9', { rating: 'red', neededBy: '2026-03-01' })]);
		const result = header([board('a', current, current), board('b', other, other)]);
		expect(result.topRed.map((item) => `${item.boardId}:${item.ref}`)).toEqual(['b:DEP-9', 'a:DEP-2', 'a:DEP-1']);
		expect(result.topRed[0]!.why).toBe('9 days past needed-by, not delivered');
		expect(result.counts).toMatchObject({ red: 3, review: 1, late: 2, openDependencies: 5 });
	});

	it('marks a board stale in whole weeks once nobody has touched it for longer than the setting', () => {
		const old = reading([{ ...dependency('1'), updatedAt: now - 22 * msPerDay }]);
		const fresh = reading([dependency('2')]);
		const result = header([board('old', old, old), board('fresh', fresh, fresh), board('empty', reading([]), reading([]))]);
		expect(result.stale).toEqual([{ boardId: 'old', title: 'Board old', weeks: 3 }]);
	});
});
