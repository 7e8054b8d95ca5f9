/**
 * The OpenAPI table of mission tracking (routes under `/api/missions/{id}/…` and `/api/portfolio`;
 * schemas from `src/lib/protocol/missions.ts`). See docs/missions.md.
 */
import {
	actualsInput,
	createMilestoneInput,
	createTargetInput,
	judgement,
	judgementInput,
	leadershipInput,
	milestoneLinkInput,
	milestoneView,
	missionProfile,
	missionTracking,
	patchMilestoneInput,
	patchTargetInput,
	portfolio,
	targetView
} from '#lib/protocol/missions.ts';
import { meetingRecord, meetingState, startMissionsBoardInput } from '#lib/protocol/meeting.ts';
import { blockerRecord, dependencyRecord, forDecisionInput } from '#lib/protocol/records.ts';
import { listOf, objectOf, ref, type ApiOperation, type ApiSpec, type NamedSchema } from './openapi-helpers.ts';

const schemas: Record<string, NamedSchema> = {
	Target: { schema: targetView, io: 'output' },
	TargetCreate: { schema: createTargetInput, io: 'input' },
	TargetPatch: { schema: patchTargetInput, io: 'input' },
	Actuals: { schema: actualsInput, io: 'input' },
	Milestone: { schema: milestoneView, io: 'output' },
	MilestoneCreate: { schema: createMilestoneInput, io: 'input' },
	MilestonePatch: { schema: patchMilestoneInput, io: 'input' },
	MilestoneLink: { schema: milestoneLinkInput, io: 'input' },
	Judgement: { schema: judgement, io: 'output' },
	JudgementInput: { schema: judgementInput, io: 'input' },
	MissionProfile: { schema: missionProfile, io: 'output' },
	LeadershipPatch: { schema: leadershipInput, io: 'input' },
	MissionTracking: { schema: missionTracking, io: 'output' },
	Portfolio: { schema: portfolio, io: 'output' },
	ForDecisionInput: { schema: forDecisionInput, io: 'input' },
	ForDecisionDependency: { schema: dependencyRecord, io: 'output' },
	ForDecisionBlocker: { schema: blockerRecord, io: 'output' },
	MissionsBoardStart: { schema: startMissionsBoardInput, io: 'input' },
	MissionsBoardMeetingState: { schema: meetingState, io: 'output' },
	MissionsBoardMeeting: { schema: meetingRecord, io: 'output' }
};

const missionsQuery = { name: 'missions', description: 'comma-separated mission ids: only these missions (the chair’s pick)', schema: { type: 'string' } };

