/**
 * Form actions of the mission page's tracking (leadership, confidence, targets, actuals,
 * milestones). Each reads its fields with zod, calls `backend().missions`, and answers
 * `{ form, ok, message }` or `fail(4xx, …)` with safe fields only; a problem the service names
 * (a row, a date) comes back in `fields` under its path, so nothing typed is lost.
 */
import { fail, type ActionFailure } from '@sveltejs/kit';
import { z } from 'zod';
import { parseDatedValuesCsv } from '#lib/missions/csv.ts';
import { metricDirections, milestoneLinkInput, milestoneStatuses, type DatedValue } from '#lib/protocol/missions.ts';
import { isoDate } from '#lib/protocol/record-fields.ts';
import { ratingLevel } from '#lib/protocol/ratings.ts';
import { entityId } from '#lib/protocol/workspace.ts';
import { backend } from '#lib/server/backend.ts';
import type { FormResult } from '#lib/components/workspace/form-result.ts';
import type { Principal } from '#lib/server/backend.ts';
import type { MissionTracker } from '#lib/server/backend.ts';
import { sentence } from '#lib/protocol/sentence.ts';

type Result = FormResult | ActionFailure<FormResult>;
type Event = { locals: App.Locals; request: Request; params: Record<string, string> };

const optionalName = z.string().trim().max(120).transform((name) => (name === '' ? null : { name }));
const number = z.string().trim().min(1, 'give a number').transform(Number).pipe(z.number({ error: 'give a number' }).refine(Number.isFinite, 'give a number'));

/** "date,value" lines, with or without the header row, into dated values (or the CSV's problems). */
function datedLines(text: string): { ok: true; rows: DatedValue[] } | { ok: false; fields: Record<string, string> } {
	const body = text.trim();
	if (body === '') return { ok: true, rows: [] };
	const withHeader = /^\s*"?date"?\s*,/i.test(body) ? body : `date,value\n${body}`;
	const parsed = parseDatedValuesCsv(withHeader);
	if (parsed.ok) return parsed;
	return { ok: false, fields: Object.fromEntries(parsed.issues.map((issue) => [issue.path, sentence(issue.message)])) };
}

async function run<S extends z.ZodType>(
	form: string,
	event: Event,
	schema: S,
	act: (missions: MissionTracker, principal: Principal, missionId: string, data: z.output<S>) => Promise<string>
): Promise<Result> {
	const data = await event.request.formData();
	const values: Record<string, string> = {};
	for (const [key, value] of data) if (typeof value === 'string') values[key] = value.slice(0, 20_000);
	const target = values.targetId ?? values.milestoneId ?? event.params.id;
	if (!event.locals.principal) return fail(401, { form, ok: false, target, message: 'Your session has ended: sign in again.' });
	const parsed = schema.safeParse({ ...values, targetIds: data.getAll('targetIds').filter((id) => typeof id === 'string') });
	if (!parsed.success) {
		const fields: Record<string, string> = {};
		for (const issue of parsed.error.issues) fields[issue.path.map(String).join('.') || 'form'] ??= sentence(issue.message);
		return fail(400, { form, ok: false, target, message: 'Check the highlighted fields.', fields, values });
	}
	try {
		const message = await act(backend().missions, event.locals.principal, event.params.id ?? '', parsed.data);
		return { form, ok: true, target, message };
	} catch (error) {
		const known = backend().failureOf(error);
		if (!known) throw error;
		const fields = known.issues ? Object.fromEntries(known.issues.map((issue) => [issue.path, sentence(issue.message)])) : undefined;
		return fail(known.status, { form, ok: false, target, message: sentence(known.message), ...(fields ? { fields } : {}), values });
	}
}

