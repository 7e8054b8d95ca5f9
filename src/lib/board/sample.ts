/**
 * Sample boards: `fillSampleBoard` writes a realistic mission board (a dozen records of
 * each kind, some late, some escalated, some overdue, some stale) for demos and tests;
 * `fillLargeBoard` writes many plain records for benchmarks.
 */
import type * as Y from 'yjs';
import type { IsoDate, Person } from '../protocol/record-fields.ts';
import { createRecord, createRecords } from './board-doc.ts';
import { addDays, msPerDay } from './dates.ts';
import { correctDecision, escalateBlocker, replanAction } from './history.ts';
import {
	sampleActions,
	sampleAssumptions,
	sampleBlockers,
	sampleCorrection,
	sampleDecisions,
	sampleDependencies,
	sampleDepartments,
	sampleMeetings,
	samplePeople,
	sampleRisks
} from './sample-data.ts';

export { sampleDepartments, samplePeople } from './sample-data.ts';
export type { SampleDepartment } from './sample-data.ts';
export { fillLargeBoard, largeBoardDefaults } from './large-board.ts';

export type SampleOptions = {
	/** The board's "today"; every sample date is relative to it. */
	today: IsoDate;
	/** Who creates the sample records. */
	actor: Person;
	origin?: unknown;
};

export type SampleIds = { dependencies: string[]; blockers: string[]; actions: string[]; decisions: string[]; risks: string[]; assumptions: string[] };

const dept = (i: number) => sampleDepartments[i]!.id;
const person = (i: number) => samplePeople[i % samplePeople.length]!;

/** Creates 12 dependencies, 12 blockers, 12 actions and 12 decisions (one a correction), 4 risks and 3 assumptions. */
export function fillSampleBoard(doc: Y.Doc, { today, actor, origin }: SampleOptions): SampleIds {
	// Created in the morning of `today`, except records meant to look stale.
	const morning = Date.parse(`${today}T09:00:00Z`);
	const at = (daysAgo = 0) => ({ origin, now: morning - daysAgo * msPerDay });
	const day = (offset: number) => addDays(today, offset);
	const ids: SampleIds = { dependencies: [], blockers: [], actions: [], decisions: [], risks: [], assumptions: [] };

	for (const d of sampleDependencies) {
		const { id } = createRecord(
			doc,
			'dependencies',
			{
				title: d.title,
				providerDepartment: dept(d.provider),
				providerOwner: person(d.provider),
				receiverDepartment: dept(d.receiver),
				receiverOwner: person(d.receiver),
				deliverable: d.deliverable,
				doneCriteria: d.doneCriteria,
				neededBy: day(d.neededBy),
				committed: d.committed === null ? null : day(d.committed),
				forecast: d.forecast === null ? null : day(d.forecast),
				status: d.status,
				rating: d.rating,
				narrative: d.narrative,
				impact: d.impact
			},
			actor,
			at(d.staleDays)
		);
		ids.dependencies.push(id);
	}

	sampleBlockers.forEach((b, i) => {
		const { id } = createRecord(
			doc,
			'blockers',
			{
				title: b.title,
				owner: person(b.owner),
				departments: b.departments.map(dept),
				unblocker: b.unblocker,
				ask: b.ask,
				severity: b.severity,
				raisedOn: day(b.raisedOn),
				targetResolution: b.target === null ? null : day(b.target),
				status: b.status === 'escalated' ? 'open' : b.status,
				blocks: b.blocks.map((n) => ids.dependencies[n]!)
			},
			actor,
			at(-b.raisedOn > 20 && i % 2 === 0 ? 20 : 0)
		);
		for (const step of b.escalations) {
			escalateBlocker(doc, id, { level: step.level, on: day(step.on), forum: step.forum }, actor, at(-step.on));
		}
		ids.blockers.push(id);
	});

	const meetings = sampleMeetings.map((m) => ({ id: m.id, title: m.title, date: day(m.offset) }));
	for (const a of sampleActions) {
		const firstDue = a.replans.length > 0 ? a.replans[0]! : a.due;
		const { id } = createRecord(
			doc,
			'actions',
			{
				text: a.text,
				owner: person(a.owner),
				departments: [dept(a.department)],
				due: day(firstDue),
				meeting: meetings[a.meeting]!,
				status: a.status
			},
			actor,
			at(-sampleMeetings[a.meeting]!.offset)
		);
		if (a.replans.length > 0) {
			for (const next of [...a.replans.slice(1), a.due]) {
				replanAction(doc, id, { due: day(next), reason: 'Re-planned at stocktake' }, actor, at());
			}
		}
		ids.actions.push(id);
	}

	const decisions = createRecords(
		doc,
		'decisions',
		sampleDecisions.map((d) => ({
			text: d.text,
			rationale: d.rationale,
			decidedOn: meetings[d.forum]!.date,
			forum: meetings[d.forum]!.title,
			decisionMakers: d.makers.map(person),
			departments: d.departments.map(dept),
			createdActions: d.actions.map((n) => ids.actions[n]!)
		})),
		actor,
		at(7)
	);
	ids.decisions.push(...decisions.map((d) => d.id));
	const corrected = correctDecision(
		doc,
		ids.decisions[sampleCorrection.of]!,
		{ text: sampleCorrection.text, rationale: sampleCorrection.rationale },
		actor,
		at(2)
	);
	ids.decisions.push(corrected.id);

	for (const r of sampleRisks) {
		const { id } = createRecord(
			doc,
			'risks',
			{ title: r.title, cause: r.cause, event: r.event, effect: r.effect, likelihood: r.likelihood, impact: r.impact, proximity: r.proximity === null ? null : day(r.proximity), owner: person(r.owner), departments: [dept(r.department)], status: r.status, mitigations: r.mitigations },
			actor,
			at(3)
		);
		ids.risks.push(id);
	}
	for (const a of sampleAssumptions) {
		const { id } = createRecord(
			doc,
			'assumptions',
			{ title: a.title, statement: a.statement, validationDate: day(a.validationDate), owner: person(a.owner), departments: [dept(a.department)], status: a.status },
			actor,
			at(5)
		);
		ids.assumptions.push(id);
	}
	return ids;
}
