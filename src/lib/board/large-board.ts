/**
 * A large synthetic board for benchmarks: `n` records split evenly over the four
 * registers, with realistic field sizes, varied statuses and dates, and some links.
 * Deterministic (no randomness besides record ids), one transaction per register.
 */
import type * as Y from 'yjs';
import type { IsoDate, Person } from '../protocol/record-fields.ts';
import type { CreateInput } from '../protocol/records.ts';
import {
	actionStatuses,
	blockerStatuses,
	dependencyStatuses,
	severities
} from '../protocol/registers.ts';
import { ratingLevels } from '../protocol/ratings.ts';
import { createRecords } from './board-doc.ts';
import { addDays } from './dates.ts';
import { sampleDepartments, samplePeople } from './sample-data.ts';

export const largeBoardDefaults = { records: 5_000, today: '2026-01-15', actor: { name: 'Benchmark' } } as const;

export type LargeBoardOptions = { today?: IsoDate; actor?: Person; origin?: unknown; now?: number };
export type LargeBoardCounts = { dependencies: number; blockers: number; actions: number; decisions: number };

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length]!;
const dept = (i: number) => pick(sampleDepartments, i).id;
const person = (i: number) => pick(samplePeople, i);

export function fillLargeBoard(
	doc: Y.Doc,
	n: number = largeBoardDefaults.records,
	options: LargeBoardOptions = {}
): LargeBoardCounts {
	const today = options.today ?? largeBoardDefaults.today;
	const actor = options.actor ?? largeBoardDefaults.actor;
	const write = { origin: options.origin, now: options.now };
	const quarter = Math.floor(n / 4);
	const counts: LargeBoardCounts = {
		dependencies: n - 3 * quarter,
		blockers: quarter,
		actions: quarter,
		decisions: quarter
	};
	const day = (i: number, spread: number) => addDays(today, (i % spread) - Math.floor(spread / 2));

	const dependencies: CreateInput<'dependencies'>[] = [];
	for (let i = 0; i < counts.dependencies; i++) {
		dependencies.push({
			title: `Dependency ${i + 1}: data feed for workstream ${i % 40}`,
			description: `Context for dependency ${i + 1}, agreed at the programme board.`,
			providerDepartment: dept(i),
			providerOwner: person(i),
			receiverDepartment: dept(i + 3),
			receiverOwner: person(i + 3),
			deliverable: `Monthly extract ${i + 1} with agreed fields, quality-assured by the provider`,
			doneCriteria: 'Receiver confirms the extract loads without errors',
			neededBy: day(i, 120),
			committed: day(i + 7, 120),
			forecast: day(i + 11, 120),
			status: pick(dependencyStatuses, i),
			rating: i % 5 === 4 ? null : pick(ratingLevels, i),
			narrative: `Confidence narrative ${i + 1}`,
			impact: `Milestone ${i % 12} of the mission plan`
		});
	}
	const depIds = createRecords(doc, 'dependencies', dependencies, actor, write).map((r) => r.id);

	const blockers: CreateInput<'blockers'>[] = [];
	for (let i = 0; i < counts.blockers; i++) {
		blockers.push({
			title: `Blocker ${i + 1}: approval outstanding`,
			owner: person(i),
			departments: [dept(i)],
			unblocker: `${pick(sampleDepartments, i + 1).code} programme board`,
			ask: `Approve the change request ${i + 1} at the next meeting`,
			severity: pick(severities, i),
			raisedOn: day(i, 60),
			targetResolution: day(i + 30, 90),
			status: pick(blockerStatuses, i),
			blocks: depIds.length > 0 ? [pick(depIds, i)] : []
		});
	}
	createRecords(doc, 'blockers', blockers, actor, write);

	const actions: CreateInput<'actions'>[] = [];
	for (let i = 0; i < counts.actions; i++) {
		actions.push({
			text: `Send the updated plan for workstream ${i % 40} to the programme board`,
			owner: person(i),
			departments: [dept(i)],
			due: day(i, 60),
			status: pick(actionStatuses, i),
			meeting: { id: `meeting-${i % 20}`, title: `Stocktake ${i % 20}`, date: day(i % 20, 40) }
		});
	}
	const actionIds = createRecords(doc, 'actions', actions, actor, write).map((r) => r.id);

	const decisions: CreateInput<'decisions'>[] = [];
	for (let i = 0; i < counts.decisions; i++) {
		decisions.push({
			text: `Agree option ${1 + (i % 3)} for workstream ${i % 40}`,
			rationale: 'Best value for money and lowest delivery risk',
			decidedOn: day(i, 60),
			forum: `Stocktake ${i % 20}`,
			decisionMakers: [person(i), person(i + 1)],
			departments: [dept(i)],
			createdActions: actionIds.length > 0 ? [pick(actionIds, i)] : []
		});
	}
	createRecords(doc, 'decisions', decisions, actor, write);
	return counts;
}
