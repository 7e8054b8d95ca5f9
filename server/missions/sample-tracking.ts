/**
 * The sample mission's tracking, so a newcomer sees it all at once: named leadership, three
 * headline targets (one behind its trajectory, one on track, one with no data yet), milestones
 * (one at risk from a late dependency, one from an escalated blocker, one done, one clear), and
 * delivery-confidence judgements. Dates are relative to today, like the sample boards. Everything
 * is written through the tracker's own methods, so it is validated and stamped like any change.
 */
import { listRecords, updateRecord, validRecords } from '#lib/board/board-doc.ts';
import { addDays, isoDateAt } from '#lib/board/dates.ts';
import { dependencySlip, escalationReached, isBlockerOpen } from '#lib/board/derived.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import type { DatedValue } from '#lib/protocol/missions.ts';
import type { SampleState } from '#lib/protocol/workspace.ts';
import type { Principal } from '../auth/principal.ts';
import type { DocHub } from '../hub/doc-hub.ts';
import { actorOf } from '../workspace/board-records.ts';
import type { MissionTracker } from './mission-tracker.ts';

/** Quarterly points from `start` (days from today) to `end`, following `valueAt(dayOffset)`. */
function quarterly(today: string, start: number, end: number, valueAt: (offset: number) => number): DatedValue[] {
	const points: DatedValue[] = [];
	for (let offset = start; offset <= end; offset += 91) points.push({ date: addDays(today, offset), value: Math.round(valueAt(offset) * 10) / 10 });
	return points;
}

export async function addSampleTracking(tracker: MissionTracker, hub: DocHub, principal: Principal, state: SampleState, now: number = Date.now()): Promise<void> {
	const today = isoDateAt(now);
	const missionId = state.missionId;
	await tracker.updateLeadership(principal, missionId, {
		ceo: { name: 'Dame Helen Okafor' },
		sro: { name: 'Marcus Lindqvist' },
		minister: { name: 'Rt Hon Priya Desai MP' },
		advisers: [{ name: 'Prof. Ama Mensah' }, { name: 'Sir Tom Hargreaves' }, { name: 'Dr Leila Farouk' }]
	});

	const employment = await tracker.createTarget(principal, missionId, {
		metric: { name: 'Working-age employment rate', unit: '%', better: 'higher' },
		baseline: { date: addDays(today, -730), value: 74.8 },
		target: { date: addDays(today, 1460), value: 80 },
		source: 'ONS Labour Force Survey, quarterly (sample figures)',
		trajectory: [
			{ date: addDays(today, -365), value: 75.6 },
			{ date: today, value: 76.6 },
			{ date: addDays(today, 730), value: 78.4 }
		]
	});
	// Behind: rising, but more slowly than planned.
	await tracker.recordActuals(principal, missionId, employment.id, quarterly(today, -700, -10, (offset) => 74.8 + ((offset + 730) / 730) * 1.1), 'json');

	const waits = await tracker.createTarget(principal, missionId, {
		metric: { name: 'Median wait for a first outpatient appointment', unit: 'weeks', better: 'lower' },
		baseline: { date: addDays(today, -545), value: 14.5 },
		target: { date: addDays(today, 1095), value: 8 },
		source: 'NHS England referral-to-treatment statistics (sample figures)',
		trajectory: [{ date: addDays(today, 185), value: 12 }]
	});
	// On track: falling a little faster than the plan.
	await tracker.recordActuals(principal, missionId, waits.id, quarterly(today, -520, -5, (offset) => 14.5 - ((offset + 545) / 730) * 4.5), 'json');

	await tracker.createTarget(principal, missionId, {
		metric: { name: 'Adults starting a level 3 qualification', unit: 'thousand a year', better: 'higher' },
		baseline: { date: addDays(today, -180), value: 160 },
		target: { date: addDays(today, 1640), value: 240 },
		source: 'DfE further education statistics: first figures due next quarter'
	});

	// Board records to link: a dependency forecast to arrive late, a blocker escalated to the Missions Board.
	const boardId = state.boardIds[0]!;
	const { dependency, blocker } = await hub.withDoc(boardDocName(boardId), (shared) => {
		const dependencies = validRecords(listRecords(shared.doc, 'dependencies'));
		const blockers = validRecords(listRecords(shared.doc, 'blockers'));
		return {
			dependency: dependencies.find((record) => dependencySlip(record).forecastLate && record.forecast !== null && record.forecast > today),
			blocker: blockers.find((record) => isBlockerOpen(record) && escalationReached(record) !== null)
		};
	});

	const dataShare = await tracker.createMilestone(principal, missionId, {
		title: 'Childcare and employment data share live',
		date: dependency?.forecast ? addDays(dependency.forecast, -21) : addDays(today, 45),
		owner: { name: 'Marcus Lindqvist' },
		targetIds: [employment.id]
	});
	const hubs = await tracker.createMilestone(principal, missionId, { title: 'Regional employment hubs open in 12 areas', date: addDays(today, 120), owner: { name: 'Grace Adeyemi' }, targetIds: [employment.id] });
	const procured = await tracker.createMilestone(principal, missionId, { title: 'Outpatient booking system procured', date: addDays(today, -30), owner: { name: 'Dr Tomasz Nowak' }, targetIds: [waits.id] });
	await tracker.updateMilestone(principal, missionId, procured.id, { status: 'done' });
	await tracker.createMilestone(principal, missionId, { title: 'Independent evaluation of the first hubs', date: addDays(today, 400), owner: { name: 'Prof. Ama Mensah' }, targetIds: [employment.id] });
	await tracker.updateMilestone(principal, missionId, dataShare.id, { status: 'in_progress' });

	const actor = actorOf(principal);
	await hub.transact(boardDocName(boardId), principal, (doc) => {
		if (dependency) updateRecord(doc, 'dependencies', dependency.id, { milestones: [dataShare.id] }, actor, { now });
		if (blocker) updateRecord(doc, 'blockers', blocker.id, { milestones: [hubs.id] }, actor, { now });
	});

	await tracker.judgeMilestone(principal, missionId, dataShare.id, { level: 'red', narrative: 'The data share depends on a dependency now forecast after the milestone; no lawful basis agreed yet.' });
	await tracker.judgeMilestone(principal, missionId, hubs.id, { level: 'amber', narrative: 'Sites agreed in 9 of 12 areas; the blocker on staffing is with the Missions Board.' });
	await tracker.judgeMission(principal, missionId, { level: 'green', narrative: 'Baseline set; early employment figures in line with the plan.' });
	await tracker.judgeMission(principal, missionId, { level: 'amber', narrative: 'Employment is behind its trajectory and the data share is at risk; waiting times are ahead of plan.' });
}
