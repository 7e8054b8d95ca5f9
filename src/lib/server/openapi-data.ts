/**
 * The OpenAPI table of the whole board beyond create/patch/delete (comments, links, ratings,
 * escalations, re-plans, corrections, archive and restore) and of data in and out: exports of
 * boards and missions (docs/import-export.md).
 */
import { registerNames, registerNouns, type RegisterName } from '#lib/protocol/records.ts';
import { exportMediaTypes } from '#lib/protocol/exports.ts';
import { importMapping, importResult } from '#lib/protocol/raid-import.ts';
import { commentInput, correctDecisionInput, escalationInput, linkInput, ratingInput, replanInput } from '#lib/protocol/record-actions.ts';
import { asAtQuery } from './openapi-history.ts';
import { ref, type ApiOperation, type ApiSpec, type NamedSchema, type QueryParameter } from './openapi-helpers.ts';

const text = { type: 'string' };
const exportFilters: QueryParameter[] = [
	{ name: 'register', description: 'one register only (required for CSV)', schema: { type: 'string', enum: [...registerNames] } },
	{ name: 'search', description: 'text the record contains (ref, title, people, long texts)', schema: text },
	{ name: 'department', description: 'a department id the record is tagged with', schema: text },
	{ name: 'owner', description: "the owner's name, exactly", schema: text },
	{ name: 'status', description: 'a status key (at_risk, open, …)', schema: text },
	{ name: 'rating', description: 'dependencies in a rating band, or not rated', schema: { type: 'string', enum: ['green', 'amber', 'red', 'none'] } },
	{ name: 'overdue', description: 'only late, overdue or past-target records', schema: { type: 'string', enum: ['true', 'false'] } },
	{ name: 'archived', description: 'include archived records', schema: { type: 'string', enum: ['true', 'false'] } },
	{ ...asAtQuery, description: 'the board(s) as they stood at this moment, from the kept history (future 400, before the board 404, history not kept 409); a mission export leaves out boards created later' }
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

const recordSchema = (register: RegisterName) => ref(registerNouns[register][0]!.toUpperCase() + registerNouns[register].slice(1));

const actionSchemas: Record<string, NamedSchema> = {
	CommentCreate: { schema: commentInput, io: 'input' },
	LinkCreate: { schema: linkInput, io: 'input' },
	RatingCreate: { schema: ratingInput, io: 'input' },
	EscalationCreate: { schema: escalationInput, io: 'input' },
	ReplanCreate: { schema: replanInput, io: 'input' },
	DecisionCorrection: { schema: correctDecisionInput, io: 'input' },
	ImportMapping: { schema: importMapping, io: 'input' },
	ImportResult: { schema: importResult, io: 'output' }
};

const importOperation: ApiOperation = {
	method: 'post',
	path: '/api/boards/{id}/import',
	summary: 'Import a RAID log (CSV or XLSX): all rows or none, updating records a previous import made (by the key column). Send `Origin: <this server>` with the multipart post.',
	tag: 'imports',
	query: [{ name: 'dryRun', description: '"true": answer the preview (every row and its outcome) and write nothing', schema: { type: 'string', enum: ['true', 'false'], default: 'false' } }],
	bodyMedia: {
		'multipart/form-data': {
			type: 'object',
			required: ['file'],
			properties: {
				file: { type: 'string', format: 'binary', description: 'the RAID log, .xlsx or .csv (UTF-8), up to 10 MB' },
				mapping: { type: 'string', description: 'JSON of ImportMapping; without it the mission\'s last mapping or one suggested from the headers is used', contentMediaType: 'application/json' },
				register: { type: 'string', enum: [...registerNames], description: "a CSV's register when no mapping is sent" }
			}
		}
	},
	response: { status: 200, schema: ref('ImportResult') },
	errors: [400, 403, 404]
};

function recordActionOperations(): ApiOperation[] {
	const operations: ApiOperation[] = [];
	for (const register of registerNames) {
		const noun = registerNouns[register];
		const base = `/api/boards/{id}/${register}/{ref}`;
		const answer = { status: 200, schema: recordSchema(register) };
		operations.push(
			{ method: 'post', path: `${base}/comments`, summary: `Comment on a ${noun} (the thread is append-only; writers of the board, and advisers on a board they read); answers the ${noun}`, tag: register, body: 'CommentCreate', response: { ...answer, status: 201 }, errors: [400, 403, 404, 409], boardAction: 'addComment' },
			{ method: 'post', path: `${base}/links`, summary: `Link a ${noun} to another record on the board, by ref or id`, tag: register, body: 'LinkCreate', response: answer, errors: [400, 403, 404, 409], boardAction: 'addLink' },
			{ method: 'delete', path: `${base}/links/{target}`, summary: `Remove a link (\`?field=blocks|createdActions\` for those fields)`, tag: register, query: [{ name: 'field', description: 'the link field', schema: { type: 'string', enum: ['links', 'blocks', 'createdActions'], default: 'links' } }], response: answer, errors: [400, 403, 404, 409], boardAction: 'removeLink' },
			{ method: 'post', path: `${base}/archive`, summary: `Archive a ${noun} (it keeps its ref)`, tag: register, response: answer, errors: [403, 404, 409], boardAction: 'deleteRecord' },
			{ method: 'post', path: `${base}/restore`, summary: `Restore an archived ${noun}`, tag: register, response: answer, errors: [403, 404, 409], boardAction: 'restoreRecord' }
		);
	}
	operations.push(
		{ method: 'post', path: '/api/boards/{id}/dependencies/{ref}/ratings', summary: 'Rate a dependency with a narrative (kept in its rating history)', tag: 'dependencies', body: 'RatingCreate', response: { status: 201, schema: recordSchema('dependencies') }, errors: [400, 403, 404, 409], boardAction: 'setRating' },
		{ method: 'post', path: '/api/boards/{id}/blockers/{ref}/escalations', summary: 'Escalate a blocker a step up the ladder (kept in its escalation history)', tag: 'blockers', body: 'EscalationCreate', response: { status: 201, schema: recordSchema('blockers') }, errors: [400, 403, 404, 409], boardAction: 'escalateBlocker' },
		{ method: 'post', path: '/api/boards/{id}/actions/{ref}/replans', summary: "Re-plan an action's due date (every re-plan is a slip)", tag: 'actions', body: 'ReplanCreate', response: { status: 201, schema: recordSchema('actions') }, errors: [400, 403, 404, 409], boardAction: 'replanAction' },
		{ method: 'post', path: '/api/boards/{id}/decisions/{ref}/corrections', summary: 'Correct a decision: a new entry supersedes it; answers the new decision', tag: 'decisions', body: 'DecisionCorrection', response: { status: 201, schema: recordSchema('decisions') }, errors: [400, 403, 404, 409], boardAction: 'correctDecision' }
	);
	return operations;
}

export function dataSpec(): ApiSpec {
	return { tags: ['exports', 'imports'], schemas: actionSchemas, operations: [...recordActionOperations(), ...exportOperations(), importOperation] };
}
