/**
 * The OpenAPI table of meetings and wall playlists (routes by the meetings work; schemas from
 * `src/lib/protocol/meeting.ts`).
 */
import { actionReview, captured, captureInput, meetingRecord, meetingState, missionAsAt, playlist, playlistInput, reviewInput, sinceBaseline, startMeetingInput } from '#lib/protocol/meeting.ts';
import { listOf, objectOf, ref, type ApiOperation, type ApiSpec, type NamedSchema } from './openapi-helpers.ts';

const schemas: Record<string, NamedSchema> = {
	Meeting: { schema: meetingRecord, io: 'output' },
	MeetingState: { schema: meetingState, io: 'output' },
	MeetingStart: { schema: startMeetingInput, io: 'input' },
	MeetingCapture: { schema: captureInput, io: 'input' },
	Captured: { schema: captured, io: 'output' },
	ActionReviewInput: { schema: reviewInput, io: 'input' },
	ActionReview: { schema: actionReview, io: 'output' },
	Playlist: { schema: playlist, io: 'output' },
	PlaylistInput: { schema: playlistInput, io: 'input' },
	SinceBaseline: { schema: sinceBaseline, io: 'output' },
	MissionAsAt: { schema: missionAsAt, io: 'output' }
};

const missionQuery = { name: 'missionId', description: 'the mission', schema: { type: 'string' }, required: true };

export function meetingsSpec(): ApiSpec {
	const operations: ApiOperation[] = [
		{ method: 'get', path: '/api/meetings', summary: 'The meetings of a mission, newest first', tag: 'meetings', query: [missionQuery], response: { status: 200, schema: listOf('meetings', 'Meeting') }, errors: [400, 404] },
		{ method: 'post', path: '/api/meetings', summary: 'Start a meeting with you in the chair', tag: 'meetings', body: 'MeetingStart', response: { status: 201, schema: ref('MeetingState') }, errors: [400, 403, 404, 409] },
		{ method: 'get', path: '/api/meetings/{id}', summary: 'The meeting record and, while it runs, its live state', tag: 'meetings', response: { status: 200, schema: { type: 'object' } }, errors: [404] },
		{ method: 'get', path: '/api/meetings/{id}/agenda', summary: 'The open actions the meeting opens with, and what it did with each', tag: 'meetings', response: { status: 200, schema: objectOf({ items: { type: 'array', items: { type: 'object' } } }) }, errors: [404] },
		{ method: 'get', path: '/api/meetings/{id}/pack.html', summary: 'The meeting pack as an accessible HTML page: the agenda before the meeting ends, the record after', tag: 'meetings', response: { status: 200, media: { 'text/html; charset=utf-8': { type: 'string' } } }, errors: [404] },
		{ method: 'get', path: '/api/meetings/{id}/pack.pdf', summary: 'The meeting pack as a tagged PDF with real text', tag: 'meetings', response: { status: 200, media: { 'application/pdf': { type: 'string', format: 'binary' } } }, errors: [404] },
		{ method: 'post', path: '/api/meetings/{id}/end', summary: 'End the meeting (its chair or a lead)', tag: 'meetings', response: { status: 200, schema: { type: 'object' } }, errors: [403, 404, 409] },
		{ method: 'post', path: '/api/meetings/{id}/records', summary: 'Record a decision or an action in the meeting’s board', tag: 'meetings', body: 'MeetingCapture', response: { status: 201, schema: ref('Captured') }, errors: [400, 403, 404, 409] },
		{ method: 'post', path: '/api/meetings/{id}/reviews', summary: 'Mark an inherited action done, re-planned or carried forward', tag: 'meetings', body: 'ActionReviewInput', response: { status: 201, schema: ref('ActionReview') }, errors: [400, 403, 404, 409] },
		{
			method: 'get',
			path: '/api/missions/{id}/since',
			summary: "The mission's boards as they stood when its last meeting (of `forum`, when given) ended, or a week ago: what a wall's \"Since the last meeting\" view compares the live boards with",
			tag: 'meetings',
			query: [{ name: 'forum', description: 'compare with the last meeting of this forum', schema: { type: 'string' }, required: false }],
			response: { status: 200, schema: ref('SinceBaseline') },
			errors: [400, 404]
		},
		{
			method: 'get',
			path: '/api/missions/{id}/as-at',
			summary: "The mission's boards the caller may see as they stood at `at`: what a wall shows while the chair has set the meeting \"as at\" a moment",
			tag: 'meetings',
			query: [{ name: 'at', description: 'an ISO date-time, not in the future', schema: { type: 'string', format: 'date-time' }, required: true }],
			response: { status: 200, schema: ref('MissionAsAt') },
			errors: [400, 404]
		},
		{ method: 'get', path: '/api/playlists/{missionId}', summary: "The mission's wall playlist", tag: 'meetings', response: { status: 200, schema: ref('Playlist') }, errors: [404] },
		{ method: 'put', path: '/api/playlists/{missionId}', summary: 'Set the playlist (leads)', tag: 'meetings', body: 'PlaylistInput', response: { status: 200, schema: ref('Playlist') }, errors: [400, 403, 404] },
		{ method: 'delete', path: '/api/playlists/{missionId}', summary: 'Back to the default playlist (leads)', tag: 'meetings', response: { status: 200, schema: ref('Playlist') }, errors: [403, 404] }
	];
	return { tags: ['meetings'], schemas, operations };
}
