/** The OpenAPI table of the accountable record: history, past states (`asAt`) and changes between moments. */
import { z } from 'zod';
import { historyItem } from '#lib/protocol/ledger.ts';
import { changeKinds } from '#lib/board/diff.ts';
import { registerNames, registerNouns } from '#lib/protocol/registers.ts';
import { objectOf, ref, type ApiOperation, type ApiSpec, type QueryParameter } from './openapi-helpers.ts';

const moment = { type: 'string', description: 'an ISO 8601 date-time (2026-11-12T14:00:00Z) or date (read as its start, UTC)' };
const historyQueries: QueryParameter[] = [
	{ name: 'since', description: 'changes at or after this moment', schema: moment },
	{ name: 'until', description: 'changes at or before this moment', schema: moment },
	{ name: 'record', description: 'one record: its id, or its ref at the time of the change', schema: { type: 'string' } },
	{ name: 'person', description: 'a principal id (person:…) or a name', schema: { type: 'string' } },
	{ name: 'department', description: "the changer's department id", schema: { type: 'string' } },
	{ name: 'register', description: 'dependencies, blockers, actions or decisions', schema: { type: 'string', enum: [...registerNames] } },
	{ name: 'field', description: 'one field (e.g. rating, forecast, comments, created)', schema: { type: 'string' } },
	{ name: 'cursor', description: 'the previous page\'s nextCursor', schema: { type: 'integer', minimum: 1 } },
	{ name: 'limit', description: 'items per page (default 100, at most 500; a page never splits one update)', schema: { type: 'integer', minimum: 1, maximum: 500 } }
];
const page = objectOf({
	entries: { type: 'array', items: ref('HistoryItem') },
	nextCursor: { anyOf: [{ type: 'integer' }, { type: 'null' }], description: 'pass as cursor for older entries; null at the end' }
});
const change = objectOf({
	kind: { type: 'string', enum: [...changeKinds] },
	register: { type: 'string', enum: [...registerNames] },
	recordId: { type: 'string' },
	ref: { type: 'string' },
	title: { type: 'string' },
	summary: { type: 'string', description: 'one plain sentence: "rated Red (was Amber)"' },
	path: { type: 'string' }
});

export const asAtQuery: QueryParameter = { name: 'asAt', description: 'show it as it stood at this moment (read-only); the answer carries asAt', schema: moment };

export function historySpec(): ApiSpec {
	const operations: ApiOperation[] = [
		{ method: 'get', path: '/api/boards/{id}/history', summary: "The board's change ledger, newest first: who changed which field of which record, from what to what", tag: 'history', query: historyQueries, response: { status: 200, schema: page }, errors: [400, 404] },
		...registerNames.map((register): ApiOperation => ({
			method: 'get',
			path: `/api/boards/{id}/${register}/{ref}/history`,
			summary: `One ${registerNouns[register]}'s changes, newest first`,
			tag: 'history',
			query: historyQueries.filter((q) => ['since', 'until', 'field', 'cursor', 'limit'].includes(q.name)),
			response: { status: 200, schema: page },
			errors: [400, 404]
		})),
		{
			method: 'get',
			path: '/api/boards/{id}/changes',
			summary: 'What changed between two moments, record by record (default: since the end of the mission\'s last meeting, or the last week)',
			tag: 'history',
			query: [
				{ name: 'from', description: 'default: the end of the mission\'s last ended meeting, else a week before `to`', schema: moment },
				{ name: 'to', description: 'default: now', schema: moment }
			],
			response: { status: 200, schema: objectOf({ boardId: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, since: { type: 'object', description: '{ kind: given | week | meeting, meetingId?, title?, forum? }' }, changes: { type: 'array', items: change } }) },
			errors: [400, 404, 409]
		}
	];
	return { tags: ['history'], schemas: { HistoryItem: { schema: historyItem as z.ZodType, io: 'output' } }, operations };
}