export function missionsSpec(): ApiSpec {
	const tag = 'missions tracking';
	const operations: ApiOperation[] = [
		{ method: 'get', path: '/api/missions/{id}/tracking', summary: 'Leadership, confidence, targets, milestones and the boards’ evidence, as the mission page shows them', tag, response: { status: 200, schema: ref('MissionTracking') }, errors: [404] },
		{ method: 'get', path: '/api/missions/{id}/leadership', summary: 'The mission CEO, SRO, sponsoring minister, advisory board and confidence, with the history of changes', tag, response: { status: 200, schema: ref('MissionProfile') }, errors: [404] },
		{ method: 'patch', path: '/api/missions/{id}/leadership', summary: 'Change the mission’s leadership or advisory board (leads)', tag, body: 'LeadershipPatch', response: { status: 200, schema: ref('MissionProfile') }, errors: [400, 403, 404, 409] },
		{ method: 'post', path: '/api/missions/{id}/confidence', summary: 'Judge the mission’s delivery confidence, with a narrative (leads)', tag, body: 'JudgementInput', response: { status: 201, schema: objectOf({ confidence: ref('Judgement'), confidenceHistory: { type: 'array', items: ref('Judgement') } }) }, errors: [400, 403, 404, 409] },
		{ method: 'get', path: '/api/missions/{id}/targets', summary: 'The mission’s headline targets, each with status and projectedDate', tag, response: { status: 200, schema: listOf('targets', 'Target') }, errors: [404] },
		{ method: 'post', path: '/api/missions/{id}/targets', summary: 'Set a headline target (leads)', tag, body: 'TargetCreate', response: { status: 201, schema: ref('Target') }, errors: [400, 403, 404] },
		{ method: 'get', path: '/api/missions/{id}/targets/{targetId}', summary: 'One target with its trajectory, actuals, history, status and projectedDate', tag, response: { status: 200, schema: ref('Target') }, errors: [404] },
		{ method: 'patch', path: '/api/missions/{id}/targets/{targetId}', summary: 'Change a target or replace its planned trajectory (leads)', tag, body: 'TargetPatch', response: { status: 200, schema: ref('Target') }, errors: [400, 403, 404, 409] },
		{ method: 'post', path: '/api/missions/{id}/targets/{targetId}/actuals', summary: 'Record actual values: one { date, value }, a list, or CSV (Content-Type: text/csv, header date,value); all or nothing', tag, body: 'Actuals', response: { status: 201, schema: ref('Target') }, errors: [400, 403, 404, 409] },
		{ method: 'get', path: '/api/missions/{id}/milestones', summary: 'The mission’s milestones by date, with atRisk and reasons', tag, response: { status: 200, schema: listOf('milestones', 'Milestone') }, errors: [404] },
		{ method: 'post', path: '/api/missions/{id}/milestones', summary: 'Add a milestone (leads)', tag, body: 'MilestoneCreate', response: { status: 201, schema: ref('Milestone') }, errors: [400, 403, 404] },
		{ method: 'patch', path: '/api/missions/{id}/milestones/{milestoneId}', summary: 'Change a milestone (leads)', tag, body: 'MilestonePatch', response: { status: 200, schema: ref('Milestone') }, errors: [400, 403, 404, 409] },
		{ method: 'post', path: '/api/missions/{id}/milestones/{milestoneId}/confidence', summary: 'Judge a milestone’s delivery confidence (leads)', tag, body: 'JudgementInput', response: { status: 201, schema: ref('Milestone') }, errors: [400, 403, 404, 409] },
		{ method: 'post', path: '/api/missions/{id}/milestones/{milestoneId}/links', summary: 'Link a dependency or blocker on one of the mission’s boards to the milestone (sets the record’s milestones field; leads)', tag, body: 'MilestoneLink', response: { status: 201, schema: ref('Milestone') }, errors: [400, 403, 404, 409] },
		{ method: 'delete', path: '/api/missions/{id}/milestones/{milestoneId}/links', summary: 'Unlink it (leads)', tag, body: 'MilestoneLink', response: { status: 200, schema: ref('Milestone') }, errors: [400, 403, 404, 409] },
		...(['dependencies', 'blockers'] as const).flatMap((register): ApiOperation[] => {
			const record = ref(register === 'dependencies' ? 'ForDecisionDependency' : 'ForDecisionBlocker');
			const path = `/api/boards/{id}/${register}/{ref}/for-decision`;
			return [
				{ method: 'put', path, summary: `Put the ${register === 'dependencies' ? 'dependency' : 'blocker'} to the Missions Board for decision, with the question (writers of the board); the server stamps forDecision { by, at, note }`, tag, body: 'ForDecisionInput', response: { status: 200, schema: record }, errors: [400, 403, 404, 409] },
				{ method: 'delete', path, summary: 'Take it off the Missions Board’s list for decision (writers of the board)', tag, response: { status: 200, schema: record }, errors: [403, 404, 409] }
			];
		}),
		{ method: 'get', path: '/api/meetings/missions-board', summary: 'The Missions Board meetings across missions you can see, newest first, and the running one as you may see it', tag, response: { status: 200, schema: objectOf({ meetings: { type: 'array', items: ref('MissionsBoardMeeting') }, running: { anyOf: [ref('MissionsBoardMeetingState'), { type: 'null' }] } }) }, errors: [] },
		{ method: 'post', path: '/api/meetings/missions-board', summary: 'Start the Missions Board meeting across the missions picked (every one you can see when absent), you in the chair (leads); decisions and actions go to each mission’s board', tag, body: 'MissionsBoardStart', response: { status: 201, schema: ref('MissionsBoardMeetingState') }, errors: [400, 403, 404, 409] },
		{ method: 'get', path: '/api/portfolio', summary: 'The Missions Board view: every mission you can see with confidence, targets’ status and milestones at risk', tag, query: [missionsQuery], response: { status: 200, schema: ref('Portfolio') }, errors: [400] }
	];
	return { tags: [tag], schemas, operations };
}
