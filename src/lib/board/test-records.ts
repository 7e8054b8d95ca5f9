/**
 * Records for unit tests: every field a register's type asks for, with plain values a test
 * overrides where it matters (a dependency agreed, Green, needed by 20 March 2026 and forecast two
 * days early). Only tests import this.
 */
import type { ActionRecord, BlockerRecord, DecisionRecord, DependencyRecord } from '../protocol/records.ts';

export const someone = { name: 'Hannah Reid' };

/** Noon on 10 March 2026, the day these records are read on. */
export const testNow = Date.UTC(2026, 2, 10, 12);

/** The fields every register shares. */
export const recordMeta = (id = 'x', ref = 'X-1', at = testNow) => ({
	id,
	ref,
	aliases: [],
	title: 'Item',
	description: '',
	owner: someone,
	departments: [],
	archived: false,
	createdBy: someone,
	createdAt: at,
	updatedBy: someone,
	updatedAt: at,
	links: [],
	comments: []
});

export const testDependency = (over: Partial<DependencyRecord> = {}): DependencyRecord => ({
	...recordMeta(),
	register: 'dependencies',
	milestones: [],
	status: 'agreed',
	providerDepartment: 'hmt',
	providerOwner: someone,
	receiverDepartment: 'dfe',
	receiverOwner: someone,
	deliverable: 'Data',
	doneCriteria: '',
	neededBy: '2026-03-20',
	committed: '2026-03-18',
	forecast: '2026-03-18',
	impact: '',
	rating: 'green',
	narrative: '',
	ratingHistory: [],
	...over
});

export const testAction = (over: Partial<ActionRecord> = {}): ActionRecord => ({
	...recordMeta(),
	register: 'actions',
	text: 'Send it',
	status: 'open',
	meeting: null,
	due: '2026-03-10',
	originalDue: '2026-03-10',
	replans: [],
	...over
});

export const testBlocker = (over: Partial<BlockerRecord> = {}): BlockerRecord => ({
	...recordMeta(),
	register: 'blockers',
	status: 'open',
	unblocker: 'CO',
	ask: '',
	severity: 'high',
	raisedOn: '2026-03-01',
	targetResolution: '2026-03-10',
	milestones: [],
	blocks: [],
	escalations: [],
	...over
});

export const testDecision = (over: Partial<DecisionRecord> = {}): DecisionRecord => ({
	...recordMeta(),
	register: 'decisions',
	text: 'Agree',
	decidedOn: '2026-03-01',
	forum: 'Board',
	decisionMakers: [],
	rationale: '',
	status: 'current',
	supersedes: null,
	createdActions: [],
	...over
});