const leadership = z.object({
	ceo: optionalName,
	sro: optionalName,
	minister: optionalName,
	advisers: z
		.string()
		.max(4000)
		.transform((text) => text.split('\n').map((line) => line.trim()).filter((line) => line !== '').map((name) => ({ name })))
});
const judgement = z.object({ level: ratingLevel, narrative: z.string().max(4000).default('') });
const target = z.object({
	metricName: z.string().trim().min(1, 'name the metric').max(200),
	unit: z.string().trim().max(40).default(''),
	better: z.enum(metricDirections),
	baselineDate: isoDate,
	baselineValue: number,
	targetDate: isoDate,
	targetValue: number,
	source: z.string().trim().max(500).default(''),
	sourceDepartmentId: z.union([entityId, z.literal('')]).default(''),
	trajectory: z.string().max(20_000).default('')
});
const actual = z.object({ targetId: entityId, date: isoDate, value: number });
const trajectory = z.object({ targetId: entityId, trajectory: z.string().max(20_000) });
const milestone = z.object({
	title: z.string().trim().min(1, 'give the milestone a title').max(200),
	date: isoDate,
	owner: optionalName,
	targetIds: z.array(entityId).max(20).default([])
});
const milestoneStatus = z.object({ milestoneId: entityId, status: z.enum(milestoneStatuses) });
const milestoneJudgement = judgement.extend({ milestoneId: entityId });
const milestoneLink = milestoneLinkInput.extend({ milestoneId: entityId });

function lines(text: string): DatedValue[] {
	const parsed = datedLines(text);
	// An error of the backend's hierarchy, so `run` answers it like the service's own (fields by path).
	if (!parsed.ok) throw backend().error('invalid_request', 'the values have problems; nothing was saved', { issues: Object.entries(parsed.fields).map(([path, message]) => ({ path, message })) });
	return parsed.rows;
}

export const missionActions = {
	setLeadership: (event: Event) =>
		run('setLeadership', event, leadership, async (missions, principal, id, data) => {
			await missions.updateLeadership(principal, id, data);
			return 'Leadership saved.';
		}),
	judgeMission: (event: Event) =>
		run('judgeMission', event, judgement, async (missions, principal, id, data) => {
			await missions.judgeMission(principal, id, data);
			return 'Delivery confidence recorded.';
		}),
	addTarget: (event: Event) =>
		run('addTarget', event, target, async (missions, principal, id, data) => {
			const created = await missions.createTarget(principal, id, {
				metric: { name: data.metricName, unit: data.unit, better: data.better },
				baseline: { date: data.baselineDate, value: data.baselineValue },
				target: { date: data.targetDate, value: data.targetValue },
				source: data.source,
				sourceDepartmentId: data.sourceDepartmentId === '' ? null : data.sourceDepartmentId,
				trajectory: lines(data.trajectory)
			});
			return `Target ${created.metric.name} added.`;
		}),
	recordActual: (event: Event) =>
		run('recordActual', event, actual, async (missions, principal, id, data) => {
			await missions.recordActuals(principal, id, data.targetId, [{ date: data.date, value: data.value }], 'json');
			return `Actual for ${data.date} recorded.`;
		}),
	setTrajectory: (event: Event) =>
		run('setTrajectory', event, trajectory, async (missions, principal, id, data) => {
			const updated = await missions.updateTarget(principal, id, data.targetId, { trajectory: lines(data.trajectory) });
			return `Trajectory saved (${updated.trajectory.length} points).`;
		}),
	addMilestone: (event: Event) =>
		run('addMilestone', event, milestone, async (missions, principal, id, data) => {
			await missions.createMilestone(principal, id, data);
			return `Milestone ${data.title} added.`;
		}),
	setMilestoneStatus: (event: Event) =>
		run('setMilestoneStatus', event, milestoneStatus, async (missions, principal, id, data) => {
			await missions.updateMilestone(principal, id, data.milestoneId, { status: data.status });
			return 'Milestone status saved.';
		}),
	linkRecord: (event: Event) =>
		run('linkRecord', event, milestoneLink, async (missions, principal, id, data) => {
			await missions.linkRecord(principal, id, data.milestoneId, { boardId: data.boardId, ref: data.ref }, true);
			return `${data.ref.toUpperCase()} now affects this milestone.`;
		}),
	judgeMilestone: (event: Event) =>
		run('judgeMilestone', event, milestoneJudgement, async (missions, principal, id, data) => {
			await missions.judgeMilestone(principal, id, data.milestoneId, { level: data.level, narrative: data.narrative });
			return 'Milestone confidence recorded.';
		})
};
