/** The OpenAPI table of data in and out: exports of boards and missions (docs/import-export.md). */
import { registerNames } from '#lib/protocol/records.ts';
import { exportMediaTypes } from '#lib/protocol/exports.ts';
import type { ApiOperation, ApiSpec, QueryParameter } from './openapi-helpers.ts';

const text = { type: 'string' };
const exportFilters: QueryParameter[] = [
	{ name: 'register', description: 'one register only (required for CSV)', schema: { type: 'string', enum: [...registerNames] } },
	{ name: 'search', description: 'text the record contains (ref, title, people, long texts)', schema: text },
	{ name: 'department', description: 'a department id the record is tagged with', schema: text },
	{ name: 'owner', description: "the owner's name, exactly", schema: text },
	{ name: 'status', description: 'a status key (at_risk, open, …)', schema: text },
	{ name: 'rating', description: 'dependencies in a rating band, or not rated', schema: { type: 'string', enum: ['green', 'amber', 'red', 'none'] } },
	{ name: 'overdue', description: 'only late, overdue or past-target records', schema: { type: 'string', enum: ['true', 'false'] } },
	{ name: 'archived', description: 'include archived records', schema: { type: 'string', enum: ['true', 'false'] } }
];
const file = { type: 'string', format: 'binary' };
const media = {
	csv: { [exportMediaTypes.csv]: text },
	xlsx: { [exportMediaTypes.xlsx]: file },
	html: { [exportMediaTypes.html]: text }
} as const;
const describe = {
	csv: 'UTF-8 with BOM, one row per record; cells that would start a formula are prefixed with an apostrophe',
	xlsx: 'one sheet per register, typed cells, frozen header with filters',
	html: 'an accessible page: tables with captions and headers, a print stylesheet'
} as const;

function exportOperations(): ApiOperation[] {
	const operations: ApiOperation[] = [];
	for (const format of ['csv', 'xlsx', 'html'] as const) {
		operations.push(
			{ method: 'get', path: `/api/boards/{id}/export.${format}`, summary: `Export the board as ${format.toUpperCase()} (${describe[format]})`, tag: 'exports', query: exportFilters, response: { status: 200, media: media[format] }, errors: [400, 404] },
			{ method: 'get', path: `/api/missions/{id}/export.${format}`, summary: `Export every board of the mission you can see as ${format.toUpperCase()}, with a Board column`, tag: 'exports', query: exportFilters, response: { status: 200, media: media[format] }, errors: [400, 404] }
		);
	}
	return operations;
}

export function dataSpec(): ApiSpec {
	return { tags: ['exports'], schemas: {}, operations: exportOperations() };
}
